/**
 * Benchmark 1, the LCT side: `new LinodeCluster` on the benchmark plan (validated and normalized
 * inside the timed region), until the inventory has a value and every registration is answered.
 *
 *   node build-lct.js <nodes>            (run by bench/cluster-build.ts, one process per run)
 */
import { onBuildProgress } from "../../sdk/components/batching";
import { LinodeCluster } from "../../sdk/components/linode-cluster";
import { installBenchMocks, maxRssMiB, printResult, startClock, waitForRpcs } from "./mocks";
import { clusterPlan } from "./plans";

async function main(): Promise<void> {
    const n = Number(process.argv[2]);
    const plan = clusterPlan(n);
    const counts = await installBenchMocks();
    const clock = startClock();
    const t0 = clock.t0;
    // BENCH_PHASES=1: when each phase ends, and the heap then (for profiling, not for the table).
    const phase = (what: string) =>
        process.env.BENCH_PHASES && console.error(`${(performance.now() - t0).toFixed(0).padStart(7)} ms  heap ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MiB  ${what}`);
    if (process.env.BENCH_PHASES) onBuildProgress((e) => e.done === e.total && phase(`${e.phase} ${e.done}`));
    const cluster = new LinodeCluster("bench", { plan });
    const syncMs = performance.now() - t0;
    await cluster.built;
    phase("built");
    const nodes = await new Promise<number>((resolve) => cluster.inventory.apply((inv) => resolve(inv.nodes.length)));
    phase("inventory");
    if (nodes !== n) throw new Error(`inventory has ${nodes} nodes, expected ${n}`);
    await new Promise((resolve) => cluster.firewallIds.apply(resolve));
    phase("firewall ids");
    await waitForRpcs();
    phase("drained");
    const done = await clock.stop();
    printResult({
        mode: "lct",
        n,
        startupMs: t0,
        buildMs: done.ms,
        cpuMs: done.cpuMs,
        gcMs: done.gcMs,
        syncMs,
        customResources: counts.custom,
        componentResources: counts.components,
        maxRssMiB: maxRssMiB(),
        stackTraceLimit: Error.stackTraceLimit,
    });
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
