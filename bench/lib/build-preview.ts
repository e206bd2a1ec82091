/**
 * Benchmark 1, extra row: `lct preview`'s path — runPreview (the real LinodeCluster program on
 * Pulumi's mock runtime in preview mode, every registration recorded with its inputs) on the
 * benchmark plan, until every registration is answered.
 *
 *   node build-preview.js <nodes>        (run by bench/cluster-build.ts --preview)
 */
import { runPreview } from "../../sdk/preview/run-preview";
import { maxRssMiB, printResult, startClock } from "./mocks";
import { clusterPlan } from "./plans";

async function main(): Promise<void> {
    const n = Number(process.argv[2]);
    const plan = clusterPlan(n);
    const clock = startClock();
    const run = await runPreview(plan, { name: "bench" });
    const done = await clock.stop();
    const custom = run.resources.filter((r) => r.custom).length;
    printResult({
        mode: "preview",
        n,
        startupMs: clock.t0,
        buildMs: done.ms,
        cpuMs: done.cpuMs,
        gcMs: done.gcMs,
        syncMs: 0,
        customResources: custom,
        componentResources: run.resources.length - custom,
        maxRssMiB: maxRssMiB(),
        stackTraceLimit: Error.stackTraceLimit,
    });
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
