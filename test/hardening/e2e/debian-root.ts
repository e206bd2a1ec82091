import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../fixtures";
import { run, type RunResult } from "../../support/tools";

/**
 * A Debian 12 root made with debootstrap, to run the real first-boot scripts in. The root is
 * used under `unshare` (own mount, UTS, IPC and PID namespaces; the host's network, for the
 * package mirror only) and `chroot`. Nothing touches the running kernel: the scripts apply
 * sysctl and nftables only when systemd is running, which it never is here.
 */

export const MIRROR = process.env.LCT_DEBIAN_MIRROR ?? "http://deb.debian.org/debian";
/** What a Debian 12 cloud image has beyond minbase, plus insecure packages the profiles must remove. */
export const BASE_PACKAGES = ["openssh-server", "cloud-init", "systemd", "telnet", "tftpd-hpa"];

const CACHE = join(REPO, ".lct-tmp", "debootstrap");
export const APT_ARCHIVES = join(CACHE, "archives");
/**
 * Held (flock) by every root run: the apt cache is shared, and apt in a second root fails at
 * once on its lock ("Could not get lock /var/cache/apt/archives/lock") — as when this suite and
 * the template bootstrap one (test/templates/bootstrap-e2e.test.ts) run at the same time.
 */
const APT_LOCK = join(CACHE, "apt-archives.lock");

function must(r: RunResult, what: string): RunResult {
    if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
    return r;
}

/**
 * The cached base root tarball: debootstrapped once, then reused (delete .lct-tmp/debootstrap
 * to rebuild). Returns its path and whether it was built now.
 */
export function ensureBaseTarball(): { tarball: string; built: boolean; seconds: number } {
    const key = createHash("sha256").update(JSON.stringify({ MIRROR, BASE_PACKAGES, v: 1 })).digest("hex").slice(0, 12);
    const tarball = join(CACHE, `bookworm-minbase-${key}.tar`);
    if (existsSync(tarball)) return { tarball, built: false, seconds: 0 };
    const started = Date.now();
    mkdirSync(APT_ARCHIVES + "/partial", { recursive: true });
    const dir = join(CACHE, `build-${process.pid}`);
    rmSync(dir, { recursive: true, force: true });
    must(run("debootstrap", ["--variant=minbase", "bookworm", dir, MIRROR], { timeoutMs: 900_000 }), "debootstrap");
    // Services must not start inside the root: there is no init, and it shares the host's network.
    writeFileSync(join(dir, "usr/sbin/policy-rc.d"), "#!/bin/sh\nexit 101\n", { mode: 0o755 });
    const install = `apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ${BASE_PACKAGES.join(" ")}`;
    must(inRoot(dir, ["bash", "-c", install], { timeoutMs: 900_000 }), "installing the base packages");
    must(run("tar", ["-C", dir, "-cf", `${tarball}.part`, "."], { timeoutMs: 300_000 }), "tar");
    renameSync(`${tarball}.part`, tarball);
    rmSync(dir, { recursive: true, force: true });
    return { tarball, built: true, seconds: (Date.now() - started) / 1000 };
}

/** A fresh root from the tarball, in `parent`. */
export function freshRoot(tarball: string, parent: string): string {
    const dir = join(parent, "root");
    mkdirSync(dir, { recursive: true });
    must(run("tar", ["-C", dir, "-xf", tarball], { timeoutMs: 300_000 }), "untar");
    cpSync("/etc/resolv.conf", join(dir, "etc/resolv.conf"), { dereference: true });
    return dir;
}

export interface Volume {
    label: string;
    /** Host loop device, e.g. /dev/loop3. */
    device: string;
}

/** A sparse image attached to a loop device, standing in for a Linode block storage volume. */
export function attachVolume(parent: string, label: string, megabytes: number): Volume {
    const image = join(parent, `${label}.img`);
    must(run("truncate", ["-s", `${megabytes}M`, image]), "truncate");
    const r = must(run("losetup", ["--find", "--show", image]), "losetup");
    return { label, device: r.stdout.trim() };
}

export function detachVolume(v: Volume): void {
    run("losetup", ["-d", v.device]);
}

/**
 * Runs argv inside the root: own /proc, a minimal /dev holding only the volumes (under their
 * Linode by-id names), an empty /run (so "booted" is false), and the shared apt cache.
 */
export function inRoot(
    root: string,
    argv: readonly string[],
    opts: { volumes?: readonly Volume[]; env?: Record<string, string>; timeoutMs?: number; /** A fresh network namespace (no mirror then). */ net?: boolean } = {},
): RunResult {
    const volumes = (opts.volumes ?? []).map((v) => `${v.label}=${v.device}`).join(" ");
    const env = Object.entries({ PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", HOME: "/root", LANG: "C.UTF-8", ...(opts.env ?? {}) }).map(
        ([k, v]) => `${k}=${v}`,
    );
    const setup = `set -euo pipefail
R="$1"; shift
mount -t proc proc "$R/proc"
mount -t tmpfs -o mode=0755 tmpfs "$R/dev"
for n in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
    IFS=: read -r name major minor <<< "$n"
    mknod -m 0666 "$R/dev/$name" c "$major" "$minor"
done
ln -s /proc/self/fd "$R/dev/fd"
mkdir -p "$R/dev/pts" "$R/dev/shm" "$R/dev/disk/by-id"
for v in ${volumes}; do
    label=\${v%%=*}; dev=\${v#*=}
    mknod -m 0660 "$R$dev" b "$((16#$(stat -c %t "$dev")))" "$((16#$(stat -c %T "$dev")))"
    ln -s "../../\${dev#/dev/}" "$R/dev/disk/by-id/scsi-0Linode_Volume_$label"
done
# Read-only sysfs: libblkid needs it to find a filesystem by UUID (mount of the fstab lines).
mount -t sysfs -o ro sysfs "$R/sys"
mount -t tmpfs -o mode=0755 tmpfs "$R/run"
mkdir -p "$R/var/cache/apt/archives"
exec 9>"${APT_LOCK}"
flock 9
mount --bind "${APT_ARCHIVES}" "$R/var/cache/apt/archives"
exec chroot "$R" /usr/bin/env -i "$@"
`;
    mkdirSync(APT_ARCHIVES + "/partial", { recursive: true });
    return run("unshare", ["--mount", "--uts", "--ipc", "--pid", ...(opts.net ? ["--net"] : []), "--fork", "--kill-child", "bash", "-c", setup, "lct-root", root, ...env, ...argv], {
        timeoutMs: opts.timeoutMs ?? 900_000,
    });
}

/**
 * Checksums, modes and owners of what first boot manages, plus enabled units, installed
 * packages and accounts: equal before and after a second run means the run changed nothing.
 */
export const MANIFEST_SCRIPT = `set -u
{
for f in /etc/ssh/sshd_config.d/* /etc/ssh/sshd_config /etc/ssh/moduli /etc/ssh/ssh_host_*_key.pub /etc/issue.net \\
    /etc/nftables.conf /etc/sysctl.d/90-lct-hardening.conf /etc/fail2ban/jail.d/* /etc/apt/apt.conf.d/* \\
    /etc/modprobe.d/lct-blacklist.conf /etc/audit/auditd.conf /etc/lct/hosts /etc/hosts /etc/hostname /etc/fstab \\
    /etc/passwd /etc/group /etc/shadow /etc/sudoers.d/* /home/*/.ssh/authorized_keys /usr/local/sbin/lct-node \\
    /var/lib/lct/hardening-complete; do
    [ -e "$f" ] || continue
    printf '%s %s\\n' "$(stat -c '%a %U:%G' "$f")" "$(sha256sum "$f")"
done
find /etc/systemd/system -type l -printf 'unit %p -> %l\\n' | sort
dpkg-query -W -f='pkg \${Package} \${Version} \${db:Status-Status}\\n' | sort
}
`;
