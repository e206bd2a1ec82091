import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { renderNodeBootstrap } from "../../sdk/hardening";
import type { ResolvedPlan } from "../../sdk/plan/resolved";
import { announceSkip, requireTool, run } from "../support/tools";
import { ALL_PLANS, bigPlan, KEY_ED25519 } from "./fixtures";

/** Debian 12's cloud-init 22.4.2 validates every rendered cloud-config offline. */
const tool = requireTool("cloud-init", "cloud-init");
announceSkip(tool);
const dir = mkdtempSync(join(tmpdir(), "lct-cloud-init-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** StackScript groups rendered as cloud-config too, so every group's content is validated. */
function writeAll(plan: ResolvedPlan, sub: string): string[] {
    const asCloud: ResolvedPlan = { ...plan, groups: plan.groups.map((g) => ({ ...g, configMethod: "cloud-init" as const })) };
    return plan.nodes.map((n) => {
        const b = renderNodeBootstrap(asCloud, n.name, { sshKeys: [KEY_ED25519] });
        if (b.method !== "cloud-init") throw new Error("cloud-init expected");
        const file = join(dir, `${sub}-${n.name}.yaml`);
        writeFileSync(file, b.userData);
        return file;
    });
}

function schemaCli(file: string): Promise<{ status: number; out: string }> {
    return new Promise((resolve) => {
        const p = spawn(tool.path!, ["schema", "--config-file", file]);
        let out = "";
        p.stdout.on("data", (d: Buffer) => (out += d.toString()));
        p.stderr.on("data", (d: Buffer) => (out += d.toString()));
        p.on("close", (status) => resolve({ status: status ?? -1, out }));
    });
}

/** Two at a time: the machine has two cores. */
async function schemaAll(files: readonly string[]) {
    const results: Array<{ file: string; status: number; out: string }> = [];
    let next = 0;
    const worker = async () => {
        while (next < files.length) {
            const file = files[next++]!;
            results.push({ file, ...(await schemaCli(file)) });
        }
    };
    await Promise.all([worker(), worker()]);
    return results;
}

describe.skipIf(tool.skip !== undefined)("cloud-init schema --config-file (cloud-init 22.4.2)", () => {
    it("rejects a broken cloud-config (the check can fail)", async () => {
        const bad = join(dir, "bad.yaml");
        writeFileSync(bad, "#cloud-config\nruncmd: 'echo hi'\npackages: nginx\n");
        const r = await schemaCli(bad);
        expect(r.status).not.toBe(0);
        expect(r.out).toMatch(/is not of type 'array'/);
    });

    it.each(ALL_PLANS)("every node of the %s plan is valid", async (name, make) => {
        const results = await schemaAll(writeAll(make(), name));
        for (const r of results) {
            expect(r.out.trim(), r.file).toBe(`Valid cloud-config: ${r.file}`);
            expect(r.status, r.out).toBe(0);
        }
    }, 120_000);

    it("every node of the 1,500-node plan is valid (cloud-init's own validator, in-process)", async () => {
        const files = writeAll(bigPlan(), "big");
        // The CLI costs half a second per start; the same function it calls validates in bulk.
        const python = readFileSync(tool.path!, "utf8").split("\n")[0]!.replace(/^#!\s*/, "").split(" ")[0]!;
        const script = join(dir, "validate.py");
        writeFileSync(
            script,
            [
                "import sys",
                "from cloudinit.config.schema import get_schema, validate_cloudconfig_file, SchemaValidationError",
                "schema = get_schema()",
                "bad = 0",
                "for path in sys.argv[1:]:",
                "    try:",
                "        validate_cloudconfig_file(path, schema)",
                "    except SchemaValidationError as e:",
                "        bad += 1",
                "        print(f'INVALID {path}: {e}')",
                "print(f'validated {len(sys.argv) - 1} files, {bad} invalid')",
                "sys.exit(1 if bad else 0)",
                "",
            ].join("\n"),
        );
        const half = Math.ceil(files.length / 2);
        const parts = [files.slice(0, half), files.slice(half)];
        const outs = await Promise.all(
            parts.map(
                (part) =>
                    new Promise<{ status: number; out: string }>((resolve) => {
                        const p = spawn(python, [script, ...part]);
                        let out = "";
                        p.stdout.on("data", (d: Buffer) => (out += d.toString()));
                        p.stderr.on("data", (d: Buffer) => (out += d.toString()));
                        p.on("close", (status) => resolve({ status: status ?? -1, out }));
                    }),
            ),
        );
        outs.forEach((o, i) => {
            expect(o.out.trim(), o.out).toBe(`validated ${parts[i]!.length} files, 0 invalid`);
            expect(o.status).toBe(0);
        });
        // The in-process validator must agree with the CLI on a sample.
        expect(run(tool.path!, ["schema", "--config-file", files[0]!]).status).toBe(0);
    }, 300_000);
});
