/**
 * A throwaway OpenSSH server on 127.0.0.1 for readiness tests: its own host key, one
 * authorized client key, key-only root login, everything in a temporary directory.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

/** The binaries the SSH tests need, and the Debian package of each. */
const NEEDED: Array<[string, string]> = [
    ["sshd", "openssh-server"],
    ["ssh", "openssh-client"],
    ["ssh-keygen", "openssh-client"],
];

function findBinary(name: string): string | undefined {
    for (const dir of [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/usr/bin", "/sbin"]) {
        const p = path.join(dir, name);
        if (dir && fs.existsSync(p)) return p;
    }
    return undefined;
}

/** Why the SSH tests cannot run here, or undefined when every binary is installed. */
export function missingSshBinaries(): string | undefined {
    const missing = NEEDED.filter(([bin]) => !findBinary(bin));
    if (missing.length === 0) return undefined;
    return `missing ${missing.map(([b]) => b).join(", ")}; install Debian ${[...new Set(missing.map(([, pkg]) => pkg))].join(" ")}`;
}

export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.once("error", reject);
        s.listen(0, "127.0.0.1", () => {
            const { port } = s.address() as net.AddressInfo;
            s.close(() => resolve(port));
        });
    });
}

export interface TestSshd {
    port: number;
    dir: string;
    clientKeyFile: string;
    knownHostsFile: string;
    stop(): Promise<void>;
}

export async function startSshd(): Promise<TestSshd> {
    const sshd = findBinary("sshd") as string;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lct-sshd-"));
    const hostKey = path.join(dir, "host_key");
    const clientKey = path.join(dir, "client_key");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", hostKey]);
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", clientKey]);
    fs.copyFileSync(`${clientKey}.pub`, path.join(dir, "authorized_keys"));
    fs.chmodSync(path.join(dir, "authorized_keys"), 0o600);
    // sshd refuses to start without its privilege-separation directory (the Debian service
    // creates it at boot; a container never booted one).
    fs.mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
    const port = await freePort();
    const config = path.join(dir, "sshd_config");
    fs.writeFileSync(
        config,
        [
            `Port ${port}`,
            "ListenAddress 127.0.0.1",
            `HostKey ${hostKey}`,
            `PidFile ${path.join(dir, "sshd.pid")}`,
            `AuthorizedKeysFile ${path.join(dir, "authorized_keys")}`,
            "StrictModes no",
            "UsePAM no",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin prohibit-password",
            "AllowUsers root",
            "LogLevel ERROR",
            "",
        ].join("\n"),
    );
    const child: ChildProcess = spawn(sshd, ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const deadline = Date.now() + 5000;
    for (;;) {
        if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}: ${stderr.trim()}`);
        const up = await new Promise<boolean>((resolve) => {
            const s = net.createConnection({ host: "127.0.0.1", port }, () => {
                s.destroy();
                resolve(true);
            });
            s.on("error", () => resolve(false));
        });
        if (up) break;
        if (Date.now() > deadline) throw new Error(`sshd did not listen on ${port}: ${stderr.trim()}`);
        await new Promise((r) => setTimeout(r, 50));
    }
    return {
        port,
        dir,
        clientKeyFile: clientKey,
        knownHostsFile: path.join(dir, "known_hosts"),
        stop: () =>
            new Promise<void>((resolve) => {
                if (child.exitCode !== null) return resolve(fs.rmSync(dir, { recursive: true, force: true }));
                child.once("exit", () => {
                    fs.rmSync(dir, { recursive: true, force: true });
                    resolve();
                });
                child.kill("SIGTERM");
            }),
    };
}
