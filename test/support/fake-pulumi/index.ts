/**
 * Test helpers around the fake `pulumi` (./fake-pulumi.js): a private folder per test file with
 * `bin/pulumi` (a wrapper that runs the fake with this folder as its home), the call log, the
 * scenario file and a HOME for LCT (so `~/.lct/state` and `~/.lct/project` are inside it too).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";

export const FAKE_PULUMI_SCRIPT = path.join(__dirname, "fake-pulumi.js");

export interface FakeCall {
    argv: string[];
    cwd: string;
    /** PULUMI_* and LINODE_* variables; secret ones as { set, sha256, length }. */
    env: Record<string, string | { set: true; sha256: string; length: number }>;
    stdin?: { bytes: number; sha256: string };
}

export type FakeConfigEntry = { secret: boolean; value?: string; sha256?: string; length?: number };

export interface FakeStackState {
    name: string;
    project: string;
    backend: string;
    secretsProvider: string;
    /** From the stack's settings file (Pulumi.<stack>.yaml in the project folder), not the backend. */
    config: Record<string, FakeConfigEntry>;
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
    /** LCT's project folder under that HOME, where pulumi runs and keeps stack settings. */
    projectDir: string;
    /** The environment for LCT: PATH with the fake first, HOME, a passphrase. */
    env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
    calls(): FakeCall[];
    /** Forgets the calls so far. */
    clearCalls(): void;
    /** The raw text of the call log (for "no secret anywhere" checks). */
    callLogText(): string;
    scenario(s: Record<string, unknown> | undefined): void;
    /**
     * A stack as the fake keeps it: its state in the default file backend (or the folder
     * given), with the config of its settings file in LCT's project folder (or the one given).
     */
    stack(name: string, backendDir?: string, projectDir?: string): FakeStackState | undefined;
    /** The stack's state in the backend (no config there, as with pulumi). */
    stackFile(name: string, backendDir?: string): string;
    /** `Pulumi.<stack>.yaml`: the stack's settings as pulumi writes them (config, encryption salt). */
    settingsFile(name: string, projectDir?: string): string;
    /** Changes a stack's config in its settings file, as a hand edit or another tool would. */
    editConfig(name: string, edit: (config: Record<string, FakeConfigEntry>) => void, projectDir?: string): void;
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
    const projectDir = path.join(home, ".lct", "project");
    const stackFile = (name: string, backendDir = path.join(home, ".lct", "state")) => path.join(backendDir, ".pulumi", "stacks", "lct", `${name}.json`);
    const settingsFile = (name: string, dir = projectDir) => path.join(dir, `Pulumi.${name}.yaml`);
    const readSettings = (name: string, dir?: string): Record<string, unknown> => {
        const f = settingsFile(name, dir);
        return fs.existsSync(f) ? ((parse(fs.readFileSync(f, "utf8")) ?? {}) as Record<string, unknown>) : {};
    };
    // The fake's settings format (fake-pulumi.js): secrets as { secure: "v1:fake-sha256:<sha>:<length>" }.
    const SECURE = "v1:fake-sha256:";
    const toEntries = (config: Record<string, unknown>): Record<string, FakeConfigEntry> =>
        Object.fromEntries(
            Object.entries(config).map(([k, v]) => {
                const secure = (v as { secure?: unknown } | null)?.secure;
                if (typeof secure === "string") {
                    const [sha256, length] = secure.slice(SECURE.length).split(":");
                    return [k, { secret: true, sha256: sha256!, length: Number(length) }];
                }
                return [k, { secret: false, value: typeof v === "string" ? v : JSON.stringify(v) }];
            }),
        );
    return {
        root,
        binDir,
        home,
        projectDir,
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
        stack: (name, backendDir, dir) => {
            const f = stackFile(name, backendDir);
            if (!fs.existsSync(f)) return undefined;
            const state = JSON.parse(fs.readFileSync(f, "utf8")) as FakeStackState;
            return { ...state, config: toEntries((readSettings(name, dir).config ?? {}) as Record<string, unknown>) };
        },
        stackFile,
        settingsFile,
        editConfig: (name, edit, dir) => {
            const doc = readSettings(name, dir);
            const config = toEntries((doc.config ?? {}) as Record<string, unknown>);
            edit(config);
            doc.config = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, v.secret ? { secure: `${SECURE}${v.sha256}:${v.length}` } : v.value]));
            fs.writeFileSync(settingsFile(name, dir), stringify(doc));
        },
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
