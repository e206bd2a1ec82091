/**
 * Benchmark 4: ClusterPower starting 100 nodes in 3 boot groups (34/33/33) against the
 * simulator with a boot latency L per node and Linode's documented rate limits enforced —
 * LCT's setClusterPower versus a naive node-by-node loop (boot one node, poll it until
 * running, next), side by side, with the 429 answers each got.
 *
 *   npx tsx bench/cluster-power.ts [--boot-ms 1000] [--poll-ms <L/20>] [--nodes 100] [--naive-poll-ms 150] [--skip-naive]
 *
 * The lower bound is 3·L: three waves, each at least one boot. Each implementation gets its own
 * simulator (fresh rate-limit windows) and its own client with the client's documented limits
 * and retries — what `lct cluster start` uses. The naive loop polls GET /linode/instances/{id}
 * no faster than --naive-poll-ms (default 150 ms, which keeps it under that endpoint's
 * 400-per-minute limit on its own; the client's limiter would otherwise make it wait).
 */
import { createLinodeClient, createRateLimiter, type LinodeClient } from "../sdk/linode-api";
import { bootInstance } from "../sdk/linode-api/instances";
import { sleep } from "../sdk/linode-api/sleep";
import type { LinodeInstance } from "../sdk/linode-api/types";
import { setClusterPower } from "../sdk/providers/set-cluster-power";
import { startSimulator, type RunningSimulator } from "../sim";

function arg(name: string, fallback: string): string {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const bootMs = Number(arg("boot-ms", "1000"));
const pollMs = Number(arg("poll-ms", String(Math.max(10, Math.round(bootMs / 20)))));
const nodes = Number(arg("nodes", "100"));
const naivePollMs = Number(arg("naive-poll-ms", String(Math.max(pollMs, 150))));
const skipNaive = process.argv.includes("--skip-naive");

interface Run {
    name: string;
    ms: number;
    /** 429s the simulator sent (enforced limits; no faults are injected). */
    server429: number;
    /** 429s the client saw (same number unless a request was lost). */
    client429: number;
    requests: number;
    throttledMs: number;
}

/** A simulator with `nodes` stopped Linodes, split into three boot groups. */
async function cluster(): Promise<{ sim: RunningSimulator; groups: Array<{ name: string; bootOrder: number; linodeIds: number[] }> }> {
    const sim = await startSimulator({ bootMs, rateLimits: true });
    const ids = Array.from(
        { length: nodes },
        (_, i) => sim.addInstance({ label: `bench-${i + 1}`, region: "us-ord", type: "g6-nanode-1", image: "linode/debian12" }, "offline").id as number,
    );
    const a = Math.ceil(nodes / 3);
    const b = Math.ceil((nodes - a) / 2);
    return {
        sim,
        groups: [
            { name: "us-ord/db", bootOrder: 1, linodeIds: ids.slice(0, a) },
            { name: "us-ord/app", bootOrder: 2, linodeIds: ids.slice(a, a + b) },
            { name: "us-ord/web", bootOrder: 3, linodeIds: ids.slice(a + b) },
        ],
    };
}

function client(sim: RunningSimulator): LinodeClient {
    // Its own limiter: the shared per-URL limiter would carry windows over between runs.
    return createLinodeClient({ url: sim.url, token: "bench", limiter: createRateLimiter() });
}

async function measure(name: string, run: (c: LinodeClient, groups: Awaited<ReturnType<typeof cluster>>["groups"]) => Promise<void>): Promise<Run> {
    const { sim, groups } = await cluster();
    const c = client(sim);
    try {
        const t0 = performance.now();
        await run(c, groups);
        const ms = performance.now() - t0;
        sim.state.advance(Date.now());
        const notRunning = [...sim.state.instances.values()].filter((i) => i.status !== "running").length;
        if (notRunning > 0) throw new Error(`${name}: ${notRunning} nodes not running at the end`);
        const s = c.stats();
        return { name, ms, server429: sim.stats().rateLimited, client429: s.rateLimited, requests: s.requests, throttledMs: s.throttledMs };
    } finally {
        await sim.close();
    }
}

/** The naive implementation: one node at a time, boot it, poll it until running. */
async function nodeByNode(c: LinodeClient, groups: Array<{ bootOrder: number; linodeIds: number[] }>): Promise<void> {
    for (const g of [...groups].sort((x, y) => x.bootOrder - y.bootOrder)) {
        for (const id of g.linodeIds) {
            await bootInstance(c, id);
            for (;;) {
                const inst = await c.get<LinodeInstance>(`/linode/instances/${id}`);
                if (inst.status === "running") break;
                await sleep(naivePollMs);
            }
        }
    }
}

async function main(): Promise<void> {
    const lowerBound = 3 * bootMs;
    console.log(
        `ClusterPower: ${nodes} stopped nodes in 3 boot groups, simulator boot latency L = ${bootMs} ms, documented rate limits enforced; ` +
            `LCT polls every ${pollMs} ms, the naive loop every ${naivePollMs} ms`,
    );
    const runs: Run[] = [];
    runs.push(
        await measure("LCT setClusterPower (waves)", async (c, groups) => {
            await setClusterPower(c, { groups, power: "running", pollIntervalMs: pollMs });
        }),
    );
    if (!skipNaive) runs.push(await measure("naive node by node", (c, groups) => nodeByNode(c, groups)));

    const lct = runs[0]!;
    const width = Math.max(...runs.map((r) => r.name.length));
    console.log(`\n${"".padEnd(width)}  time (s)  ÷ 3·L   ÷ LCT   requests  throttled (s)  429s`);
    for (const r of runs) {
        console.log(
            `${r.name.padEnd(width)}  ${(r.ms / 1000).toFixed(2).padStart(8)}  ${(r.ms / lowerBound).toFixed(2).padStart(5)}  ${(r.ms / lct.ms).toFixed(2).padStart(6)}  ` +
                `${String(r.requests).padStart(8)}  ${(r.throttledMs / 1000).toFixed(1).padStart(13)}  ${String(r.server429).padStart(4)}`,
        );
    }
    console.log(`${"lower bound 3·L".padEnd(width)}  ${(lowerBound / 1000).toFixed(2).padStart(8)}  ${"1.00".padStart(5)}`);
    const naive = runs[1];
    console.log(
        "RESULT " +
            JSON.stringify({
                bench: "cluster-power",
                nodes,
                bootMs,
                pollMs,
                lowerBoundMs: lowerBound,
                lctMs: Math.round(lct.ms),
                lctVsLowerBound: +(lct.ms / lowerBound).toFixed(3),
                lct429: lct.server429,
                lctRequests: lct.requests,
                ...(naive
                    ? {
                          naivePollMs,
                          naiveMs: Math.round(naive.ms),
                          naiveVsLowerBound: +(naive.ms / lowerBound).toFixed(2),
                          naiveVsLct: +(naive.ms / lct.ms).toFixed(2),
                          naive429: naive.server429,
                          naiveRequests: naive.requests,
                      }
                    : {}),
            }),
    );
    if (lct.client429 !== lct.server429 || (naive && naive.client429 !== naive.server429)) console.log("note: client and simulator disagree on the 429 count");
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
