/**
 * `lct inventory … --stack <name>`: the stack `lct up` created, read back through the
 * Automation API from the same backend and project — no --cwd or --backend needed — with the
 * fake `pulumi` first on PATH (test/support/fake-pulumi). Another project is reached with --cwd.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { findPulumiCli } from "../../sdk/automation";
import { commandOf, type FakePulumi, installFakePulumi, TEST_PASSPHRASE } from "../support/fake-pulumi";
import { CANNED, expectNoSecretsAnywhere, LCT, lct, TWO_REGION } from "../lifecycle/helpers";

// `lct up` runs the real stack program under the mock runtime once (seconds).
vi.setConfig({ testTimeout: 120_000 });

let fake: FakePulumi;
let env: NodeJS.ProcessEnv;
let work: string;
const printed: string[] = [];

beforeAll(async () => {
    fake = installFakePulumi("lct-inventory-stack-");
    env = fake.env({ LINODE_TOKEN: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" });
    work = path.join(fake.root, "work");
    fs.mkdirSync(work);
    const up = await lct(["up", "inv", "--plan", TWO_REGION, "--quiet"], env, { cwd: work });
    expect(up.code, up.err).toBe(0);
});
afterAll(() => fs.rmSync(fake.root, { recursive: true, force: true }));

describe("lct inventory --stack", () => {
    it("finds pulumi on the caller's PATH, not this process's", () => {
        expect(findPulumiCli(env)).toBe(path.join(fake.binDir, "pulumi"));
        expect(findPulumiCli({ PATH: work })).toBeUndefined();
    });

    it("reads the stack lct up created, from LCT's state folder, without decrypting secrets", async () => {
        fake.clearCalls();
        const q = await lct(["inventory", "query", "role=postgresql", "--stack", "inv", "--format", "labels"], env, { cwd: work });
        expect(q).toEqual({ code: 0, out: "shop-us-ord-db-1\nshop-us-ord-db-2\n", err: "" });
        const exports = fake.calls().filter((c) => commandOf(c) === "stack export");
        expect(exports).toHaveLength(1);
        expect(exports[0]!.argv).not.toContain("--show-secrets");
        expect(exports[0]!.env.PULUMI_BACKEND_URL).toBe(`file://${path.join(fake.home, ".lct", "state")}`);
        printed.push(q.out, q.err);
    });

    it("exports Ansible INI from it with no secret anywhere", async () => {
        const y = await lct(["inventory", "export", "--stack", "inv", "--format", "ini"], env, { cwd: work });
        expect(y.code, y.err).toBe(0);
        expect(y.out).toMatch(/^\[cluster_shop\]$/m);
        expect(y.out).toMatch(/^shop-eu-central-web-1 ansible_host="'\d+\.\d+\.\d+\.\d+'"/m);
        printed.push(y.out, y.err);
        expectNoSecretsAnywhere(fake, [TEST_PASSPHRASE, env.LINODE_TOKEN!], printed);
        expect(printed.join("\n")).not.toMatch(/BEGIN (OPENSSH|RSA|EC) PRIVATE KEY/);
    });

    it("serves Ansible as a dynamic inventory from the real executable (LCT_STACK)", () => {
        const r = spawnSync(process.execPath, [LCT, "inventory", "ansible", "--list"], {
            cwd: work,
            env: { ...process.env, ...env, LCT_STACK: "inv", LCT_QUERY: "region=eu-central" },
            encoding: "utf8",
        });
        expect(r.status, r.stderr).toBe(0);
        const list = JSON.parse(r.stdout);
        expect(Object.keys(list._meta.hostvars).sort()).toEqual(["shop-eu-central-web-1", "shop-eu-central-web-2"]);
    });

    it("reads a stack of the user's own project with --cwd (and the backend flag)", async () => {
        const project = path.join(fake.root, "mine");
        const state = path.join(fake.root, "other-state");
        fs.mkdirSync(project);
        fs.mkdirSync(state);
        fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: mine\nruntime: nodejs\n");
        // A user's program exporting a LinodeCluster's inventory: the one `lct up` produced above.
        const inventory = fake.stack("inv")!.outputs.inventory!;
        fake.scenario({ ...CANNED, cannedResources: [], cannedOutputs: { inventory } });
        const pulumi = (args: string[]) =>
            spawnSync(path.join(fake.binDir, "pulumi"), [...args, "--non-interactive"], { cwd: project, env: { ...process.env, ...env, PULUMI_BACKEND_URL: `file://${state}` }, encoding: "utf8" });
        const init = pulumi(["stack", "init", "prod"]);
        expect(init.status, init.stderr).toBe(0);
        // The fake runs a program only for stacks that name a plan; the canned one ignores it.
        expect(pulumi(["config", "set", "lct:plan", "own.yaml", "--stack", "prod"]).status).toBe(0);
        const up = pulumi(["up", "--stack", "prod", "--yes", "--skip-preview"]);
        expect(up.status, up.stderr + up.stdout).toBe(0);
        fake.scenario(undefined);

        const ok = await lct(["inventory", "query", "role=postgresql", "--stack", "prod", "--cwd", "mine", "--backend", `file://${state}`, "--format", "labels"], env, { cwd: fake.root });
        expect(ok).toEqual({ code: 0, out: "shop-us-ord-db-1\nshop-us-ord-db-2\n", err: "" });
        // Without the backend flag the stack is looked for in LCT's state folder, and the message says so.
        const elsewhere = await lct(["inventory", "query", "role=web", "--stack", "prod", "--cwd", "mine"], env, { cwd: fake.root });
        expect(elsewhere.code).toBe(2);
        expect(elsewhere.err).toMatch(/^error: no stack named "prod" in file:\/\/.*\.lct\/state \(LCT's default state folder; --backend or PULUMI_BACKEND_URL choose another\)/);
    });

    it("exits 2 with a clear message for a missing stack, a bad stack name and a missing CLI", async () => {
        const missing = await lct(["inventory", "query", "role=web", "--stack", "staging"], env, { cwd: work });
        expect(missing).toMatchObject({ code: 2, out: "", err: expect.stringMatching(/^error: no stack named "staging" in file:\/\//) });
        const bad = await lct(["inventory", "query", "role=web", "--stack", "no such stack"], env, { cwd: work });
        expect(bad.code).toBe(2);
        expect(bad.err).toMatch(/^error: .*stack name/i);
        const noCli = await lct(["inventory", "query", "role=web", "--stack", "inv"], { ...env, PATH: work }, { cwd: work });
        expect(noCli.code).toBe(2);
        expect(noCli.err).toMatch(/^error: lct inventory --stack needs the Pulumi CLI, and no `pulumi` was found on PATH: install the Pulumi CLI/);
    });
});
