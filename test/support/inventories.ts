/**
 * Cluster inventories for pure tests: a plan (file or object) resolved and built with
 * invented but consistent observed addresses (ids 1000+, public 45.0.0.x, private
 * 192.168.128.x where the plan asks for one, IPv6 2600:3c00::x).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { buildInventory } from "../../sdk/inventory/build";
import type { ClusterInventory, Observed } from "../../sdk/inventory/types";
import { checkPlanFile } from "../../sdk/plan/check";
import type { ResolvedPlan } from "../../sdk/plan/resolved";
import type { ClusterPlanInput } from "../../sdk/plan/schema";
import { renderPlanYaml } from "../../sdk/templates/plan-yaml";
import { renderTemplate } from "../../sdk/templates/render";

export const REPO = path.join(__dirname, "..", "..");
export const STACK_EXPORTS = path.join(REPO, "test", "fixtures", "stack-exports");

export function resolvePlanForTest(plan: string | ClusterPlanInput): ResolvedPlan {
    let file = typeof plan === "string" ? plan : undefined;
    let tmp: string | undefined;
    if (!file) {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lct-inv-plan-"));
        file = path.join(tmp, "plan.yaml");
        fs.writeFileSync(file, stringify(plan));
    }
    try {
        const check = checkPlanFile(file);
        if (!check.ok || !check.resolved) throw new Error(`test plan is invalid: ${check.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
        return check.resolved;
    } finally {
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    }
}

export function inventedObserved(plan: ResolvedPlan, opts: { addresses?: boolean } = {}): Observed {
    if (opts.addresses === false) return { nodes: {}, volumes: {}, loadBalancers: {} };
    return {
        nodes: Object.fromEntries(
            plan.nodes.map((n, i) => [
                n.name,
                {
                    id: String(1000 + i),
                    publicIpv4: `45.0.${Math.floor((i + 1) / 250)}.${((i + 1) % 250) + 1}`,
                    ...(n.privateIp ? { privateIpv4: `192.168.128.${(i % 250) + 1}` } : {}),
                    ipv6: `2600:3c00::${(i + 1).toString(16)}/128`,
                },
            ]),
        ),
        volumes: Object.fromEntries(plan.volumes.map((v, i) => [v.name, { id: String(5000 + i) }])),
        loadBalancers: Object.fromEntries(plan.loadBalancers.map((lb, i) => [lb.name, { id: String(7000 + i), ipv4: `198.51.100.${i + 1}`, hostname: `nb-${i}.example.net` }])),
    };
}

/** A plan's inventory with invented addresses (or none, like a preview). */
export function testInventory(plan: string | ClusterPlanInput, opts: { addresses?: boolean } = {}): ClusterInventory {
    const resolved = resolvePlanForTest(plan);
    return buildInventory(resolved, inventedObserved(resolved, opts));
}

/**
 * A plan file of the quickstart template rendered with its defaults (templates/quickstart.yaml
 * is a template, not a plan), written once per process.
 */
let quickstartFile: string | undefined;
export function quickstartPlan(): string {
    if (quickstartFile === undefined) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lct-quickstart-"));
        process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
        quickstartFile = path.join(dir, "quickstart.yaml");
        fs.writeFileSync(quickstartFile, renderPlanYaml(renderTemplate("quickstart")));
    }
    return quickstartFile;
}
export const twoRegionPlan = (): string => path.join(REPO, "test", "fixtures", "plans", "two-region.yaml");
export const streamsPlan = (): string => path.join(STACK_EXPORTS, "plans", "streams.yaml");

export function readFixture(name: string): string {
    return fs.readFileSync(path.join(STACK_EXPORTS, name), "utf8");
}

/** Every secret of a stack-export fixture (from its .secrets.json), for leak checks. */
export function fixtureSecrets(name: string): string[] {
    return JSON.parse(fs.readFileSync(path.join(STACK_EXPORTS, name.replace(/\.json$/, ".secrets.json")), "utf8")) as string[];
}

/** Fails with the offending secret when `text` contains any secret (or a distinctive line of one). */
export function expectNoSecrets(text: string, secrets: readonly string[], what: string): void {
    for (const s of secrets) {
        const pieces = [s, ...s.split("\n").filter((l) => l.length >= 8 && !/^-----(BEGIN|END) /.test(l))];
        for (const p of pieces) {
            if (text.includes(p)) throw new Error(`${what} contains a secret: ${JSON.stringify(p.slice(0, 24))}…`);
        }
    }
    if (/PRIVATE KEY-----/.test(text)) throw new Error(`${what} contains a private key`);
    if (text.includes("1b47061264138c4ac30d75fd1eb44270")) throw new Error(`${what} contains a Pulumi secret value`);
}
