/**
 * Benchmark 2: parsing, validating and normalizing a 10,000-node plan (4 regions × 5 groups;
 * two VPC regions, two private-IPv4 regions; services between groups, public ports, storage,
 * a NodeBalancer and DNS — see bench/lib/plans.ts).
 *
 *   npx tsx bench/plan-validate.ts [--nodes 10000] [--runs 10] [--child]
 *
 * What `lct validate plan.yaml` does: `checkPlanText` on the YAML text — parse, schema, every
 * rule (including those hardening registers, e.g. the user-data size limit), normalization.
 * Measured in fresh processes: the first check (what one CLI run pays; V8 has not optimised
 * anything yet), the median and minimum of further checks of the same text, and — in another
 * fresh process — a first check taken apart by phase and rule, to show where the time goes.
 */
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import { stringify } from "yaml";
import "../sdk/hardening";
import { bundledCatalog } from "../sdk/catalog/load";
import { indexCatalog } from "../sdk/catalog/catalog-index";
import { checkPlanText, registeredPlanRules } from "../sdk/plan/check";
import { normalize } from "../sdk/plan/normalize/normalize";
import { parsePlanText } from "../sdk/plan/parse-text";
import { PLAN_RULES, type PlanRule } from "../sdk/plan/rules";
import { clusterPlan } from "../sdk/plan/schema";
import { bigPlan } from "./lib/plans";

function arg(name: string, fallback: string): string {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const nodes = Number(arg("nodes", "10000"));
const runs = Number(arg("runs", "10"));
const TARGET_MS = 300;

function ms(t0: number): number {
    return performance.now() - t0;
}

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** In a child: the check's timings, as one RESULT line. */
function timingChild(): void {
    const text = stringify(bigPlan(nodes));
    const t0 = performance.now();
    const first = checkPlanText(text, { file: "big.yaml" });
    const firstMs = ms(t0);
    if (!first.ok || first.resolved?.nodes.length !== nodes) {
        throw new Error(`the benchmark plan is not valid: ${first.issues.filter((i) => i.severity === "error").map((i) => `${i.path}: ${i.message}`).join("; ")}`);
    }
    const again: number[] = [];
    for (let i = 0; i < runs; i++) {
        const t = performance.now();
        checkPlanText(text, { file: "big.yaml" });
        again.push(ms(t));
    }
    console.log(
        "RESULT " +
            JSON.stringify({
                nodes,
                firstMs: +firstMs.toFixed(1),
                medianMs: +median(again).toFixed(1),
                minMs: +Math.min(...again).toFixed(1),
                runs,
            }),
    );
}

/** In another child: a first check, phase by phase, rule by rule (the steps checkPlanValue takes). */
function phasesChild(): void {
    const text = stringify(bigPlan(nodes));
    const phases: Array<[string, number]> = [];
    const timed = <T>(name: string, fn: () => T): T => {
        const t = performance.now();
        const v = fn();
        phases.push([name, ms(t)]);
        return v;
    };
    const catalog = timed("index catalogue", () => indexCatalog(bundledCatalog));
    const { value } = timed("parse YAML", () => parsePlanText(text, "big.yaml"));
    const rules: PlanRule[] = [...PLAN_RULES, ...registeredPlanRules()];
    for (const r of rules) if (r.phase === "raw") timed(`rule ${r.id}`, () => (r.check as (c: unknown) => unknown)({ raw: value, catalog }));
    const parsed = timed("schema (zod)", () => clusterPlan.safeParse(value));
    if (!parsed.success) throw new Error("schema rejected the plan");
    const plan = parsed.data;
    for (const r of rules) if (r.phase === "plan") timed(`rule ${r.id}`, () => (r.check as (c: unknown) => unknown)({ plan, catalog }));
    const resolved = timed("normalize", () => normalize(plan, catalog.catalog));
    for (const r of rules) if (r.phase === "resolved") timed(`rule ${r.id}`, () => (r.check as (c: unknown) => unknown)({ plan, resolved, catalog }));

    console.log(
        "RESULT " +
            JSON.stringify({
                groups: resolved.groups.length,
                volumes: resolved.volumes.length,
                yamlBytes: text.length,
                phases: phases.map(([n, t]) => [n, +t.toFixed(1)]),
            }),
    );
}

function runChild(kind: string): Record<string, unknown> {
    const out = spawnSync(process.execPath, [...process.execArgv, __filename, "--child", kind, "--nodes", String(nodes), "--runs", String(runs)], {
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
    });
    if (out.status !== 0) throw new Error(`benchmark child failed: ${out.stderr}`);
    const line = out.stdout.split("\n").find((l) => l.startsWith("RESULT "));
    if (!line) throw new Error(`no result from the child: ${out.stdout}${out.stderr}`);
    return JSON.parse(line.slice(7)) as Record<string, unknown>;
}

function main(): void {
    // Fresh processes, so that the first check is what a CLI run pays.
    const t = runChild("timing") as unknown as TimingResult;
    const p = runChild("phases") as unknown as PhasesResult;
    console.log(
        `Plan check (parse YAML, validate, normalize) of ${nodes.toLocaleString("en")} nodes in ${p.groups} groups, ${p.volumes.toLocaleString("en")} volumes ` +
            `(${(p.yamlBytes / 1024).toFixed(1)} KiB of YAML); ${os.cpus().length} CPUs, ${process.version}`,
    );
    console.log(`\n                               time (ms)  ÷ target ${TARGET_MS} ms`);
    const row = (name: string, v: number) => console.log(`${name.padEnd(31)}${v.toFixed(0).padStart(9)}  ${(v / TARGET_MS).toFixed(2).padStart(8)}`);
    row("first check in a new process", t.firstMs);
    row(`next ${t.runs} checks, median`, t.medianMs);
    row(`next ${t.runs} checks, minimum`, t.minMs);
    const total = p.phases.reduce((a, [, v]) => a + v, 0);
    console.log(`\na first check (another new process), by step — ${total.toFixed(0)} ms in all:`);
    for (const [name, v] of [...p.phases].sort((a, b) => b[1] - a[1]).filter(([, v]) => v >= 1)) console.log(`  ${v.toFixed(1).padStart(7)} ms  ${name}`);
    console.log("RESULT " + JSON.stringify({ bench: "plan-validate", ...t, ...p }));
}

interface TimingResult {
    nodes: number;
    firstMs: number;
    medianMs: number;
    minMs: number;
    runs: number;
}

interface PhasesResult {
    groups: number;
    volumes: number;
    yamlBytes: number;
    phases: Array<[string, number]>;
}

const childKind = process.argv.includes("--child") ? process.argv[process.argv.indexOf("--child") + 1] : undefined;
if (childKind === "timing") timingChild();
else if (childKind === "phases") phasesChild();
else main();
