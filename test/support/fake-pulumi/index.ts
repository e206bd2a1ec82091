/**
 * Test helpers around the fake `pulumi` (./fake-pulumi.js): a private folder per test file with
 * `bin/pulumi` (a wrapper that runs the fake with this folder as its home), the call log, the
 * scenario file and a HOME for LCT (so `~/.lct/state` is inside the folder too).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const FAKE_PULUMI_SCRIPT = path.join(__dirname, "fake-pulumi.js");

export interface FakeCall {
    argv: string[];
    cwd: string;
    /** PULUMI_* and LINODE_* variables; secret ones as { set, sha256, length }. */
    env: Record<string, string | { set: true; sha256: string; length: number }>;
    stdin?: { bytes: number; sha256: string };
}

export interface FakeStackState {
    name: string;
    project: string;
    backend: string;
    secretsProvider: string;
    config: Record<string, { secret: boolean; value?: string; sha256?: string; length?: number }>;
    resources: Array<{ urn: string; type: string; name: string; protect: boolean; parentUrn?: string }>;
    outputs: Record<string, { value: unknown; secret: boolean }>;
    history: Array<{ kind: string; result: string; resourceChanges: Record<string, number> }>;
}

export interface FakePulumi {
    /** The folder holding everything (remove it in afterAll). */
    root: string;
    /** Put first on PATH. */
    binDir: string;
    /** HOME for LCT (its default state is <home>/.lct/state). */
    home: string;
    /** The environment for LCT: PATH with the fake first, HOME, a passphrase. */
    env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
    calls(): FakeCall[];
    /** Forgets the calls so far. */
    clearCalls(): void;
    /** The raw text of the call log (for "no secret anywhere" checks). */
    callLogText(): string;
    scenario(s: Record<string, unknown> | undefined): void;
    /** A stack as the fake keeps it in the default file backend (or the folder given). */
    stack(name: string, backendDir?: string): FakeStackState | undefined;
    stackFile(name: string, backendDir?: string): string;
    /** Every file under the fake's folder, for secret scans. */
    allFiles(): string[];
}

export const TEST_PASSPHRASE = "correct horse battery staple 7";

export function installFakePulumi(prefix = "lct-fake-pulumi-"): FakePulumi {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const binDir = path.join(root, "bin");
    const home = path.join(root, "home");
    fs.mkdirSync(binDir);
    fs.mkdirSync(home);
    const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
    fs.writeFileSync(
        path.join(binDir, "pulumi"),
        `#!/bin/sh\nFAKE_PULUMI_HOME=${q(root)} exec ${q(process.execPath)} ${q(FAKE_PULUMI_SCRIPT)} "$@"\n`,
        { mode: 0o755 },
    );
    const log = path.join(root, "calls.jsonl");
    const stackFile = (name: string, backendDir = path.join(home, ".lct", "state")) => path.join(backendDir, ".pulumi", "stacks", "lct", `${name}.json`);
    return {
        root,
        binDir,
        home,
        env: (extra = {}) => ({
            PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}`,
            HOME: home,
            PULUMI_CONFIG_PASSPHRASE: TEST_PASSPHRASE,
            ...extra,
        }),
        calls: () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as FakeCall) : []),
        clearCalls: () => fs.rmSync(log, { force: true }),
        callLogText: () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8") : ""),
        scenario: (s) => {
            const file = path.join(root, "scenario.json");
            if (s === undefined) fs.rmSync(file, { force: true });
            else fs.writeFileSync(file, JSON.stringify(s));
            for (const f of fs.readdirSync(root)) if (/^fail-.*\.count$/.test(f)) fs.rmSync(path.join(root, f));
        },
        stack: (name, backendDir) => {
            const f = stackFile(name, backendDir);
            return fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, "utf8")) as FakeStackState) : undefined;
        },
        stackFile,
        allFiles: () => {
            const out: string[] = [];
            const walk = (d: string) => {
                for (const e of fs.readdirSync(d, { withFileTypes: true })) {
                    const p = path.join(d, e.name);
                    if (e.isDirectory()) walk(p);
                    else if (e.isFile()) out.push(p);
                }
            };
            walk(root);
            return out;
        },
    };
}

/** The pulumi command words of a call, without flags and values: ["config", "set", "lct:plan"]. */
export function commandOf(call: FakeCall): string {
    const words: string[] = [];
    const valueFlags = new Set(["--stack", "--event-log", "--exec-kind", "--color", "--page-size", "--page", "--secrets-provider"]);
    for (let i = 0; i < call.argv.length; i++) {
        const a = call.argv[i]!;
        if (a === "--") break;
        if (valueFlags.has(a)) i++;
        else if (!a.startsWith("-")) words.push(a);
    }
    return words.slice(0, 2).join(" ");
}
