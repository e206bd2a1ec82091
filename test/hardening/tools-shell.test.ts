import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderGroupStackScript, renderMemberSync } from "../../sdk/hardening";
import { renderFail2banJail } from "../../sdk/hardening/fail2ban";
import { renderNodeHelper } from "../../sdk/hardening/node-helper";
import { BASELINE, STRICT } from "../../sdk/hardening/profiles";
import { announceSkip, requireTool, run } from "../support/tools";
import { ALL_PLANS, KEY_ED25519 } from "./fixtures";

/** bash -n and shellcheck on every script LCT puts on a node; fail2ban's own config test on the jail. */
const bash = requireTool("bash", "bash");
const shellcheck = requireTool("shellcheck", "shellcheck");
const f2b = requireTool("fail2ban-client", "fail2ban");
for (const t of [bash, shellcheck, f2b]) announceSkip(t);

const dir = mkdtempSync(join(tmpdir(), "lct-shell-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Script {
    name: string;
    text: string;
}

function scripts(): Script[] {
    const out: Script[] = [{ name: "lct-node", text: renderNodeHelper() }];
    for (const [planName, make] of ALL_PLANS) {
        const plan = make();
        for (const g of plan.groups) out.push({ name: `${planName} StackScript ${g.key}`, text: renderGroupStackScript(plan, g.key, { sshKeys: [KEY_ED25519] }) });
        const someAddresses = Object.fromEntries(plan.nodes.map((n, i) => [n.name, { publicIpv4: `198.51.100.${(i % 250) + 1}`, privateIpv4: `192.168.130.${(i % 250) + 1}` }]));
        for (const g of plan.groups) out.push({ name: `${planName} member sync ${g.key}`, text: renderMemberSync(plan, g.nodes[0]!, someAddresses) });
    }
    return out;
}

function file(s: Script): string {
    const path = join(dir, s.name.replace(/\W+/g, "_") + ".sh");
    writeFileSync(path, s.text);
    return path;
}

describe.skipIf(bash.skip !== undefined || shellcheck.skip !== undefined)("bash -n and shellcheck", () => {
    const all = scripts();

    it("shellcheck finds problems when there are some (the check can fail)", () => {
        const r = run(shellcheck.path!, [file({ name: "bad", text: "#!/bin/bash\nrm -rf $DIR/*\n" })]);
        expect(r.status).not.toBe(0);
    });

    it.each(all.map((s) => [s.name, s] as const))("%s", (_name, s) => {
        const path = file(s);
        const syntax = run(bash.path!, ["-n", path]);
        expect(syntax.status, syntax.stderr).toBe(0);
        const lint = run(shellcheck.path!, ["--shell=bash", "--severity=style", path]);
        expect(lint.status, lint.stdout).toBe(0);
    });
});

describe.skipIf(f2b.skip !== undefined)("fail2ban-client -t on the jail (fail2ban 1.0.2)", () => {
    it.each([
        ["baseline", BASELINE],
        ["strict", STRICT],
    ] as const)("%s: the configuration test passes and sshd reads the journal", (_n, profile) => {
        const conf = join(dir, `fail2ban-${profile.name}`);
        cpSync("/etc/fail2ban", conf, { recursive: true });
        mkdirSync(join(conf, "jail.d"), { recursive: true });
        writeFileSync(join(conf, "jail.d", "90-lct.local"), renderFail2banJail(profile));
        const t = run(f2b.path!, ["-c", conf, "-t"]);
        expect(t.status, t.stderr + t.stdout).toBe(0);
        expect(t.stdout + t.stderr).toContain("OK: configuration test is successful");
        const dump = run(f2b.path!, ["-c", conf, "-d"]).stdout;
        expect(dump).toContain("['add', 'sshd', 'systemd']");
        expect(dump).toContain(`['set', 'sshd', 'maxretry', ${profile.fail2ban.maxRetry}]`);
        expect(dump).toMatch(/nftables/);
    });
});
