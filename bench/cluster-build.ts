/**
 * Benchmark 1: building a cluster of N nodes (one region, one volume per node) through
 * LinodeCluster versus a plain loop registering the same Linode resources directly, both under
 * Pulumi's mock runtime, until every output has settled: wall time and peak RSS, side by side.
 *
 *   npx tsx bench/cluster-build.ts [--sizes 100,1000,5000] [--runs 3] [--loader js|tsx] [--preview] [--node-flags "..."] [--quick]
 *
 * Every (mode, N, run) is a fresh process — bench/lib/build-plain.ts or bench/lib/build-lct.ts —
 * under /usr/bin/time -v (peak RSS of the whole process); modes alternate within each round so
 * that a busy machine hurts both alike. Each child reports the time from its first `new` until
 * every output has settled and every registration has been answered (build), and separately
 * the time before that (process start, module loading, reading its input: start-up).
 *
 * --loader js (default) compiles sdk/, sim/ and bench/ with tsc into .lct-tmp/bench-build and
 * runs plain Node; --loader tsx runs the TypeScript through tsx. Both sides always use the same
 * loader. --preview adds `lct preview`'s path (runPreview: preview mode, every registration
 * recorded). --node-flags passes flags to every child (e.g. --max-semi-space-size=64).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { resolvePlan } from "../sdk/plan/resolve-plan";
import type { BuildResult } from "./lib/mocks";
import { plainSpec } from "./lib/plain-spec";
import { clusterPlan } from "./lib/plans";

const REPO = path.join(__dirname, "..");
const WORK = path.join(REPO, ".lct-tmp", "bench-build");

function arg(name: string, fallback: string): string {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const quick = process.argv.includes("--quick");
const sizes = arg("sizes", quick ? "100,1000" : "100,1000,5000").split(",").map(Number);
const runs = Number(arg("runs", quick ? "1" : "3"));
const loader = arg("loader", "js");
const withPreview = process.argv.includes("--preview");
const nodeFlags = arg("node-flags", "").split(" ").filter((f) => f.length > 0);
const TARGET = { n: 5000, buildMs: 20_000, rssMiB: 1536 };

type Mode = "plain" | "lct" | "preview";

interface Row extends BuildResult {
    /** Peak RSS from /usr/bin/time -v (MiB), else the child's own maxRSS. */
    peakRssMiB: number;
    /** Process wall time from /usr/bin/time (start to exit), ms. */
    processMs?: number;
}

/** Compiles the TypeScript once (tsc, the project's settings) so that children run plain Node. */
function compile(): string {
    const out = path.join(WORK, "js");
    const tsconfig = path.join(WORK, "tsconfig.json");
    fs.mkdirSync(WORK, { recursive: true });
    fs.writeFileSync(
        tsconfig,
        JSON.stringify(
            {
                extends: path.join(REPO, "tsconfig.json"),
                compilerOptions: { noEmit: false, rootDir: REPO, outDir: out, declaration: false, sourceMap: false, incremental: false },
                include: [path.join(REPO, "bench/lib/*.ts")],
            },
            null,
            2,
        ),
    );
    const t0 = performance.now();
    // tsc emits even when some file elsewhere does not type-check (others may be mid-edit); only
    // a missing output is fatal.
    const r = spawnSync(process.execPath, [path.join(REPO, "node_modules", "typescript", "bin", "tsc"), "-p", tsconfig], { encoding: "utf8" });
    const main = path.join(out, "bench", "lib", "build-lct.js");
    if (!fs.existsSync(main)) throw new Error(`tsc produced no ${main}:\n${r.stdout}${r.stderr}`);
    console.log(`compiled with tsc into ${path.relative(REPO, out)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return out;
}

function specFile(n: number): string {
    const file = path.join(WORK, `plain-spec-${n}.json`);
    fs.mkdirSync(WORK, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(plainSpec(resolvePlan(clusterPlan(n)).resolved, "bench")));
    return file;
}

const hasTime = fs.existsSync("/usr/bin/time");

function runChild(compiled: string | undefined, mode: Mode, n: number, spec: string): Row {
    const script = compiled ? path.join(compiled, "bench", "lib", `build-${mode}.js`) : path.join(REPO, "bench", "lib", `build-${mode}.ts`);
    const nodeArgs = [...nodeFlags, ...(compiled ? [] : ["--import", "tsx"]), script, mode === "plain" ? spec : String(n)];
    const cmd = hasTime ? "/usr/bin/time" : process.execPath;
    const args = hasTime ? ["-v", process.execPath, ...nodeArgs] : nodeArgs;
    const r = spawnSync(cmd, args, { cwd: REPO, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const line = r.stdout.split("\n").find((l) => l.startsWith("RESULT "));
    if (r.status !== 0 || !line) throw new Error(`${mode} N=${n} failed (exit ${r.status}):\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-4000)}`);
    const result = JSON.parse(line.slice(7)) as BuildResult;
    const rssKb = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
    const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):(\d+(?:\.\d+)?)/.exec(r.stderr);
    return {
        ...result,
        peakRssMiB: rssKb ? Number(rssKb[1]) / 1024 : result.maxRssMiB,
        ...(wall ? { processMs: ((Number(wall[1] ?? 0) * 60 + Number(wall[2])) * 60 + Number(wall[3])) * 1000 } : {}),
    };
}

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

const fmtS = (ms: number) => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
const fmtMiB = (m: number) => m.toFixed(0);

function main(): void {
    const pulumiVersion = (JSON.parse(fs.readFileSync(path.join(REPO, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")) as { version: string }).version;
    console.log(
        `Cluster build: LinodeCluster vs a plain loop, ${sizes.join(" / ")} nodes, ${runs} run(s) each, one process per run; ` +
            `${os.cpus().length} CPUs, Node ${process.version}, @pulumi/pulumi ${pulumiVersion}, loader ${loader}${nodeFlags.length ? `, node ${nodeFlags.join(" ")}` : ""}`,
    );
    const compiled = loader === "js" ? compile() : undefined;
    const modes: Mode[] = ["plain", "lct", ...(withPreview ? (["preview"] as Mode[]) : [])];
    const rows = new Map<string, Row[]>();
    for (let r = 0; r < runs; r++) {
        for (const n of sizes) {
            const spec = specFile(n);
            // Alternate the order so that neither side always runs right after the other.
            for (const mode of r % 2 === 0 ? modes : [...modes].reverse()) {
                const row = runChild(compiled, mode, n, spec);
                const key = `${mode}:${n}`;
                rows.set(key, [...(rows.get(key) ?? []), row]);
                console.log(
                    `  run ${r + 1}/${runs}  ${mode.padEnd(7)} N=${String(n).padEnd(5)} build ${fmtS(row.buildMs).padStart(6)} s  peak RSS ${fmtMiB(row.peakRssMiB).padStart(5)} MiB  ` +
                        `(start-up ${fmtS(row.startupMs)} s, CPU ${fmtS(row.cpuMs)} s, GC ${fmtS(row.gcMs)} s, ${row.customResources + row.componentResources} resources)`,
                );
            }
        }
    }

    const stat = (mode: Mode, n: number, f: (r: Row) => number) => {
        const xs = (rows.get(`${mode}:${n}`) ?? []).map(f);
        return { median: median(xs), min: Math.min(...xs) };
    };
    console.log(
        `\n${"N".padStart(5)}  ${"mode".padEnd(12)} ${"build s (median/min)".padStart(21)} ${"peak RSS MiB (median/min)".padStart(26)} ${"start-up s".padStart(10)}  resources`,
    );
    const summary: Array<Record<string, unknown>> = [];
    for (const n of sizes) {
        for (const mode of modes) {
            const b = stat(mode, n, (r) => r.buildMs);
            const m = stat(mode, n, (r) => r.peakRssMiB);
            const s = stat(mode, n, (r) => r.startupMs);
            const one = rows.get(`${mode}:${n}`)![0]!;
            const label = mode === "lct" ? "LinodeCluster" : mode === "plain" ? "plain loop" : "lct preview";
            console.log(
                `${String(n).padStart(5)}  ${label.padEnd(12)} ${`${fmtS(b.median)} / ${fmtS(b.min)}`.padStart(21)} ${`${fmtMiB(m.median)} / ${fmtMiB(m.min)}`.padStart(26)} ${fmtS(s.median).padStart(10)}  ${one.customResources} + ${one.componentResources} components`,
            );
        }
        const lb = stat("lct", n, (r) => r.buildMs).median;
        const pb = stat("plain", n, (r) => r.buildMs).median;
        const lm = stat("lct", n, (r) => r.peakRssMiB).median;
        const pm = stat("plain", n, (r) => r.peakRssMiB).median;
        console.log(`${"".padStart(5)}  ${"LCT ÷ plain".padEnd(12)} ${`${(lb / pb).toFixed(2)}×`.padStart(21)} ${`${(lm / pm).toFixed(2)}×`.padStart(26)}`);
        summary.push({
            n,
            plainBuildMs: Math.round(pb),
            plainBuildMinMs: Math.round(stat("plain", n, (r) => r.buildMs).min),
            lctBuildMs: Math.round(lb),
            lctBuildMinMs: Math.round(stat("lct", n, (r) => r.buildMs).min),
            plainRssMiB: Math.round(pm),
            lctRssMiB: Math.round(lm),
            timeRatio: +(lb / pb).toFixed(3),
            rssRatio: +(lm / pm).toFixed(3),
            lctCpuMs: Math.round(stat("lct", n, (r) => r.cpuMs).median),
            plainCpuMs: Math.round(stat("plain", n, (r) => r.cpuMs).median),
            lctGcMs: Math.round(stat("lct", n, (r) => r.gcMs).median),
            plainGcMs: Math.round(stat("plain", n, (r) => r.gcMs).median),
            lctStartupMs: Math.round(stat("lct", n, (r) => r.startupMs).median),
            plainStartupMs: Math.round(stat("plain", n, (r) => r.startupMs).median),
            ...(withPreview
                ? { previewBuildMs: Math.round(stat("preview", n, (r) => r.buildMs).median), previewRssMiB: Math.round(stat("preview", n, (r) => r.peakRssMiB).median) }
                : {}),
        });
    }
    const big = summary.find((s) => s.n === TARGET.n);
    if (big) {
        const ok = (v: boolean) => (v ? "met" : "MISSED");
        console.log(
            `\ntargets at N=${TARGET.n}: build < ${TARGET.buildMs / 1000} s: ${ok((big.lctBuildMs as number) < TARGET.buildMs)} (${fmtS(big.lctBuildMs as number)} s); ` +
                `peak RSS < ${TARGET.rssMiB} MiB: ${ok((big.lctRssMiB as number) < TARGET.rssMiB)} (${big.lctRssMiB} MiB)`,
        );
    }
    const lctNotWorse = summary.every((s) => (s.timeRatio as number) <= 1 && (s.rssRatio as number) <= 1);
    console.log(`LinodeCluster no slower and no heavier than the plain loop at every N: ${lctNotWorse ? "yes" : "NO"} (median ratios)`);
    const raw = Object.fromEntries([...rows].map(([k, v]) => [k, v]));
    fs.mkdirSync(path.join(REPO, "bench", "results"), { recursive: true });
    fs.writeFileSync(path.join(REPO, "bench", "results", "cluster-build.json"), JSON.stringify({ at: new Date().toISOString(), loader, nodeFlags, runs, summary, raw }, null, 2));
    console.log("RESULT " + JSON.stringify({ bench: "cluster-build", loader, runs, nodeFlags, summary }));
}

main();
