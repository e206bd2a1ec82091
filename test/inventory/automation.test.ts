/**
 * `--stack <name>` through the Automation API, against a fake `pulumi` executable put first on
 * PATH: it answers `pulumi version`, `pulumi stack select --stack <s>` and `pulumi stack export
 * --show-secrets --stack <s>` (the commands LocalWorkspace runs, see
 * node_modules/@pulumi/pulumi/automation/localWorkspace.js) and logs every call.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findPulumiCli, PulumiCliMissingError, selectStack, StackNotFoundError } from "../../sdk/automation";
import { memoryIO } from "../../sdk/cli/io";
import { runCli } from "../../sdk/cli/main";
import { readStackExport } from "../../sdk/inventory/stack-export";
import { expectNoSecrets, fixtureSecrets, REPO, STACK_EXPORTS } from "../support/inventories";

const FAKE_PULUMI = `#!/usr/bin/env node
// A stand-in for the pulumi CLI: enough of it for LocalWorkspace.selectStack and exportStack.
const fs = require("fs");
(function main() {
const args = process.argv.slice(2);
// \`pulumi version\` is run with this process's environment only, so the log sits next to the fake.
fs.appendFileSync(require("path").join(__dirname, "..", "..", "calls.log"), JSON.stringify({ args, cwd: process.cwd(), automation: process.env.PULUMI_AUTOMATION_API || null }) + "\\n");
const plain = args.filter((a) => a !== "--non-interactive");
if (plain[0] === "version") { process.stdout.write("v3.150.0\\n"); process.exit(0); }
const at = plain.indexOf("--stack");
const stack = at >= 0 ? plain[at + 1] : undefined;
if (stack !== process.env.FAKE_PULUMI_STACK) { process.stderr.write("error: no stack named '" + stack + "' found\\n"); process.exit(255); }
if (plain[0] === "stack" && plain[1] === "select") process.exit(0);
// Exit only once stdout is flushed: a pipe would otherwise get a truncated export.
if (plain[0] === "stack" && plain[1] === "export") { process.stdout.write(fs.readFileSync(process.env.FAKE_PULUMI_EXPORT), () => process.exit(0)); return; }
process.stderr.write("fake pulumi: unexpected command: " + args.join(" ") + "\\n");
process.exit(2);
})();
`;

let tmp: string;
let project: string;
let bin: string;
let log: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lct-automation-"));
    bin = path.join(tmp, "pulumi-root", "bin");
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, "pulumi"), FAKE_PULUMI, { mode: 0o755 });
    project = path.join(tmp, "project");
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: lct\nruntime: nodejs\n");
    log = path.join(tmp, "calls.log");
    env = {
        PATH: `${bin}${path.delimiter}${process.env.PATH}`,
        FAKE_PULUMI_STACK: "dev",
        FAKE_PULUMI_EXPORT: path.join(STACK_EXPORTS, "two-region-show-secrets.json"),
        PULUMI_CONFIG_PASSPHRASE: "not-used-by-the-fake",
    };
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const calls = (): Array<{ args: string[]; cwd: string; automation: string | null }> =>
    fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l)) : [];

async function cli(args: string[], e: NodeJS.ProcessEnv = env) {
    const io = memoryIO({ env: e, cwd: tmp });
    const code = await runCli(args, io);
    return { code, out: io.stdout(), err: io.stderr() };
}

describe("the Automation API wrapper", () => {
    it("finds pulumi on the caller's PATH, not this process's", () => {
        expect(findPulumiCli(env)).toBe(path.join(bin, "pulumi"));
        expect(findPulumiCli({ PATH: tmp })).toBeUndefined();
    });

    it("selects a stack and exports it with the commands LocalWorkspace runs", async () => {
        fs.rmSync(log, { force: true });
        const stack = await selectStack("dev", { workDir: project, env });
        const doc = await stack.exportStack();
        expect(readStackExport(doc).inventories.map((i) => i.cluster)).toEqual(["shop"]);
        expect(calls().map((c) => c.args)).toEqual([
            ["version"],
            ["stack", "select", "--stack", "dev", "--non-interactive"],
            ["stack", "export", "--show-secrets", "--stack", "dev", "--non-interactive"],
        ]);
        expect(calls().slice(1).every((c) => c.cwd === project && c.automation === "true")).toBe(true);
    });

    it("says how to install the CLI when there is none, and names a missing stack", async () => {
        await expect(selectStack("dev", { workDir: project, env: { PATH: tmp } })).rejects.toThrow(PulumiCliMissingError);
        await expect(selectStack("dev", { workDir: project, env: { PATH: tmp }, purpose: "lct up" })).rejects.toThrow(
            /lct up needs the Pulumi CLI, and no `pulumi` was found on PATH: install the Pulumi CLI \(curl -fsSL https:\/\/get\.pulumi\.com \| sh/,
        );
        await expect(selectStack("prod", { workDir: project, env })).rejects.toThrow(StackNotFoundError);
        await expect(selectStack("prod", { workDir: project, env })).rejects.toThrow(/no stack named "prod" in the Pulumi project at .*project/);
    });
});

describe("lct inventory --stack", () => {
    it("queries and exports a stack read through the Automation API, with no secret in the output", async () => {
        const q = await cli(["inventory", "query", "role=postgresql", "--stack", "dev", "--cwd", "project", "--format", "labels"]);
        expect(q).toEqual({ code: 0, out: "shop-us-ord-db-1\nshop-us-ord-db-2\n", err: "" });
        const y = await cli(["inventory", "export", "--stack", "dev", "--cwd", "project", "--format", "ini"]);
        expect(y.code, y.err).toBe(0);
        expect(y.out).toMatch(/^\[cluster_shop\]$/m);
        expectNoSecrets(y.out + y.err, fixtureSecrets("two-region-show-secrets.json"), "lct inventory export --stack");
    });

    it("fails with exit 2 and an install hint when pulumi is missing", async () => {
        const r = await cli(["inventory", "query", "role=web", "--stack", "dev", "--cwd", "project"], { PATH: tmp });
        expect(r.code).toBe(2);
        expect(r.err).toMatch(/^error: lct inventory --stack needs the Pulumi CLI, and no `pulumi` was found on PATH: install the Pulumi CLI/);
        const missing = await cli(["inventory", "query", "role=web", "--stack", "staging", "--cwd", "project"]);
        expect(missing).toMatchObject({ code: 2, err: expect.stringMatching(/^error: no stack named "staging"/) });
    });

    it("works from the real lct executable too (LCT_STACK for Ansible)", () => {
        const r = spawnSync(process.execPath, [path.join(REPO, "bin", "lct.js"), "inventory", "ansible", "--list"], {
            cwd: project,
            env: { ...process.env, ...env, LCT_STACK: "dev", LCT_QUERY: "region=eu-central" },
            encoding: "utf8",
        });
        expect(r.status, r.stderr).toBe(0);
        const list = JSON.parse(r.stdout);
        expect(Object.keys(list._meta.hostvars).sort()).toEqual(["shop-eu-central-web-1", "shop-eu-central-web-2"]);
        expect(list.cluster_shop.vars.ansible_user).toBe("ops");
    });
});
