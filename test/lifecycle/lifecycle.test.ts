/**
 * `lct up | preview --live | refresh | destroy` through the Automation API, against the fake
 * `pulumi` (test/support/fake-pulumi) first on PATH: the exact CLI invocations, config keys,
 * environment, backend and passphrase handling, the token, summaries, and error paths.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { commandOf, FakePulumi, installFakePulumi, TEST_PASSPHRASE } from "../support/fake-pulumi";
import { CANNED, CANNED_COUNT, expectNoSecretsAnywhere, lct, packageProjectFiles, QUICKSTART_PLAN, REPO, TWO_REGION } from "./helpers";

// Each `lct up` here runs the real stack program under the mock runtime (seconds each): room for slow machines.
vi.setConfig({ testTimeout: 120_000 });

const TOKEN = "f3c9e1a7b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f2a4b6c8d0e2f4a6b8c0d2e4";
const sha = (s: string) => createHash("sha256").update(s).digest("hex");

let fake: FakePulumi;
let env: NodeJS.ProcessEnv;
let work: string;
let repoProjectFiles: Record<string, string>;

beforeAll(() => {
    fake = installFakePulumi("lct-lifecycle-");
    env = fake.env({ LINODE_TOKEN: TOKEN });
    work = path.join(fake.root, "work");
    fs.mkdirSync(work);
    fs.copyFileSync(TWO_REGION, path.join(work, "shop.yaml"));
    repoProjectFiles = packageProjectFiles();
});
afterAll(() => {
    fs.rmSync(fake.root, { recursive: true, force: true });
    // Whatever ran here, the package folder's Pulumi files are as they were: no stack settings there.
    expect(packageProjectFiles()).toEqual(repoProjectFiles);
});
beforeEach(() => {
    fake.clearCalls();
    fake.scenario(undefined);
});

const up = (args: string[], e = env) => lct(["up", ...args], e, { cwd: work });

describe("lct up", () => {
    it("creates the stack on a LocalWorkspace in LCT's project folder, sets lct:plan and deploys, with these pulumi calls", async () => {
        const r = await up(["dev", "--plan", "shop.yaml"]);
        expect(r.code, r.err).toBe(0);
        const backend = `file://${path.join(fake.home, ".lct", "state")}`;
        // What the Automation API (and LCT) ran, in order.
        expect(fake.calls().map(commandOf)).toEqual(["version", "whoami", "stack select", "stack init", "config", "config set-all", "up", "stack output", "stack output", "stack history"]);
        const calls = fake.calls();
        expect(calls[1]!.argv).toEqual(["whoami", "--json", "--non-interactive"]);
        expect(calls[2]!.argv).toEqual(["stack", "select", "--stack", "dev", "--non-interactive"]);
        expect(calls[3]!.argv).toEqual(["stack", "init", "dev", "--non-interactive"]);
        expect(calls[4]!.argv).toEqual(["config", "--json", "--stack", "dev", "--non-interactive"]);
        expect(calls[5]!.argv).toEqual(["config", "set-all", "--stack", "dev", "--plaintext", `lct:plan=${path.join(work, "shop.yaml")}`, "--non-interactive"]);
        const upCall = calls[6]!.argv;
        expect(upCall.filter((a) => !a.startsWith("tcp://"))).toEqual(["up", "--yes", "--skip-preview", "--color", "never", "--exec-kind", "auto.local", "--event-log", "--stack", "dev", "--non-interactive"]);
        expect(upCall[upCall.indexOf("--event-log") + 1]).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
        expect(calls[8]!.argv).toEqual(["stack", "output", "--json", "--show-secrets", "--stack", "dev", "--non-interactive"]);
        expect(calls[9]!.argv).toEqual(["stack", "history", "--json", "--page-size", "1", "--page", "1", "--stack", "dev", "--non-interactive"]);
        // Every pulumi run after `version` is in LCT's project folder under HOME, with the chosen backend.
        for (const c of calls.slice(1)) {
            expect(c.cwd).toBe(fake.projectDir);
            expect(c.env.PULUMI_BACKEND_URL).toBe(backend);
            expect(c.env.PULUMI_CONFIG_PASSPHRASE).toEqual({ set: true, sha256: sha(TEST_PASSPHRASE), length: TEST_PASSPHRASE.length });
        }
        expect(calls[6]!.env.LINODE_TOKEN).toEqual({ set: true, sha256: sha(TOKEN), length: TOKEN.length });
        expect(calls[6]!.env.PULUMI_AUTOMATION_API).toBe("true");
        // The summary: changes, duration, the inventory's node count.
        expect(r.out).toMatch(/^stack "dev" updated in \d+s: 61 created\ncluster "shop": 7 nodes in the stack's inventory\n$/);
        expect(r.err).toContain(`created stack "dev" in ${backend}`);
        expect(r.err).toContain("Updating (dev):"); // pulumi's progress, streamed
        // The state folder was created under HOME; the stack holds what the real program registered.
        expect(fs.statSync(path.join(fake.home, ".lct", "state")).mode & 0o777).toBe(0o700);
        const state = fake.stack("dev")!;
        expect(state.config["lct:plan"]).toEqual({ secret: false, value: path.join(work, "shop.yaml") });
        expect(state.resources).toHaveLength(61);
        expect(state.resources.filter((x) => x.type === "linode:index/instance:Instance").map((x) => x.name).sort()).toEqual(
            ["eu-central-web-1", "eu-central-web-2", "us-ord-db-1", "us-ord-db-2", "us-ord-web-1", "us-ord-web-2", "us-ord-web-3"].map((n) => `dev-${n}-instance`),
        );
        expectNoSecretsAnywhere(fake, [TOKEN, TEST_PASSPHRASE], [r.out, r.err]);
    });

    it("keeps the stack's settings (config, encryption salt) in ~/.lct/project, never in the package folder", () => {
        // The project: the package's Pulumi.yaml with main through a link to the package (pulumi
        // wants main relative and inside the project folder); the fake ran the program through it.
        const project = parse(fs.readFileSync(path.join(fake.projectDir, "Pulumi.yaml"), "utf8"));
        const own = parse(fs.readFileSync(path.join(REPO, "Pulumi.yaml"), "utf8"));
        expect(project).toEqual({ ...own, main: `package/${own.main}` });
        expect(fs.realpathSync(path.join(fake.projectDir, "package"))).toBe(fs.realpathSync(REPO));
        expect(fs.statSync(fake.projectDir).mode & 0o777).toBe(0o700);
        // pulumi's Pulumi.dev.yaml there: the plan and the passphrase's salt; the backend's state holds no config.
        const settings = parse(fs.readFileSync(fake.settingsFile("dev"), "utf8"));
        expect(settings).toEqual({ encryptionsalt: expect.stringMatching(/^v1:/), config: { "lct:plan": path.join(work, "shop.yaml") } });
        expect(JSON.parse(fs.readFileSync(fake.stackFile("dev"), "utf8"))).not.toHaveProperty("config");
        expect(fs.readdirSync(fake.projectDir).sort()).toEqual(["Pulumi.dev.yaml", "Pulumi.yaml", "package"]);
        expect(packageProjectFiles()).toEqual(repoProjectFiles);
    });

    it("updates an existing stack from its config alone (read back from ~/.lct/project), and reports no changes", async () => {
        const salt = parse(fs.readFileSync(fake.settingsFile("dev"), "utf8")).encryptionsalt;
        const r = await up(["dev", "--quiet"]);
        expect(r).toMatchObject({ code: 0, err: "" });
        expect(r.out).toMatch(/^stack "dev" updated in \d+s: 61 unchanged\n/);
        expect(fake.calls().map(commandOf)).toEqual(["version", "whoami", "stack select", "config", "up", "stack output", "stack output", "stack history"]);
        // The program got lct:plan from the settings file: the same cluster; the salt is unchanged.
        expect((fake.stack("dev")!.outputs.inventory!.value as { cluster: string }).cluster).toBe("shop");
        expect(parse(fs.readFileSync(fake.settingsFile("dev"), "utf8")).encryptionsalt).toBe(salt);
    });

    it("--power and a plan switch: sets lct:power, removes lct:template and lct:parameters left from before", async () => {
        // As if the stack had been deployed from a template before.
        fake.editConfig("dev", (c) => {
            c["lct:template"] = { secret: false, value: "quickstart" };
            c["lct:parameters"] = { secret: false, value: '{"webCount":4}' };
        });
        const r = await up(["dev", "--plan", "shop.yaml", "--power", "stopped", "--json"]);
        expect(r.code, r.err).toBe(0);
        const report = JSON.parse(r.out);
        expect(report).toMatchObject({ operation: "up", stack: "dev", ok: true, changes: { same: 61 }, cluster: "shop", nodes: 7, failed: [], diagnostics: [] });
        const argv = fake.calls().map((c) => c.argv);
        expect(argv).toContainEqual(["config", "set-all", "--stack", "dev", "--plaintext", "lct:power=stopped", "--plaintext", `lct:plan=${path.join(work, "shop.yaml")}`, "--non-interactive"]);
        expect(argv).toContainEqual(["config", "rm-all", "--stack", "dev", "lct:template", "lct:parameters", "--non-interactive"]);
        const state = fake.stack("dev")!;
        expect(Object.keys(state.config).sort()).toEqual(["lct:plan", "lct:power"]);
        // The program the fake ran saw lct:power: ClusterPower's input.
        expect((state.resources.find((x) => x.type === "pulumi-nodejs:dynamic/lct:ClusterPower") as unknown as { inputs: { power: string } }).inputs.power).toBe("stopped");
    });

    it("the inventory of the deployed stack is readable with lct inventory --stack (same project folder and backend)", async () => {
        const r = await lct(["inventory", "query", "role=postgresql", "--stack", "dev", "--format", "labels"], env, { cwd: work });
        expect(r).toEqual({ code: 0, out: "shop-us-ord-db-1\nshop-us-ord-db-2\n", err: "" });
        expect(fake.calls().find((c) => commandOf(c) === "stack export")!.cwd).toBe(fake.projectDir);
    });

    it("the program's log.warn reaches the summary as a warning diagnostic on its resource, as pulumi's engine makes it", async () => {
        const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ops@example";
        fs.writeFileSync(path.join(work, "own-key.yaml"), `name: ownkey\ndefaults: { sshKeys: ["${key}"] }\nexposure: { adminCidrs: [203.0.113.0/24] }\nregions:\n  - region: us-ord\n    nodeGroups: [{ name: web, count: 1 }]\n`);
        const r = await up(["warned", "--plan", "own-key.yaml", "--json"]);
        expect(r.code, r.err).toBe(0);
        expect(JSON.parse(r.out).diagnostics).toEqual([
            {
                severity: "warning",
                resource: "lct:index:LinodeCluster::warned",
                message: "no admin private key: nodes will not learn about members added when the cluster grows (pass adminPrivateKey, or let LCT generate the key)",
            },
        ]);
        // pulumi's display (streamed to stderr) lists it under Diagnostics.
        expect(r.err).toMatch(/^Diagnostics:\n {2}lct:index:LinodeCluster \(warned\):\n {4}warning: no admin private key: /m);
    });

    it("validates the plan before any pulumi call: invalid → exit 1 with the issues; bad combinations → exit 2", async () => {
        fs.writeFileSync(path.join(work, "bad.yaml"), "name: bad\nregions:\n  - region: us-ordd\n    nodeGroups: [{ name: web, count: 1 }]\n");
        const bad = await up(["dev", "--plan", "bad.yaml"]);
        expect(bad.code).toBe(1);
        expect(bad.err).toContain('bad.yaml:3:13: error: regions[0].region: unknown region "us-ordd" (did you mean "us-ord"?)');
        expect(bad.err).toContain("error: bad.yaml: invalid; lct up stopped before touching any stack");
        for (const [args, message] of [
            [["dev", "--plan", "shop.yaml", "--template", "quickstart"], "give --plan or --template, not both"],
            [["dev", "--plan", "shop.yaml", "--set", "webCount=4"], "--set gives template parameters: use it with --template"],
            [["dev", "--plan", "nope.yaml"], "nope.yaml: no such file"],
            [["dev", "--plan", "quickstart"], "quickstart: no such file (for a bundled template: --template quickstart)"],
            [["dev", "--template", "no-such-template"], 'unknown template "no-such-template"'],
            [["dev", "--power", "paused"], '--power must be "running" or "stopped", not "paused"'],
            [["no spaces", "--plan", "shop.yaml"], 'stack name "no spaces"'],
            [["dev", "--backend", "relative/dir"], 'backend "relative/dir" is not a URL'],
        ] as const) {
            const r = await up([...args]);
            expect(r.code, args.join(" ")).toBe(2);
            expect(r.err, args.join(" ")).toContain(message);
        }
        expect(fake.calls()).toEqual([]);
    });

    it("refuses a new stack without a token (no LINODE_TOKEN, no linode:token) before creating it", async () => {
        const { LINODE_TOKEN: _t, ...noToken } = env;
        const r = await up(["tokenless", "--plan", "shop.yaml"], noToken);
        expect(r.code).toBe(2);
        expect(r.err).toBe(
            'error: no Linode API token for stack "tokenless": store one as a secret with `lct secret set linode-token --stack tokenless` (it reads the token from standard input), or export LINODE_TOKEN in this shell\n',
        );
        expect(fake.calls().map(commandOf)).toEqual(["version", "whoami", "stack select"]);
        expect(fake.stack("tokenless")).toBeUndefined();
    });

    it("uses linode:token from the stack's secret config when LINODE_TOKEN is not set, and warns about a plain-text one", async () => {
        fake.scenario(CANNED);
        expect((await up(["tok", "--plan", "shop.yaml", "--quiet"])).code).toBe(0);
        const { LINODE_TOKEN: _t, ...noToken } = env;
        fake.editConfig("tok", (c) => (c["linode:token"] = { secret: true, sha256: sha(TOKEN), length: TOKEN.length }));
        fake.clearCalls();
        const r = await up(["tok", "--quiet"], noToken);
        expect(r.code, r.err).toBe(0);
        expect(r.err).toBe("");
        const upCall = fake.calls().find((c) => c.argv[0] === "up")!;
        expect(upCall.env.LINODE_TOKEN).toBeUndefined();
        fake.editConfig("tok", (c) => (c["linode:token"] = { secret: false, value: "plain-token-value" }));
        const w = await up(["tok", "--quiet"], noToken);
        expect(w.code, w.err).toBe(0);
        expect(w.err).toBe('warning: linode:token of stack "tok" is stored in plain text; store it as a secret: lct secret set linode-token --stack tok\n');
    });
});

describe("passphrase and backends", () => {
    it("stops before anything when a file backend has no passphrase, or an empty one", async () => {
        const home = fs.mkdtempSync(path.join(fake.root, "home-"));
        const { PULUMI_CONFIG_PASSPHRASE: _p, ...noPass } = env;
        const r = await up(["p1", "--plan", "shop.yaml"], { ...noPass, HOME: home });
        expect(r.code).toBe(2);
        expect(r.err).toMatch(
            new RegExp(`^error: lct up: no passphrase is set for the file backend file://${home}/\\.lct/state: stack secrets \\(the Linode token, the admin private key\\) are encrypted with a passphrase only you hold\\. .*PULUMI_CONFIG_PASSPHRASE_FILE`),
        );
        const empty = await up(["p1", "--plan", "shop.yaml"], { ...noPass, HOME: home, PULUMI_CONFIG_PASSPHRASE: "" });
        expect(empty.code).toBe(2);
        expect(empty.err).toMatch(/PULUMI_CONFIG_PASSPHRASE is empty: an empty passphrase protects nothing/);
        expect(fake.calls()).toEqual([]);
        expect(fs.readdirSync(home)).toEqual([]);
    });

    it("takes PULUMI_CONFIG_PASSPHRASE_FILE (relative to the current folder) and hands pulumi its absolute path", async () => {
        fs.writeFileSync(path.join(work, "pass"), `${TEST_PASSPHRASE}\n`, { mode: 0o600 });
        fake.scenario(CANNED);
        const { PULUMI_CONFIG_PASSPHRASE: _p, ...noPass } = env;
        const r = await up(["tok", "--quiet"], { ...noPass, PULUMI_CONFIG_PASSPHRASE_FILE: "pass" });
        expect(r.code, r.err).toBe(0);
        for (const c of fake.calls().slice(1)) expect(c.env.PULUMI_CONFIG_PASSPHRASE_FILE).toBe(path.join(work, "pass"));
        const missing = await up(["tok"], { ...noPass, PULUMI_CONFIG_PASSPHRASE_FILE: "nope" });
        expect(missing.code).toBe(2);
        expect(missing.err).toMatch(/PULUMI_CONFIG_PASSPHRASE_FILE names .*nope, which does not exist/);
        fs.rmSync(path.join(work, "pass")); // the user's own passphrase file (the secret scans below look at every file)
    });

    it("a wrong passphrase is pulumi's error, explained", async () => {
        const r = await up(["dev", "--quiet"], { ...env, PULUMI_CONFIG_PASSPHRASE: "not the one" });
        expect(r.code).toBe(2);
        expect(r.err).toMatch(/^error: up of stack "dev" failed: error: constructing secrets manager of type "passphrase": incorrect passphrase/);
        expect(fake.stack("dev")!.resources).toHaveLength(61);
    });

    it("--secrets-provider creates the stack with it and needs no passphrase", async () => {
        fake.scenario(CANNED);
        const { PULUMI_CONFIG_PASSPHRASE: _p, ...noPass } = env;
        const r = await up(["kms", "--plan", "shop.yaml", "--secrets-provider", "awskms://alias/lct", "--quiet"], noPass);
        expect(r.code, r.err).toBe(0);
        expect(fake.calls().map((c) => c.argv)).toContainEqual(["stack", "init", "kms", "--secrets-provider", "awskms://alias/lct", "--non-interactive"]);
        expect(fake.stack("kms")!.secretsProvider).toBe("awskms://alias/lct");
    });

    it("--backend and PULUMI_BACKEND_URL choose another state location (a file backend folder is created)", async () => {
        fake.scenario(CANNED);
        const other = path.join(fake.root, "other-state");
        const r = await up(["elsewhere", "--plan", "shop.yaml", "--backend", `file://${other}`, "--quiet"]);
        expect(r.code, r.err).toBe(0);
        expect(fake.stack("elsewhere", other)!.resources).toHaveLength(CANNED_COUNT);
        expect(fake.stack("elsewhere")).toBeUndefined();
        const viaEnv = await lct(["refresh", "elsewhere", "--quiet"], { ...env, PULUMI_BACKEND_URL: `file://${other}` }, { cwd: work });
        expect(viaEnv.code, viaEnv.err).toBe(0);
        expect(viaEnv.out).toMatch(new RegExp(`^stack "elsewhere" refreshed in \\d+s: ${CANNED_COUNT} unchanged\\n$`));
        for (const c of fake.calls().slice(-3)) expect(c.env.PULUMI_BACKEND_URL).toBe(`file://${other}`);
    });

    it("a Pulumi Cloud backend without a login fails at whoami, with the way out", async () => {
        const r = await up(["dev", "--backend", "https://api.pulumi.com"]);
        expect(r.code).toBe(2);
        expect(r.err).toBe(
            "error: pulumi cannot use the backend https://api.pulumi.com: error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions — log in with `pulumi login https://api.pulumi.com` or set PULUMI_ACCESS_TOKEN, or keep state locally (the default: --backend file://~/.lct/state)\n",
        );
        fake.scenario({ loggedIn: false });
        const bad = await up(["dev", "--backend", "https://api.pulumi.com"], { ...env, PULUMI_ACCESS_TOKEN: "pul-0123456789abcdef0123" });
        expect(bad.code).toBe(2);
        expect(bad.err).toMatch(/\[401\] Unauthorized: No credentials provided or are invalid\. — log in with/);
        expect(bad.err).not.toContain("pul-0123456789abcdef0123");
        expect(fake.calls().map(commandOf)).toEqual(["version", "whoami", "version", "whoami"]);
    });
});

describe("error paths from pulumi", () => {
    it("a stack locked by another update", async () => {
        fake.scenario({ locked: true });
        const r = await up(["dev", "--quiet"]);
        expect(r.code).toBe(2);
        expect(r.err).toMatch(/^error: up of stack "dev" failed: error: the stack is currently locked by 1 lock\(s\)\. .* — another update of this stack is running; wait for it to end\./);
    });

    it("a resource that fails: exit 2, the resource and pulumi's reason, what was done before, partial state kept", async () => {
        fake.scenario({ failResource: { name: "broken-us-ord-db-1-instance", message: "Error creating a Linode Instance: [400] [type] A Linode of this type is not available in this region" } });
        const r = await up(["broken", "--plan", "shop.yaml", "--quiet"]);
        expect(r.code).toBe(2);
        const kept = fake.stack("broken")!.resources.length;
        expect(kept).toBeGreaterThan(0);
        expect(kept).toBeLessThan(61);
        expect(r.err).toContain("  linode:index/instance:Instance::broken-us-ord-db-1-instance: Error creating a Linode Instance: [400] [type] A Linode of this type is not available in this region\n");
        expect(r.err).toContain(`done before it stopped: ${kept} created\n`);
        expect(r.err).toMatch(
            /error: up of stack "broken" failed \(failed: linode:index\/instance:Instance::broken-us-ord-db-1-instance\): linode:index\/instance:Instance::broken-us-ord-db-1-instance: Error creating a Linode Instance/,
        );
        expect(fake.stack("broken")!.history[0]).toMatchObject({ result: "failed" });
    });

    it("without --plan, the stack's saved plan is checked again first: edited to invalid → exit 1 with its issues; gone → exit 2; no pulumi up", async () => {
        const file = path.join(work, "saved.yaml");
        fs.copyFileSync(path.join(work, "shop.yaml"), file);
        fake.scenario(CANNED);
        expect((await up(["saved", "--plan", "saved.yaml", "--quiet"])).code).toBe(0);
        // Unchanged: deployed again as it is.
        fake.clearCalls();
        const again = await up(["saved", "--quiet"]);
        expect(again.code, again.err).toBe(0);
        expect(fake.calls().map(commandOf)).toContain("up");
        // The plan is referenced, not copied: an edit is seen by the next lct up, which stops before pulumi runs it.
        fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("region: us-ord", "region: us-ordd"));
        fake.clearCalls();
        const bad = await up(["saved", "--quiet"]);
        expect(bad.code).toBe(1);
        expect(bad.err).toMatch(new RegExp(`^${file}:\\d+:\\d+: error: regions\\[0\\]\\.region: unknown region "us-ordd" \\(did you mean "us-ord"\\?\\)$`, "m"));
        expect(bad.err).toContain(`error: ${file}: invalid; lct up stopped before touching any stack (lct validate shows the same issues)\n`);
        expect(fake.calls().map(commandOf)).not.toContain("up");
        expect(fake.calls().map(commandOf)).not.toContain("config set-all");
        // preview --live checks it the same way.
        const p = await lct(["preview", "saved", "--live", "--quiet"], env, { cwd: work });
        expect(p.code).toBe(1);
        expect(fake.calls().map(commandOf)).not.toContain("preview");
        fs.rmSync(file);
        const gone = await up(["saved", "--quiet"]);
        expect(gone.code).toBe(2);
        expect(gone.err).toBe(`error: stack "saved" deploys the plan ${file} (lct:plan), which no longer exists: give --plan <file> or --template <name>\n`);
        expect(fake.stack("saved")!.resources).toHaveLength(CANNED_COUNT);
    });

    it("a program that throws (its plan was edited after lct up checked it): pulumi exits 255, lct exits 2 with the plan's issue", async () => {
        const file = path.join(work, "later.yaml");
        fs.copyFileSync(path.join(work, "shop.yaml"), file);
        fake.scenario(CANNED);
        expect((await up(["later", "--plan", "later.yaml", "--quiet"])).code).toBe(0);
        // The edit lands between lct's check and the program's run; the real program validates it and throws.
        fake.scenario({ editBeforeProgram: { file, from: "region: us-ord", to: "region: us-ordd" } });
        const issue = `${file}:\\d+:\\d+: error: regions\\[0\\]\\.region: unknown region "us-ordd" \\(did you mean "us-ord"\\?\\)`;
        const r = await up(["later", "--quiet", "--json"]);
        expect(r.code).toBe(2);
        const json = JSON.parse(r.out);
        expect(json).toMatchObject({ operation: "up", ok: false, pulumiExitCode: 255, changes: {}, failed: [] });
        expect(json.diagnostics).toEqual([{ severity: "error", resource: "pulumi:pulumi:Stack::lct-later", message: expect.stringMatching(new RegExp(issue)) }]);
        // The summary: pulumi's words for the stack's error diagnostic, without the stack frames.
        // (The region's load balancer and DNS name it too: more issues follow, shortened.)
        const thrown = `Running program '${fs.realpathSync(REPO)}/stacks/index\\.ts' failed with an unhandled exception: PlanValidationError: the cluster plan ${file} is invalid \\(\\d+ errors?\\): ${issue}`;
        expect(r.err).toMatch(new RegExp(`^error: up of stack "later" failed: pulumi:pulumi:Stack::lct-later: ${thrown}.*\n$`));
        expect(r.err).not.toMatch(/\bat resolvePlan\b|node:internal/);
        // Nothing changed; the history says the update failed.
        expect(fake.stack("later")!.resources).toHaveLength(CANNED_COUNT);
        expect(fake.stack("later")!.history[0]).toMatchObject({ result: "failed" });
    });

    it("a non-zero exit with pulumi's own message (a missing provider plugin)", async () => {
        const stderr =
            "error: could not load plugin for linode provider 'default_5_1_1': no resource plugin 'pulumi-resource-linode' found in the workspace at version v5.1.1 or on your $PATH, install the plugin using `pulumi plugin install resource linode v5.1.1`";
        fake.scenario({ fail: [{ command: "up", exitCode: 255, stderr }] });
        const r = await up(["dev", "--quiet"]);
        expect(r.code).toBe(2);
        expect(r.err).toBe(`error: up of stack "dev" failed: ${stderr}\n`);
    });

    it("a stack that does not exist (refresh, destroy, preview --live)", async () => {
        for (const args of [["refresh", "ghost"], ["destroy", "ghost", "--yes"], ["preview", "ghost", "--live"]]) {
            const r = await lct(args, env, { cwd: work });
            expect(r.code, args.join(" ")).toBe(2);
            expect(r.err).toBe(`error: no stack named "ghost" in file://${path.join(fake.home, ".lct", "state")} (LCT's default state folder; --backend or PULUMI_BACKEND_URL choose another)\n`);
        }
        expect(fake.calls().filter((c) => c.argv[0] === "stack" && c.argv[1] === "init")).toEqual([]);
    });

    it("never lets a secret through pulumi's streamed output", async () => {
        fake.scenario({ ...CANNED, leakEnv: ["LINODE_TOKEN", "PULUMI_CONFIG_PASSPHRASE"] });
        const r = await up(["tok"]);
        expect(r.code, r.err).toBe(0);
        expect(r.err).toContain("debug: provider configured with LINODE_TOKEN=[secret]");
        expect(r.err).toContain("debug: provider configured with PULUMI_CONFIG_PASSPHRASE=[secret]");
        expect(r.err).not.toContain(TOKEN);
        expect(r.err).not.toContain(TEST_PASSPHRASE);
    });

    it("reads engine events from the event-log file with a CLI ≤ 3.205 (no gRPC)", async () => {
        fake.scenario({ ...CANNED, version: "3.150.0" });
        const r = await up(["tok", "--quiet", "--json"]);
        expect(r.code, r.err).toBe(0);
        const upCall = fake.calls().find((c) => c.argv[0] === "up")!.argv;
        expect(upCall[upCall.indexOf("--event-log") + 1]).toMatch(/automation-logs-up-.*eventlog\.txt$/);
        expect(JSON.parse(r.out)).toMatchObject({ ok: true, changes: { same: CANNED_COUNT }, nodes: 1, cluster: "canned" });
    });
});

describe("lct preview --live, refresh, destroy", () => {
    it("previews the stack, and a plan change before applying it", async () => {
        const same = await lct(["preview", "dev", "--live", "--quiet"], env, { cwd: work });
        expect(same.code, same.err).toBe(0);
        expect(same.out).toBe('stack "dev" previewed: 61 unchanged\n');
        const previewCall = fake.calls().find((c) => c.argv[0] === "preview")!.argv;
        expect(previewCall.filter((a) => !a.startsWith("tcp://"))).toEqual(["preview", "--color", "never", "--exec-kind", "auto.local", "--event-log", "--stack", "dev", "--non-interactive"]);
        const change = await lct(["preview", "dev", "--live", "--plan", QUICKSTART_PLAN, "--json", "--quiet"], env, { cwd: work });
        expect(change.code, change.err).toBe(0);
        const report = JSON.parse(change.out);
        expect(report.operation).toBe("preview");
        expect(report.changes.create).toBeGreaterThan(0);
        expect(report.changes.delete).toBeGreaterThan(0);
        expect(fake.stack("dev")!.config["lct:plan"]!.value).toBe(QUICKSTART_PLAN);
        // A preview changes config only, never the resources.
        expect(fake.stack("dev")!.resources).toHaveLength(61);
    });

    it("refreshes", async () => {
        const r = await lct(["refresh", "dev", "--quiet"], env, { cwd: work });
        expect(r.code, r.err).toBe(0);
        expect(r.out).toMatch(/^stack "dev" refreshed in \d+s: 61 unchanged\n$/);
        expect(fake.calls().find((c) => c.argv[0] === "refresh")!.argv.filter((a) => !a.startsWith("tcp://"))).toEqual([
            "refresh",
            "--skip-preview",
            "--yes",
            "--color",
            "never",
            "--event-log",
            "--exec-kind",
            "auto.local",
            "--stack",
            "dev",
            "--non-interactive",
        ]);
    });

    it("destroy needs --yes, and does nothing without it", async () => {
        const r = await lct(["destroy", "dev"], env, { cwd: work });
        expect(r.code).toBe(2);
        expect(r.err).toMatch(/^error: lct destroy deletes every resource of stack "dev" .*Run again with --yes to go ahead\n$/);
        expect(fake.calls()).toEqual([]);
    });

    it("protected volumes stop destroy before anything is deleted, with how to release them; --exclude-protected keeps them", async () => {
        const r = await lct(["destroy", "dev", "--yes", "--quiet"], env, { cwd: work });
        expect(r.code).toBe(2);
        expect(r.err).toContain(
            'error: destroy of stack "dev" not started: 2 resources are protected (linode:index/volume:Volume::dev-us-ord-db-storage-1-data, linode:index/volume:Volume::dev-us-ord-db-storage-2-data); nothing was deleted.',
        );
        expect(r.err).toContain("lct destroy dev --yes --exclude-protected");
        expect(r.err).toContain("set deletionPolicy: delete on the storage in the plan and run lct up dev");
        expect(r.err).toContain("pulumi state unprotect --all --yes --stack dev");
        // The state was read without decrypting anything, and no destroy ran.
        expect(fake.calls().map((c) => c.argv)).toContainEqual(["stack", "export", "--stack", "dev", "--non-interactive"]);
        expect(fake.calls().some((c) => c.argv[0] === "destroy")).toBe(false);
        expect(fake.stack("dev")!.resources).toHaveLength(61);
        const bad = await lct(["destroy", "dev", "--yes", "--exclude-protected", "--remove"], env, { cwd: work });
        expect(bad).toMatchObject({ code: 2, err: "error: --remove needs an empty stack: it cannot go with --exclude-protected\n" });
        const keep = await lct(["destroy", "dev", "--yes", "--exclude-protected", "--quiet"], env, { cwd: work });
        expect(keep.code, keep.err).toBe(0);
        const left = fake.stack("dev")!.resources;
        const volumes = left.filter((x) => x.type === "linode:index/volume:Volume");
        expect(volumes.map((v) => v.name).sort()).toEqual(["dev-us-ord-db-storage-1-data", "dev-us-ord-db-storage-2-data"]);
        expect(keep.out).toMatch(new RegExp(`^stack "dev" destroyed in \\d+s: ${61 - left.length} deleted\\n$`));
        expect(fake.calls().filter((c) => c.argv[0] === "destroy").pop()!.argv).toContain("--exclude-protected");
    });

    it("a protection error from pulumi's destroy itself is explained too", async () => {
        fake.scenario({ ...CANNED, cannedResources: CANNED.cannedResources.map((r) => ({ ...r, protect: false })) });
        expect((await up(["race", "--plan", "shop.yaml", "--quiet"])).code).toBe(0);
        const urn = "urn:pulumi:race::lct::lct:index:LinodeCluster$linode:index/volume:Volume::c-web-1-data";
        fake.scenario({
            fail: [{ command: "destroy", exitCode: 255, stderr: `error: unable to delete resource "${urn}"\nas it is currently marked for protection. To unprotect the resource, either remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\` or use the command:\n\`pulumi state unprotect '${urn}'\`` }],
        });
        const r = await lct(["destroy", "race", "--yes", "--quiet"], env, { cwd: work });
        expect(r.code).toBe(2);
        expect(r.err).toMatch(/^error: destroy of stack "race" stopped: 1 resource is protected \(linode:index\/volume:Volume::c-web-1-data\)\. LCT protects volumes by default/);
    });
});
