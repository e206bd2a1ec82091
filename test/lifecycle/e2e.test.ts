/**
 * The real `lct` executable (node bin/lct.js) with the fake pulumi first on PATH.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { FakePulumi, installFakePulumi, TEST_PASSPHRASE } from "../support/fake-pulumi";
import { expectNoSecretsAnywhere, LCT, TWO_REGION } from "./helpers";

// Each `lct up` here runs the real stack program under the mock runtime (seconds each): room for slow machines.
vi.setConfig({ testTimeout: 120_000 });

const TOKEN = "f3c9e1a7b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f2a4b6c8d0e2f4a6b8c0d2e4";

let fake: FakePulumi;
let env: NodeJS.ProcessEnv;
let work: string;

beforeAll(() => {
    fake = installFakePulumi("lct-e2e-");
    env = fake.env({ LINODE_TOKEN: TOKEN });
    work = path.join(fake.root, "work");
    fs.mkdirSync(work);
    fs.copyFileSync(TWO_REGION, path.join(work, "shop.yaml"));
});
afterAll(() => fs.rmSync(fake.root, { recursive: true, force: true }));
beforeEach(() => {
    fake.clearCalls();
    fake.scenario(undefined);
});

describe("the real lct executable, with the fake pulumi on PATH", () => {
    it("up, secret set (stdin) and secret list", () => {
        const base = { ...process.env, ...env };
        const run = (args: string[], input?: string) => spawnSync(process.execPath, [LCT, ...args], { cwd: work, env: base, encoding: "utf8", input });
        const u = run(["up", "e2e", "--plan", "shop.yaml"]);
        expect(u.status, u.stderr).toBe(0);
        expect(u.stdout).toMatch(/^stack "e2e" updated in \d+s: 61 created\ncluster "shop": 7 nodes/);
        expect(u.stderr).toContain("Updating (e2e):");
        const s = run(["secret", "set", "linode-token", "--stack", "e2e"], `${TOKEN}\n`);
        expect(s.status, s.stderr).toBe(0);
        expect(s.stdout).toBe('stored linode-token for stack "e2e": linode:token (secret)\n');
        const l = run(["secret", "list", "--stack", "e2e"]);
        expect(l.status, l.stderr).toBe(0);
        expect(l.stdout).toContain("  linode-token  linode:token         set\n");
        expectNoSecretsAnywhere(fake, [TOKEN, TEST_PASSPHRASE], [u.stdout, u.stderr, s.stdout, s.stderr, l.stdout, l.stderr]);
    });

    it("exits 2 with the install hint when no pulumi is on PATH", () => {
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), "lct-nopulumi-"));
        const r = spawnSync(process.execPath, [LCT, "up", "dev", "--plan", "shop.yaml"], { cwd: work, env: { ...process.env, ...env, PATH: empty }, encoding: "utf8" });
        fs.rmSync(empty, { recursive: true });
        expect(r.status).toBe(2);
        expect(r.stdout).toBe("");
        expect(r.stderr).toMatch(/^error: lct up needs the Pulumi CLI, and no `pulumi` was found on PATH: install the Pulumi CLI \(curl -fsSL https:\/\/get\.pulumi\.com \| sh, or see https:\/\/www\.pulumi\.com\/docs\/install\/\)/);
    });
});

