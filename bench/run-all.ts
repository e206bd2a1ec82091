/**
 * `npm run bench`: the four benchmarks one after another, each in its own process, then their
 * headline figures. Not part of `npm test` (timings are not behaviour).
 *
 *   npx tsx bench/run-all.ts [--quick]
 *
 * Full: cluster build at 100 / 1,000 / 5,000 nodes, 3 runs each, with `lct preview`'s path as an
 * extra row; plan check with 10 repeats; a 50,000-resource stack export; ClusterPower with
 * L = 1 s. About 15 minutes on a 2-core machine.
 * --quick: cluster build at 100 and 1,000 nodes once each, plan check with 3 repeats, a
 * 10,000-resource stack export, ClusterPower with L = 500 ms. About two minutes.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const quick = process.argv.includes("--quick");
const BENCH = __dirname;

const steps: Array<{ name: string; script: string; args: string[] }> = [
    { name: "1. cluster build: LinodeCluster vs plain loop", script: "cluster-build.ts", args: quick ? ["--quick"] : ["--preview"] },
    { name: "2. plan check of 10,000 nodes", script: "plan-validate.ts", args: quick ? ["--runs", "3"] : ["--runs", "10"] },
    { name: "3. inventory query vs jq", script: "inventory-query-vs-jq.ts", args: quick ? ["--resources", "10000"] : [] },
    { name: "4. ClusterPower vs node by node", script: "cluster-power.ts", args: quick ? ["--boot-ms", "500"] : ["--boot-ms", "1000"] },
];

/** Runs one benchmark, passing its output through as it comes (RESULT lines kept back). */
function run(script: string, args: string[]): Promise<{ status: number | null; result?: unknown }> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", path.join(BENCH, script), ...args], {
            cwd: path.join(BENCH, ".."),
            stdio: ["ignore", "pipe", "inherit"],
        });
        let result: unknown;
        let rest = "";
        child.stdout.setEncoding("utf8");
        child.stdout.on("data", (chunk: string) => {
            const lines = (rest + chunk).split("\n");
            rest = lines.pop()!;
            for (const line of lines) {
                if (line.startsWith("RESULT ")) result = JSON.parse(line.slice(7));
                else console.log(line);
            }
        });
        child.on("close", (status) => {
            if (rest.startsWith("RESULT ")) result = JSON.parse(rest.slice(7));
            else if (rest) console.log(rest);
            resolve({ status, ...(result === undefined ? {} : { result }) });
        });
    });
}

async function main(): Promise<void> {
    const started = Date.now();
    console.log(`npm run bench${quick ? " --quick" : ""}: ${new Date().toISOString()}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), Node ${process.version}`);
    const results: Record<string, unknown> = {};
    let failed = 0;
    for (const step of steps) {
        console.log(`\n=== ${step.name} (bench/${step.script} ${step.args.join(" ")})\n`);
        const t0 = Date.now();
        const r = await run(step.script, step.args);
        if (r.status !== 0 || r.result === undefined) {
            failed++;
            console.log(`\n${step.script} failed (exit ${r.status})`);
            continue;
        }
        results[step.script] = r.result;
        console.log(`(${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
    fs.mkdirSync(path.join(BENCH, "results"), { recursive: true });
    const file = quick ? "run-all-quick.json" : "run-all.json";
    fs.writeFileSync(path.join(BENCH, "results", file), JSON.stringify({ at: new Date().toISOString(), quick, results }, null, 2));
    console.log(`\nall benchmarks: ${((Date.now() - started) / 60000).toFixed(1)} min; results in bench/results/${file}`);
    if (failed > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
