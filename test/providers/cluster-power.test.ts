/**
 * ClusterPower's provider methods, called directly against the simulator: ordering,
 * idempotence, every fault class (converges, bounded retries, nothing left half-done), a
 * failure half-way followed by a re-run, and clear errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeClusterPowerProvider } from "../../sdk/providers/cluster-power";
import type { FaultRule } from "../../sim";
import { powerActions, simWithCluster, statusesOf } from "./helpers";

const TOKEN = "cluster-power-test";
const LAYOUT: Array<[string, number, number]> = [
    ["db", 1, 2],
    ["app", 2, 3],
    ["web", 3, 2],
];

let savedToken: string | undefined;
beforeAll(() => {
    savedToken = process.env.LINODE_TOKEN;
    process.env.LINODE_TOKEN = TOKEN;
});
afterAll(() => {
    if (savedToken === undefined) delete process.env.LINODE_TOKEN;
    else process.env.LINODE_TOKEN = savedToken;
});

async function checked(provider: ReturnType<typeof makeClusterPowerProvider>, news: Record<string, unknown>) {
    const r = await provider.check!({}, news);
    expect(r.failures).toEqual([]);
    return r.inputs;
}

/** Boot (or shutdown) events in the order they started, with when they finished. */
function actionWindows(sim: Awaited<ReturnType<typeof simWithCluster>>["sim"], action: string) {
    return sim.state.events
        .filter((e) => e.action === action)
        .map((e) => ({ id: e.entity.id, started: e.created, finished: e.finishedAt ?? Infinity }));
}

describe("ClusterPower provider against the simulator", () => {
    it("starts wave by wave, each after the previous is running, with one list request per poll", async () => {
        const c = await simWithCluster("order", LAYOUT, "offline", { token: TOKEN });
        try {
            const provider = makeClusterPowerProvider();
            const inputs = await checked(provider, { cluster: "order", groups: c.groups, power: "running", pollIntervalMs: 20, apiUrl: c.sim.url });
            const created = await provider.create(inputs);
            expect(statusesOf(c.sim, c.ids)).toEqual(Array(7).fill("running"));
            const boots = actionWindows(c.sim, "linode_boot");
            for (let w = 1; w < c.groups.length; w++) {
                const prevDone = Math.max(...boots.filter((b) => c.groups[w - 1]!.linodeIds.includes(b.id)).map((b) => b.finished));
                const nextStart = Math.min(...boots.filter((b) => c.groups[w]!.linodeIds.includes(b.id)).map((b) => b.started));
                expect(nextStart).toBeGreaterThanOrEqual(prevDone);
            }
            const reqs = c.sim.requests();
            expect(reqs.filter((r) => /^\/linode\/instances\/\d+$/.test(r.path))).toEqual([]);
            const polls = reqs.filter((r) => r.method === "GET" && r.path === "/linode/instances");
            expect(polls.every((r) => JSON.parse(r.filter ?? "{}")["+or"]?.length > 0)).toBe(true);
            expect(created.outs.observed.waves.map((w: { bootOrder: number; actions: number }) => [w.bootOrder, w.actions])).toEqual([
                [1, 2],
                [2, 3],
                [3, 2],
            ]);

            // Re-applying the same state does nothing but look.
            c.sim.resetStats();
            await provider.update!(created.id, created.outs, inputs);
            expect(powerActions(c.sim)).toEqual([]);
            expect(c.sim.stats().requests).toBe(3);

            // Stopping goes in reverse: web, then app, then db.
            const stopped = await checked(provider, { ...inputs, power: "stopped" });
            await provider.update!(created.id, created.outs, stopped);
            expect(statusesOf(c.sim, c.ids)).toEqual(Array(7).fill("offline"));
            const downs = actionWindows(c.sim, "linode_shutdown");
            const order = c.groups.map((g) => Math.min(...downs.filter((d) => g.linodeIds.includes(d.id)).map((d) => d.started)));
            expect(order[2]).toBeLessThanOrEqual(order[1]!);
            expect(order[1]).toBeLessThanOrEqual(order[0]!);
        } finally {
            await c.sim.close();
        }
    });

    const FAULTS: Array<[string, FaultRule[]]> = [
        ["429 with Retry-After", [{ kind: "429", times: 2, retryAfterS: 1 }]],
        ["500 on boots", [{ kind: "500", times: 3, method: "POST", path: "/linode/instances/*/boot" }]],
        ["503 anywhere", [{ kind: "503", times: 3 }]],
        ['400 "Linode busy."', [{ kind: "busy", times: 4, path: "/linode/instances/*/boot" }]],
        ["dropped connections", [{ kind: "drop", times: 2, method: "GET" }, { kind: "drop", times: 2, method: "POST" }]],
        ["latency", [{ kind: "latency", latencyMs: 40 }]],
    ];

    it.concurrent.each(FAULTS)("converges through %s, with bounded retries and one accepted boot per node", async (_name, faults) => {
        const c = await simWithCluster("faulty", LAYOUT, "offline", { token: TOKEN, faults });
        try {
            const provider = makeClusterPowerProvider();
            const inputs = await checked(provider, { cluster: "faulty", groups: c.groups, pollIntervalMs: 20, apiUrl: c.sim.url });
            const created = await provider.create(inputs);
            expect(statusesOf(c.sim, c.ids)).toEqual(Array(7).fill("running"));
            const accepted = powerActions(c.sim).filter((a) => a.status === 200);
            expect(accepted.map((a) => a.id).sort()).toEqual([...c.ids].sort());
            const stats = c.sim.stats();
            const injected = Object.values(stats.injected).reduce((a, b) => a + b, 0);
            const failures = stats.requests - (stats.byStatus[200] ?? 0);
            // Every failed answer was an injected one, and each was retried once, no more.
            expect(failures).toBe(injected - (stats.injected.latency ?? 0));
            const polls = created.outs.observed.waves.length;
            expect(stats.requests).toBeLessThanOrEqual(7 + failures + 40 * polls);
            // The scenario really met every counted fault.
            expect(c.sim.faults.list().filter((f) => f.kind !== "latency")).toEqual([]);
        } finally {
            await c.sim.close();
        }
    });

    it("fails clearly half-way, then a re-run carries on without repeating what was done", async () => {
        const c = await simWithCluster("halfway", LAYOUT, "offline", { token: TOKEN, bootMs: 400 });
        try {
            const provider = makeClusterPowerProvider();
            const tooShort = await checked(provider, { cluster: "halfway", groups: c.groups, pollIntervalMs: 20, timeoutSeconds: 0.2, apiUrl: c.sim.url });
            const failure = (await provider.create(tooShort).catch((e: Error) => e)) as Error;
            expect(failure.message).toMatch(/^boot order 1 \(us-ord\/db\) did not reach running within 0\.2 s; still waiting for Linode \d+ \(halfway-db-1\) is booting, Linode \d+ \(halfway-db-2\) is booting$/);
            // Nothing of the later waves was touched.
            expect(powerActions(c.sim).map((a) => a.id)).toEqual(c.groups[0]!.linodeIds);

            const enough = await checked(provider, { ...tooShort, timeoutSeconds: 30 });
            await provider.create(enough);
            expect(statusesOf(c.sim, c.ids)).toEqual(Array(7).fill("running"));
            const perNode = powerActions(c.sim).reduce<Record<number, number>>((m, a) => ({ ...m, [a.id]: (m[a.id] ?? 0) + 1 }), {});
            expect(Object.values(perNode)).toEqual(Array(7).fill(1));
        } finally {
            await c.sim.close();
        }
    });

    it("refuses a cluster with a missing node before acting on that wave, naming it", async () => {
        const c = await simWithCluster("missing", LAYOUT, "offline", { token: TOKEN });
        try {
            const provider = makeClusterPowerProvider();
            const groups = c.groups.map((g, i) => (i === 1 ? { ...g, linodeIds: [...g.linodeIds, 987654] } : g));
            const inputs = await checked(provider, { cluster: "missing", groups, pollIntervalMs: 20, apiUrl: c.sim.url });
            const e = (await provider.create(inputs).catch((x: Error) => x)) as Error;
            expect(e.message).toBe("cannot bring boot order 2 (us-ord/app) to running: Linode 987654 does not exist (deleted?)");
            expect(statusesOf(c.sim, c.groups[1]!.linodeIds)).toEqual(["offline", "offline", "offline"]);
            expect(statusesOf(c.sim, c.groups[2]!.linodeIds)).toEqual(["offline", "offline"]);
        } finally {
            await c.sim.close();
        }
    });

    it("stops a cluster whose node was deleted meanwhile", async () => {
        const c = await simWithCluster("gone", LAYOUT, "running", { token: TOKEN });
        try {
            const provider = makeClusterPowerProvider();
            const doomed = c.groups[2]!.linodeIds[0]!;
            c.sim.state.instances.delete(doomed);
            const inputs = await checked(provider, { cluster: "gone", groups: c.groups, power: "stopped", pollIntervalMs: 20, apiUrl: c.sim.url });
            await provider.create(inputs);
            expect(statusesOf(c.sim, c.ids.filter((id) => id !== doomed))).toEqual(Array(6).fill("offline"));
        } finally {
            await c.sim.close();
        }
    });

    it("validates inputs in check, and diffs only what matters", async () => {
        const provider = makeClusterPowerProvider();
        const bad = await provider.check!({}, { cluster: "", power: "paused", groups: [{ name: "a", bootOrder: 0, linodeIds: [1] }, { name: "b", bootOrder: 1, linodeIds: [1] }], apiUrl: "http://x/v4" });
        expect(bad.failures!.map((f) => f.property)).toEqual(["cluster", "power", "groups[1].linodeIds[0]", "apiUrl"]);
        const ok = (await provider.check!({}, { cluster: "d", groups: [{ name: "a", bootOrder: 0, linodeIds: [2, 1, 2] }] })).inputs;
        expect([ok.power, ok.timeoutSeconds, ok.pollIntervalMs, ok.stopOnDelete, ok.groups[0].linodeIds]).toEqual(["running", 900, 3000, false, [2, 1]]);
        // Pulumi ids are strings; numeric ones are taken as Linode ids, others refused.
        const fromIds = await provider.check!({}, { cluster: "d", groups: [{ name: "a", bootOrder: 0, linodeIds: ["7", "8", "x9"] }] });
        expect(fromIds.inputs.groups[0].linodeIds).toEqual([7, 8, "x9"]);
        expect(fromIds.failures).toEqual([{ property: "groups[0].linodeIds[2]", reason: '"x9" is not a Linode id' }]);
        const same = { ...ok, groups: [{ name: "a", bootOrder: 0, linodeIds: [1, 2] }] };
        expect((await provider.diff!("id", { ...ok, observed: {}, appliedAt: "t" }, same)).changes).toBe(false);
        expect((await provider.diff!("id", ok, { ...ok, power: "stopped" })).changes).toBe(true);
        expect((await provider.diff!("id", ok, { ...ok, groups: [{ name: "a", bootOrder: 1, linodeIds: [1, 2] }] })).changes).toBe(true);
    });

    it("reads the token at run time: environment first, then the stack's linode:token; explains when there is none", async () => {
        const c = await simWithCluster("tok", [["db", 1, 1]], "running", { token: "stack-token" });
        const saved = process.env.LINODE_TOKEN;
        try {
            delete process.env.LINODE_TOKEN;
            const provider = makeClusterPowerProvider();
            const inputs = await checked(provider, { cluster: "tok", groups: c.groups, pollIntervalMs: 20, apiUrl: c.sim.url });
            await expect(provider.create(inputs)).rejects.toThrow(/ClusterPower needs a Linode API token: set LINODE_TOKEN, or run `pulumi config set --secret linode:token <token>`/);
            await provider.configure!({ config: { get: (k: string) => (k === "linode:token" ? "stack-token" : undefined), require: () => "" } as never });
            expect((await provider.create(inputs)).id).toBe("lct-power-tok");
        } finally {
            process.env.LINODE_TOKEN = saved;
            await c.sim.close();
        }
    });

    it("leaves the nodes alone on delete unless stopOnDelete is set", async () => {
        const c = await simWithCluster("del", [["db", 1, 2]], "running", { token: TOKEN });
        try {
            const provider = makeClusterPowerProvider();
            const inputs = await checked(provider, { cluster: "del", groups: c.groups, pollIntervalMs: 20, apiUrl: c.sim.url });
            const created = await provider.create(inputs);
            c.sim.resetStats();
            await provider.delete!(created.id, created.outs);
            expect(c.sim.stats().requests).toBe(0);
            await provider.delete!(created.id, { ...created.outs, stopOnDelete: true });
            expect(statusesOf(c.sim, c.ids)).toEqual(["offline", "offline"]);
        } finally {
            await c.sim.close();
        }
    });
});
