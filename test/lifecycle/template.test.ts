/**
 * `lct up --template <name> [--set k=v]` against the fake pulumi, which renders the template in the real stack program.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { parse, stringify } from "yaml";
import { commandOf, FakePulumi, installFakePulumi } from "../support/fake-pulumi";
import { CANNED, lct, REPO, TWO_REGION } from "./helpers";

// Each `lct up` here runs the real stack program under the mock runtime (seconds each): room for slow machines.
vi.setConfig({ testTimeout: 120_000 });

const TOKEN = "f3c9e1a7b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f2a4b6c8d0e2f4a6b8c0d2e4";

let fake: FakePulumi;
let env: NodeJS.ProcessEnv;
let work: string;

beforeAll(() => {
    fake = installFakePulumi("lct-template-");
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

const up = (args: string[], e = env) => lct(["up", ...args], e, { cwd: work });

describe("lct up --template", () => {
    it("deploys a bundled template with parameters (lct:template, lct:parameters as JSON), rendered by the stack program", async () => {
        const r = await up(["tpl", "--template", "quickstart", "--set", "webCount=4", "--set", "name=shop2", "--quiet"]);
        expect(r.code, r.err).toBe(0);
        expect(fake.calls().map((c) => c.argv)).toContainEqual([
            "config",
            "set-all",
            "--stack",
            "tpl",
            "--plaintext",
            "lct:template=quickstart",
            "--plaintext",
            'lct:parameters={"webCount":4,"name":"shop2"}',
            "--non-interactive",
        ]);
        // The program rendered the template with the parameters: 4 + the second region's web nodes, db, bastion.
        const inventory = fake.stack("tpl")!.outputs.inventory!.value as { cluster: string; nodes: Array<{ group: string }> };
        expect(inventory.cluster).toBe("shop2");
        expect(inventory.nodes.filter((n) => n.group === "us-ord/web")).toHaveLength(4);
        expect(r.out).toMatch(new RegExp(`^stack "tpl" updated in \\d+s: \\d+ created\\ncluster "shop2": ${inventory.nodes.length} nodes in the stack's inventory\\n$`));
        // Back to a plan file: the template keys go (the program's result does not matter here).
        fake.clearCalls();
        fake.scenario(CANNED);
        const p = await up(["tpl", "--plan", "shop.yaml", "--quiet"]);
        expect(p.code, p.err).toBe(0);
        expect(fake.calls().map((c) => c.argv)).toContainEqual(["config", "rm-all", "--stack", "tpl", "lct:template", "lct:parameters", "--non-interactive"]);
    });

    it("refuses bad parameters (exit 1) and a template file given as --plan (exit 2) before any pulumi call", async () => {
        const r = await up(["tpl", "--template", "quickstart", "--set", "webCount=0"]);
        expect(r.code).toBe(1);
        expect(r.err).toMatch(/^error: quickstart: webCount: /);
        const file = await up(["tpl", "--plan", path.join(REPO, "templates", "quickstart.yaml")]);
        expect(file.code).toBe(2);
        expect(file.err).toMatch(/quickstart\.yaml is a cluster template, not a plan: deploy a bundled template with --template <name>/);
        expect(fake.calls()).toEqual([]);
    });

    it("without --template, the saved template and parameters are checked again before pulumi runs", async () => {
        fake.scenario(CANNED);
        expect((await up(["tpl2", "--template", "quickstart", "--set", "webCount=4", "--quiet"])).code).toBe(0);
        // Someone edits the stack's settings by hand (or LCT's rules changed since).
        const setConfig = (key: string, value: string) => {
            const settings = parse(fs.readFileSync(fake.settingsFile("tpl2"), "utf8"));
            settings.config[key] = value;
            fs.writeFileSync(fake.settingsFile("tpl2"), stringify(settings));
        };
        const setParameters = (value: string) => setConfig("lct:parameters", value);
        setParameters('{"webCount":0}');
        fake.clearCalls();
        const bad = await up(["tpl2", "--quiet"]);
        expect(bad.code).toBe(1);
        expect(bad.err).toMatch(/^error: quickstart: webCount: /);
        setParameters("{webCount");
        const broken = await up(["tpl2", "--quiet"]);
        expect(broken.code).toBe(2);
        expect(broken.err).toBe('error: stack "tpl2": lct:parameters is not JSON; give the template again: --template quickstart [--set name=value]\n');
        expect(fake.calls().map(commandOf)).not.toContain("up");
        // The stack program's own reader checks the rest of its config too.
        setParameters('{"webCount":2}');
        setConfig("lct:memberSync", "sometimes");
        const sync = await up(["tpl2", "--quiet"]);
        expect(sync.code).toBe(2);
        expect(sync.err).toBe('error: stack "tpl2": lct:memberSync must be "auto" or "off", not "sometimes"; give the template again: --template quickstart [--set name=value]\n');
        setConfig("lct:memberSync", "off");
        const ok = await up(["tpl2", "--quiet"]);
        expect(ok.code, ok.err).toBe(0);
        expect(fake.calls().map(commandOf)).toContain("up");
    });
});
