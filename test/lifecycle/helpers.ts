/** Shared by the lifecycle tests: the fake pulumi, an in-process `lct`, and secret scans. */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "vitest";
import { memoryIO } from "../../sdk/cli/io";
import { runCli } from "../../sdk/cli/main";
import type { FakePulumi } from "../support/fake-pulumi";

export const REPO = path.join(__dirname, "..", "..");
export const LCT = path.join(REPO, "bin", "lct.js");
export const TWO_REGION = path.join(REPO, "test", "fixtures", "plans", "two-region.yaml");
export const QUICKSTART_PLAN = path.join(REPO, "test", "preview", "fixtures", "quickstart-plan.yaml");

export interface CliResult {
    code: number;
    out: string;
    err: string;
}

export async function lct(args: string[], env: NodeJS.ProcessEnv, opts: { cwd?: string; stdin?: string } = {}): Promise<CliResult> {
    const io = memoryIO({ env, ...(opts.cwd ? { cwd: opts.cwd } : {}), ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}) });
    const code = await runCli(args, io);
    return { code, out: io.stdout(), err: io.stderr() };
}

/** The pieces of a secret worth searching for: the whole value and each long line of it. */
export function secretPieces(secrets: readonly string[]): string[] {
    const out = new Set<string>();
    for (const s of secrets) {
        out.add(s.trim());
        for (const l of s.split("\n")) if (l.trim().length >= 16 && !l.startsWith("-----")) out.add(l.trim());
    }
    return [...out].filter((p) => p.length >= 6);
}

/** No secret in what lct printed, in any pulumi argv, in the fake's log, or in any file under its folder. */
export function expectNoSecretsAnywhere(fake: FakePulumi, secrets: readonly string[], printed: string[]): void {
    const pieces = secretPieces(secrets);
    for (const p of pieces) {
        for (const text of printed) expect(text.includes(p), "printed by lct").toBe(false);
        for (const c of fake.calls()) expect(c.argv.join(" ").includes(p), `argv of pulumi ${c.argv.slice(0, 3).join(" ")}`).toBe(false);
        expect(fake.callLogText().includes(p), "the fake's call log").toBe(false);
        for (const f of fake.allFiles()) expect(fs.readFileSync(f, "utf8").includes(p), `file ${f}`).toBe(false);
    }
}

/**
 * The package folder's Pulumi files (Pulumi.yaml, the committed Pulumi.dev.yaml, any
 * Pulumi.<stack>.yaml) with their contents: lct must never write there (its stacks' settings
 * live in ~/.lct/project).
 */
export function packageProjectFiles(): Record<string, string> {
    return Object.fromEntries(
        fs
            .readdirSync(REPO)
            .filter((f) => /^Pulumi(\..+)?\.ya?ml$/.test(f))
            .sort()
            .map((f) => [f, fs.readFileSync(path.join(REPO, f), "utf8")]),
    );
}

/**
 * A scenario where the fake does not run the real program (3 s per run) but "registers" these
 * resources: for tests about everything around the program (tokens, backends, passphrases …).
 */
export const CANNED = {
    program: "canned",
    cannedResources: [
        { type: "lct:index:LinodeCluster", name: "c", custom: false },
        { type: "linode:index/instance:Instance", name: "c-web-1-instance", parent: "c" },
        { type: "linode:index/volume:Volume", name: "c-web-1-data", parent: "c", protect: true },
    ],
    cannedOutputs: { inventory: { value: { schemaVersion: 1, cluster: "canned", adminUser: "ops", nodes: [{ label: "canned-web-1", publicIpv4: "192.0.2.10" }] }, secret: false } },
};
/** Resources a canned up creates: the three above and the stack itself. */
export const CANNED_COUNT = 4;
