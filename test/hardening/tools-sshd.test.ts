import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderNodeBootstrap } from "../../sdk/hardening";
import type { ResolvedPlan } from "../../sdk/plan/resolved";
import { announceSkip, requireTool, run } from "../support/tools";
import { decodeUserData } from "../support/user-data";
import { expectedSshdLines, forbiddenSshdLines } from "./expected-sshd";
import { ALL_PLANS, KEY_ED25519 } from "./fixtures";

/**
 * OpenSSH 9.2 (Debian 12) reads each rendered drop-in the way a node does: Debian's own
 * sshd_config, which includes sshd_config.d/*.conf at the top, with cloud-init's
 * 50-cloud-init.conf saying `PasswordAuthentication yes` beside it. `sshd -T` must then show
 * exactly the profile's lines. sshd wants /run/sshd and host keys: it runs in a private
 * mount namespace with a tmpfs /run and throwaway keys.
 */
const sshd = requireTool("sshd", "openssh-server");
const unshare = requireTool("unshare", "util-linux");
const keygen = requireTool("ssh-keygen", "openssh-client");
for (const t of [sshd, unshare, keygen]) announceSkip(t);
const skip = [sshd, unshare, keygen].some((t) => t.skip !== undefined);

const DEBIAN_SSHD_CONFIG = "/usr/share/openssh/sshd_config";
const dir = mkdtempSync(join(tmpdir(), "lct-sshd-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sshdT(name: string, dropIns: Record<string, string>): { status: number; lines: string[]; stderr: string } {
    const d = join(dir, name);
    mkdirSync(join(d, "sshd_config.d"), { recursive: true });
    for (const [file, text] of Object.entries(dropIns)) writeFileSync(join(d, "sshd_config.d", file), text);
    if (!existsSync(join(dir, "host_ed25519"))) run(keygen.path!, ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "host_ed25519")]);
    const main = readFileSync(DEBIAN_SSHD_CONFIG, "utf8").replace("/etc/ssh/sshd_config.d/", `${d}/sshd_config.d/`);
    if (main === readFileSync(DEBIAN_SSHD_CONFIG, "utf8")) throw new Error(`${DEBIAN_SSHD_CONFIG} has no sshd_config.d Include`);
    // HostKey lines add up (they are not first-wins), so the wrapper can carry ours.
    writeFileSync(join(d, "sshd_config"), `HostKey ${join(dir, "host_ed25519")}\n${main}`);
    const args = process.getuid?.() === 0 ? ["--mount"] : ["--map-root-user", "--mount"];
    const r = run(unshare.path!, [...args, "sh", "-c", `mount -t tmpfs tmpfs /run && mkdir /run/sshd && exec ${sshd.path!} -T -f ${d}/sshd_config`]);
    return { status: r.status, lines: r.stdout.split("\n").filter((l) => l.length > 0), stderr: r.stderr };
}

interface Variant {
    label: string;
    dropIn: string;
    profile: "baseline" | "strict";
    bastion: boolean;
    adminUser: string;
}

/** Each distinct drop-in of every hardened group in the test plans. */
function variants(): Variant[] {
    const seen = new Map<string, Variant>();
    for (const [, make] of ALL_PLANS) {
        const plan: ResolvedPlan = make();
        for (const g of plan.groups) {
            if (g.hardening.profile === "none") continue;
            const asCloud: ResolvedPlan = { ...plan, groups: plan.groups.map((x) => ({ ...x, configMethod: "cloud-init" as const })) };
            const b = renderNodeBootstrap(asCloud, g.nodes[0]!, { sshKeys: [KEY_ED25519] });
            if (b.method !== "cloud-init") throw new Error("cloud-init expected");
            const dropIn = decodeUserData(b.userData).files.get("/etc/ssh/sshd_config.d/10-lct-hardening.conf")!.content;
            seen.set(dropIn, { label: `${plan.name} ${g.key}`, dropIn, profile: g.hardening.profile, bastion: plan.bastion === g.key, adminUser: plan.admin.user });
        }
    }
    return [...seen.values()];
}

describe.skipIf(skip)("sshd -T on the rendered drop-ins (OpenSSH from Debian 12)", () => {
    const all = variants();

    it("covers baseline, strict and bastion drop-ins", () => {
        expect(new Set(all.map((v) => `${v.profile}/${v.bastion}`))).toEqual(new Set(["baseline/false", "baseline/true", "strict/false"]));
    });

    it("without LCT's drop-in, cloud-init's file turns password login on (the check can fail)", () => {
        const r = sshdT("control", { "50-cloud-init.conf": "PasswordAuthentication yes\n" });
        expect(r.status, r.stderr).toBe(0);
        expect(r.lines).toContain("passwordauthentication yes");
        expect(r.lines).not.toContain("maxauthtries 2");
    });

    it.each(all.map((v) => [v.label, v] as const))("%s", (_label, v) => {
        const r = sshdT(v.label.replace(/\W+/g, "_"), { "10-lct-hardening.conf": v.dropIn, "50-cloud-init.conf": "PasswordAuthentication yes\n" });
        expect(r.status, r.stderr).toBe(0);
        for (const line of expectedSshdLines(v.profile, { adminUser: v.adminUser, bastion: v.bastion })) expect(r.lines, line).toContain(line);
        for (const bad of forbiddenSshdLines(v.profile)) expect(r.lines.filter((l) => bad.test(l))).toEqual([]);
        // The syntax check (sshd -t) agrees: every keyword is known to this OpenSSH.
        expect(r.stderr).not.toMatch(/Unsupported option|Deprecated option|Bad configuration option/);
    });
});
