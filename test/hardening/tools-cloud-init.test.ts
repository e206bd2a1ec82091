import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { renderNodeBootstrap } from "../../sdk/hardening";
import type { ResolvedPlan } from "../../sdk/plan/resolved";
import { announceSkip, requireTool, run } from "../support/tools";
import { parse } from "yaml";
import { decodeUserData } from "../support/user-data";
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

/** The Python that runs cloud-init (its shebang), which can import the cloudinit package. */
const python = () => readFileSync(tool.path!, "utf8").split("\n")[0]!.replace(/^#!\s*/, "").split(" ")[0]!;

/**
 * Keys cloud-init's own schema file defines (the installed package's
 * cloudinit/config/schemas/schema-cloud-config-v1.json): top-level keys are the union of every
 * module's properties; write_files items and user objects have their own property lists.
 * cloud-init 22.4.2 ignores an unknown top-level key silently, so a typo such as
 * `package_updat` would pass `cloud-init schema` and simply not happen on the node.
 */
interface SchemaKeys {
    topLevel: Set<string>;
    writeFile: Set<string>;
    user: Set<string>;
}

function schemaKeys(): SchemaKeys {
    const where = run(python(), ["-c", "import os, cloudinit.config.schemas as s; print(os.path.dirname(s.__file__))"]);
    if (where.status !== 0) throw new Error(`cannot find cloud-init's schema directory: ${where.stderr}`);
    const file = join(where.stdout.trim(), "schema-cloud-config-v1.json");
    type Def = { properties?: Record<string, { items?: { properties?: Record<string, unknown> } }> };
    const schema = JSON.parse(readFileSync(file, "utf8")) as { allOf: Array<{ $ref: string }>; $defs: Record<string, Def> };
    const def = (ref: string) => schema.$defs[ref.replace("#/$defs/", "")]!;
    const topLevel = new Set(schema.allOf.flatMap((r) => Object.keys(def(r.$ref).properties ?? {})));
    const writeFile = new Set(Object.keys(schema.$defs.cc_write_files!.properties!.write_files!.items!.properties!));
    const user = new Set(Object.keys(schema.$defs["users_groups.user"]!.properties!));
    // Sanity: the file is the one we think it is (a renamed file or layout would make every check vacuous).
    for (const k of ["runcmd", "write_files", "users", "packages", "package_update", "hostname"]) if (!topLevel.has(k)) throw new Error(`${file}: no top-level ${k}`);
    return { topLevel, writeFile, user };
}

/** Every key of a decoded cloud-config that cloud-init's schema does not define, with its place. */
function unknownKeys(config: Record<string, unknown>, keys: SchemaKeys): string[] {
    const out = Object.keys(config).filter((k) => !keys.topLevel.has(k));
    ((config.write_files ?? []) as Array<Record<string, unknown>>).forEach((f, i) => {
        for (const k of Object.keys(f)) if (!keys.writeFile.has(k)) out.push(`write_files[${i}].${k}`);
    });
    ((config.users ?? []) as unknown[]).forEach((u, i) => {
        if (u && typeof u === "object" && !Array.isArray(u)) for (const k of Object.keys(u)) if (!keys.user.has(k)) out.push(`users[${i}].${k}`);
    });
    return out;
}

describe.skipIf(tool.skip !== undefined)("cloud-init's schema file: every key LCT writes is one cloud-init knows", () => {
    const keys = tool.skip === undefined ? schemaKeys() : undefined;

    it("reports a misspelled key that cloud-init schema itself lets through (the check can fail)", async () => {
        const text = "#cloud-config\npackage_updat: true\nwrite_files:\n  - path: /etc/x\n    content: x\n    permisions: '0600'\nusers:\n  - name: ops\n    lock_pasword: true\n";
        expect(unknownKeys(parse(text) as Record<string, unknown>, keys!)).toEqual(["package_updat", "write_files[0].permisions", "users[0].lock_pasword"]);
        // cloud-init 22.4.2 accepts the top-level typo without a word: only the allowlist catches it.
        const topOnly = join(dir, "typo.yaml");
        writeFileSync(topOnly, "#cloud-config\npackage_updat: true\nruncmd: [[echo, hi]]\n");
        const r = await schemaCli(topOnly);
        expect(r.out.trim()).toBe(`Valid cloud-config: ${topOnly}`);
        expect(unknownKeys(parse(readFileSync(topOnly, "utf8")) as Record<string, unknown>, keys!)).toEqual(["package_updat"]);
    });

    it.each(ALL_PLANS)("every node of the %s plan uses only schema keys", (name, make) => {
        for (const file of writeAll(make(), `keys-${name}`)) {
            const config = decodeUserData(readFileSync(file, "utf8")).config;
            expect(unknownKeys(config, keys!), file).toEqual([]);
            // Not vacuous: the documents do use the keys checked.
            expect(Object.keys(config)).toEqual(expect.arrayContaining(["users", "write_files", "runcmd"]));
        }
    });
});

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
                        const p = spawn(python(), [script, ...part]);
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
