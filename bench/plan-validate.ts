/**
 * Benchmark 2: parsing, validating and normalizing a 10,000-node plan (4 regions × 5 groups;
 * two VPC regions, two private-IPv4 regions; services between groups, public ports, storage,
 * a NodeBalancer and DNS — see bench/lib/plans.ts).
 *
 *   npx tsx bench/plan-validate.ts [--nodes 10000] [--runs 10] [--processes 5] [--loader js|tsx]
 *
 * What `lct validate plan.yaml` does: `checkPlanText` on the YAML text — parse, schema, every
 * rule (including those hardening registers, e.g. the user-data size limit), normalization.
 * Two kinds of figures, both against the 300 ms target:
 *
 * - In-process: a fresh process per run loads the modules and checks the plan once ("first
 *   check after import": V8 has optimised nothing yet), then again `--runs` times (warm).
 *   --loader js (default) bundles this script with esbuild, as the CLI is bundled, and runs
 *   plain Node; --loader tsx runs it through tsx.
 * - End to end: `node bin/lct.js validate plan.yaml`, a fresh process from its start to its
 *   exit — what a user waits for. The CLI bundle (dist/cli/lct.cjs, built here when it is out
 *   of date) and, for comparison, the sources through tsx (LCT_FROM_SOURCES=1); also Node's
 *   own start (`node -e 0`) and a 4,500-node plan whose groups are over the user-data limit.
 *
 * And, in one more fresh process, a first check taken apart by phase and rule.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import "../sdk/hardening";
import "../sdk/templates/register-bootstrap";
import { bundledCatalog } from "../sdk/catalog/load";
import { indexCatalog } from "../sdk/catalog/catalog-index";
import { checkPlanText, registeredPlanRules } from "../sdk/plan/check";
import { normalize } from "../sdk/plan/normalize/normalize";
import { parsePlanText } from "../sdk/plan/parse-text";
import { PLAN_RULES, type PlanRule } from "../sdk/plan/rules";
import { clusterPlan } from "../sdk/plan/schema";
import { bigPlan, oversizedPlan } from "./lib/plans";

function arg(name: string, fallback: string): string {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const nodes = Number(arg("nodes", "10000"));
const runs = Number(arg("runs", "10"));
const processes = Number(arg("processes", "5"));
const loader = arg("loader", "js");
const TARGET_MS = 300;
const REPO = path.join(__dirname, "..");
const WORK = path.join(REPO, ".lct-tmp", "bench-build");

function ms(t0: number): number {
    return performance.now() - t0;
}

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/**
 * In a child: from process start to the first check done, then warm checks, as one RESULT line.
 * performance.now() counts from the process's time origin, so the first reading here is the
 * time Node took to start and load every module of the check.
 */
function timingChild(): void {
    const loadedMs = performance.now();
    const text = fs.readFileSync(arg("plan", ""), "utf8");
    const t0 = performance.now();
    const first = checkPlanText(text, { file: "big.yaml" });
    const firstMs = ms(t0);
    const doneMs = performance.now();
    if (!first.ok || first.resolved?.nodes.length !== nodes) {
        throw new Error(`the benchmark plan is not valid: ${first.issues.filter((i) => i.severity === "error").map((i) => `${i.path}: ${i.message}`).join("; ")}`);
    }
    const again: number[] = [];
    for (let i = 0; i < runs; i++) {
        const t = performance.now();
        checkPlanText(text, { file: "big.yaml" });
        again.push(ms(t));
    }
    console.log("RESULT " + JSON.stringify({ loadedMs: +loadedMs.toFixed(1), firstMs: +firstMs.toFixed(1), doneMs: +doneMs.toFixed(1), medianMs: +median(again).toFixed(1), minMs: +Math.min(...again).toFixed(1) }));
}

/** In another child: a first check, phase by phase, rule by rule (the steps checkPlanValue takes). */
function phasesChild(): void {
    const text = fs.readFileSync(arg("plan", ""), "utf8");
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

/** This script as one CommonJS file (esbuild, as bin/lct.js's bundle), so that children load what the CLI loads. */
function bundleSelf(): string {
    const out = path.join(WORK, "plan-validate.cjs");
    const esbuild = require("esbuild") as typeof import("esbuild");
    esbuild.buildSync({ entryPoints: [__filename], outfile: out, bundle: true, platform: "node", format: "cjs", target: "node20", external: ["@pulumi/*", "esbuild"], logLevel: "error" });
    return out;
}

function runChild(entry: string[], kind: string, plan: string): Record<string, unknown> {
    const out = spawnSync(process.execPath, [...entry, "--child", kind, "--plan", plan, "--nodes", String(nodes), "--runs", String(runs)], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (out.status !== 0) throw new Error(`benchmark child failed: ${out.stderr}`);
    const line = out.stdout.split("\n").find((l) => l.startsWith("RESULT "));
    if (!line) throw new Error(`no result from the child: ${out.stdout}${out.stderr}`);
    return JSON.parse(line.slice(7)) as Record<string, unknown>;
}

/** Wall time of one process, from spawn to exit, and the first line of its stderr. */
function timeProcess(args: string[], env: NodeJS.ProcessEnv = {}): { ms: number; status: number | null; stderr: string } {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: REPO, encoding: "utf8", env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
    return { ms: ms(t), status: r.status, stderr: r.stderr };
}

/** `n` runs of a command, one process each: median and minimum, and what the CLI said it ran. */
function endToEnd(args: string[], n: number, env: NodeJS.ProcessEnv = {}): { medianMs: number; minMs: number; ran: string } {
    const times: number[] = [];
    let ran = "";
    for (let i = 0; i < n; i++) {
        const r = timeProcess(args, { LCT_DEBUG: "1", ...env });
        ran = r.stderr.split("\n")[0]!.replace(/^lct: running /, "");
        times.push(r.ms);
    }
    return { medianMs: +median(times).toFixed(1), minMs: +Math.min(...times).toFixed(1), ran };
}

function main(): void {
    fs.mkdirSync(WORK, { recursive: true });
    const planFile = path.join(WORK, `big-${nodes}.yaml`);
    fs.writeFileSync(planFile, stringify(bigPlan(nodes)));
    const overFile = path.join(WORK, "oversized-4500.yaml");
    fs.writeFileSync(overFile, stringify(oversizedPlan(4500)));
    const loadBefore = os.loadavg()[0]!;
    const entry = loader === "js" ? [bundleSelf()] : [...process.execArgv, __filename];

    // In-process: several fresh processes, their medians.
    const timings = Array.from({ length: processes }, () => runChild(entry, "timing", planFile) as unknown as TimingResult);
    const m = (k: keyof TimingResult) => +median(timings.map((t) => t[k])).toFixed(1);
    const t: TimingResult = { loadedMs: m("loadedMs"), firstMs: m("firstMs"), doneMs: m("doneMs"), medianMs: m("medianMs"), minMs: +Math.min(...timings.map((x) => x.minMs)).toFixed(1) };
    const p = runChild(entry, "phases", planFile) as unknown as PhasesResult;

    // End to end, through bin/lct.js. The bundle must be current, or bin/lct.js runs the sources.
    // (A computed path: the bundled children must not take the launcher in.)
    const launcher = require(path.join(REPO, "bin", "lct.js")) as { buildCli(): boolean; bundleIsFresh(): boolean };
    const rebuilt = !launcher.bundleIsFresh() && launcher.buildCli();
    const cli = [path.join(REPO, "bin", "lct.js"), "validate"];
    const bundled = endToEnd([...cli, planFile], processes);
    const sources = endToEnd([...cli, planFile], Math.min(processes, 3), { LCT_FROM_SOURCES: "1" });
    const oversized = endToEnd([...cli, overFile], Math.min(processes, 3));
    const nodeItself = endToEnd(["-e", "0"], processes);
    const loadAfter = os.loadavg()[0]!;

    console.log(
        `Plan check (parse YAML, validate, normalize) of ${nodes.toLocaleString("en")} nodes in ${p.groups} groups, ${p.volumes.toLocaleString("en")} volumes ` +
            `(${(p.yamlBytes / 1024).toFixed(1)} KiB of YAML); ${os.cpus().length} CPUs, ${process.version}, loader ${loader}; load average ${loadBefore.toFixed(2)} → ${loadAfter.toFixed(2)}`,
    );
    if (rebuilt) console.log("(dist/cli/lct.cjs was out of date: rebuilt with npm run build:cli first)");
    console.log(`\n                                                            time (ms)  ÷ target ${TARGET_MS} ms`);
    const row = (name: string, v: number, note = "") => console.log(`${name.padEnd(60)}${v.toFixed(0).padStart(9)}  ${(v / TARGET_MS).toFixed(2).padStart(8)}${note ? `  ${note}` : ""}`);
    console.log(`in-process, fresh processes (median of ${processes}):`);
    row("  first check after import", t.firstMs);
    row("  process start → modules loaded", t.loadedMs);
    row("  process start → first check done", t.doneMs);
    row(`  further checks in the process (${runs}), median`, t.medianMs);
    row(`  further checks, minimum`, t.minMs);
    console.log(`end to end, one process from start to exit (median of ${processes}):`);
    row("  node bin/lct.js validate big.yaml", bundled.medianMs, `(min ${bundled.minMs.toFixed(0)}; ran ${bundled.ran})`);
    row("  … from the sources (LCT_FROM_SOURCES=1)", sources.medianMs, `(min ${sources.minMs.toFixed(0)}; ran ${sources.ran})`);
    row("  node -e 0 (Node's own start and exit)", nodeItself.medianMs);
    row("  node bin/lct.js validate oversized-4500.yaml (3 groups over)", oversized.medianMs, `(min ${oversized.minMs.toFixed(0)})`);
    const total = p.phases.reduce((a, [, v]) => a + v, 0);
    console.log(`\na first check (another new process), by step — ${total.toFixed(0)} ms in all:`);
    for (const [name, v] of [...p.phases].sort((a, b) => b[1] - a[1]).filter(([, v]) => v >= 1)) console.log(`  ${v.toFixed(1).padStart(7)} ms  ${name}`);
    console.log(
        "RESULT " +
            JSON.stringify({ bench: "plan-validate", nodes, runs, processes, loader, loadBefore, loadAfter, inProcess: t, perProcess: timings, endToEnd: { bundled, sources, nodeItself, oversized }, ...p }),
    );
}

interface TimingResult {
    loadedMs: number;
    firstMs: number;
    doneMs: number;
    medianMs: number;
    minMs: number;
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
