/**
 * Every template's full component tree under Pulumi's mock runtime: the instances per role,
 * the Cloud Firewalls actually registered (at most 25 rules; member-only ports never open to
 * the world or the client networks), and every node's user data — decoded from the
 * instance's `metadatas[0].userData` — within Linode's 65,535 bytes and valid for Debian 12's
 * `cloud-init schema`.
 *
 * cloud-init costs half a second per run, so it runs once per distinct user data: nodes of a
 * group differ only in their identity (name, hostname, FQDN, volume labels), which the test
 * proves by comparing every node's text with those replaced, and the original text of one
 * node per class is what cloud-init validates.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { LinodeCluster } from "../../sdk/components/linode-cluster";
import { USER_DATA_LIMIT } from "../../sdk/hardening";
import type { ResolvedPlan } from "../../sdk/plan/resolved";
import type { ClusterPlanInput } from "../../sdk/plan/schema";
import { installMocks, settle } from "../support/pulumi-mocks";
import { announceSkip, requireTool, run } from "../support/tools";
import { countsByRole, DEFAULT_ROLE_COUNTS, memberOnlyPorts, overlaps, parseRulePorts, resolved, TEMPLATE_NAMES } from "./support";

const cloudInit = requireTool("cloud-init", "cloud-init");
announceSkip(cloudInit);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lct-tpl-userdata-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** One user data per class (text with node identity replaced) → the file of its first node. */
const classes = new Map<string, { file: string; nodes: string[] }>();
/** Every node's user data, for cloud-init's validator in one process. */
const allFiles: string[] = [];

describe.each(TEMPLATE_NAMES)("template %s under the mock runtime", (name) => {
    it("builds the whole tree: instances per role, firewalls, user data", async () => {
        const r = resolved(name);
        const registered = await installMocks();
        const cluster = new LinodeCluster(r.plan.name, { plan: r.rendered.plan as ClusterPlanInput });
        await cluster.built;
        await settle(registered);

        // Instances per role, from what was registered (the lct:role tag), not from the plan.
        const instances = registered.filter((x) => x.type === "linode:index/instance:Instance");
        const byRole: Record<string, number> = {};
        for (const i of instances) {
            const role = (i.plainInputs.tags as string[]).find((t) => t.startsWith("lct:role="))!.slice("lct:role=".length);
            byRole[role] = (byRole[role] ?? 0) + 1;
        }
        expect(byRole).toEqual(DEFAULT_ROLE_COUNTS[name] ?? countsByRole(r.plan));
        expect(instances).toHaveLength(r.plan.nodes.length);

        checkFirewalls(name, r.plan, registered.filter((x) => x.type === "linode:index/firewall:Firewall"));

        for (const i of instances) {
            const nodeName = i.name.replace(/-instance$/, "");
            const node = r.plan.nodes.find((n) => n.name === nodeName)!;
            const metadatas = i.plainInputs.metadatas as Array<{ userData: string }> | undefined;
            expect(metadatas, `${nodeName} has no user data`).toHaveLength(1);
            const text = Buffer.from(metadatas![0]!.userData, "base64").toString("utf8");
            expect(Buffer.byteLength(text, "utf8"), `${nodeName} user data size`).toBeLessThanOrEqual(USER_DATA_LIMIT);
            expect(text.startsWith("#cloud-config\n")).toBe(true);
            const file = path.join(dir, `${nodeName}.yaml`);
            fs.writeFileSync(file, text);
            allFiles.push(file);
            const key = withoutIdentity(text, r.plan, nodeName);
            const hit = classes.get(key);
            if (hit) hit.nodes.push(nodeName);
            else classes.set(key, { file, nodes: [nodeName] });
            // The identity really is in the text (so replacing it is what makes nodes alike).
            expect(text).toContain(node.hostname);
        }
    }, 60_000);
});

describe.skipIf(cloudInit.skip !== undefined)("cloud-init schema (Debian 12, cloud-init 22.4.2)", () => {
    it("rejects a broken cloud-config (the check can fail)", async () => {
        const bad = path.join(dir, "bad.yaml");
        fs.writeFileSync(bad, "#cloud-config\nruncmd: 'echo hi'\nwrite_files: {path: /x}\n");
        const [r] = await schemaAll([bad]);
        expect(r!.status).not.toBe(0);
    });

    it("accepts the user data of every node of every template", async () => {
        const files = [...classes.values()].map((c) => c.file);
        // Nodes of a group share a class: far fewer classes than nodes.
        const nodes = [...classes.values()].reduce((n, c) => n + c.nodes.length, 0);
        expect(nodes).toBe(TEMPLATE_NAMES.reduce((n, t) => n + resolved(t).plan.nodes.length, 0));
        expect(files.length).toBeLessThan(nodes / 2);
        for (const r of await schemaAll(files)) {
            expect(r.out.trim(), r.file).toBe(`Valid cloud-config: ${r.file}`);
            expect(r.status).toBe(0);
        }
    }, 120_000);

    it("and its validator function (what the CLI calls) accepts every node's file, in one process", () => {
        // The CLI costs half a second per start; the same function validates all files in one go.
        const python = fs.readFileSync(cloudInit.path!, "utf8").split("\n")[0]!.replace(/^#!\s*/, "").split(" ")[0]!;
        const script = path.join(dir, "validate.py");
        fs.writeFileSync(
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
                "",
            ].join("\n"),
        );
        const r = run(python, [script, ...allFiles], { timeoutMs: 120_000 });
        expect(r.stdout.trim(), r.stderr).toBe(`validated ${allFiles.length} files, 0 invalid`);
    }, 120_000);
});

/**
 * What makes a node's user data differ from its group's: the hostname and the arguments of the
 * identity steps (name, hostname, FQDN, volume labels) in runcmd; comments are dropped by the
 * parser. Files (the cluster hosts list, firewall, sshd …) are compared whole. Two nodes of a
 * group give the same key, so one cloud-init run per key validates them all: the rest differ
 * only in scalar values at the same places.
 */
function withoutIdentity(text: string, plan: ResolvedPlan, nodeName: string): string {
    const node = plan.nodes.find((n) => n.name === nodeName)!;
    const identity = new Set([node.name, node.hostname, ...(node.fqdn ? [node.fqdn] : []), ...plan.volumes.filter((v) => v.node === nodeName).map((v) => v.label)]);
    const config = parse(text) as Record<string, unknown>;
    config.hostname = "HOST";
    config.runcmd = (config.runcmd as Array<string | string[]>).map((c) => (Array.isArray(c) ? c.map((a) => (identity.has(a) ? "ID" : a)) : c));
    return `${node.group}\n${JSON.stringify(config)}`;
}

function checkFirewalls(name: string, plan: ResolvedPlan, firewalls: Array<{ name: string; plainInputs: Record<string, any> }>): void {
    const t = resolved(name).template;
    const clientCidrs = new Set<string>((resolved(name).rendered.parameters.clientCidrs as string[] | undefined) ?? []);
    expect(firewalls.length).toBe(plan.firewalls.length);
    for (const fw of firewalls) {
        const spec = plan.firewalls.find((f) => f.resourceName === fw.name)!;
        expect(spec, fw.name).toBeDefined();
        const inbounds = fw.plainInputs.inbounds as Array<{ ports: string; protocol: string; ipv4s?: string[]; ipv6s?: string[] }>;
        expect(inbounds.length, `${fw.name}: rules`).toBeLessThanOrEqual(25);
        expect(fw.plainInputs.inboundPolicy).toBe("DROP");
        for (const groupKey of spec.groups) {
            const role = plan.groups.find((g) => g.key === groupKey)!.role;
            const memberOnly = memberOnlyPorts(name, role, t.roles[role]?.ports.members ?? []);
            for (const rule of inbounds) {
                const open = [...(rule.ipv4s ?? []), ...(rule.ipv6s ?? [])];
                const outside = open.filter((a) => a === "0.0.0.0/0" || a === "::/0" || clientCidrs.has(a));
                if (outside.length === 0) continue;
                const ranges = parseRulePorts(rule.ports);
                const leaked = memberOnly.filter((m) => m.protocol === rule.protocol.toLowerCase() && ranges.some((p) => overlaps(p, m)));
                expect(leaked, `${fw.name}: ${rule.ports}/${rule.protocol} open to ${outside.join(", ")}`).toEqual([]);
            }
        }
    }
}

function schemaCli(file: string): Promise<{ file: string; status: number; out: string }> {
    return new Promise((resolve) => {
        const p = spawn(cloudInit.path!, ["schema", "--config-file", file]);
        let out = "";
        p.stdout.on("data", (d: Buffer) => (out += d.toString()));
        p.stderr.on("data", (d: Buffer) => (out += d.toString()));
        p.on("close", (status) => resolve({ file, status: status ?? -1, out }));
    });
}

/** Two at a time (two cores). */
async function schemaAll(files: readonly string[]): Promise<Array<{ file: string; status: number; out: string }>> {
    const results: Array<{ file: string; status: number; out: string }> = [];
    let next = 0;
    const worker = async () => {
        while (next < files.length) results.push(await schemaCli(files[next++]!));
    };
    await Promise.all([worker(), worker()]);
    return results;
}
