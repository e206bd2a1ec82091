/** `lct cluster status|start|stop` in-process, against the simulator with a demo cluster. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryIO } from "../../sdk/cli/io";
import { runCli } from "../../sdk/cli/main";
import { startSimulator, type RunningSimulator } from "../../sim";
import { seedDemoCluster } from "../../sim/demo";

describe("lct cluster", () => {
    let sim: RunningSimulator;
    let env: NodeJS.ProcessEnv;
    beforeAll(async () => {
        sim = await startSimulator({ bootMs: 60, timings: { shutdownMs: 40 } });
        seedDemoCluster(sim, "demo");
        env = { LINODE_URL: sim.url, LINODE_TOKEN: "cli-test" };
    });
    afterAll(() => sim.close());

    const run = async (args: string[], e: NodeJS.ProcessEnv = env) => {
        const io = memoryIO({ env: e });
        const code = await runCli(args, io);
        return { code, out: io.stdout(), err: io.stderr() };
    };

    it("shows status per group in boot order", async () => {
        const r = await run(["cluster", "status", "demo"]);
        expect(r.code).toBe(0);
        expect(r.out.split("\n").slice(0, 5)).toEqual([
            "cluster demo: 7 nodes in 3 groups — stopped (7 offline)",
            "order  group       running  statuses",
            "1      us-ord/db   0/2      2 offline",
            "2      us-ord/app  0/3      3 offline",
            "3      us-ord/web  0/2      2 offline",
        ]);
    });

    it("starts in boot order with progress, then reports running", async () => {
        const r = await run(["cluster", "start", "demo", "--poll", "20"]);
        expect([r.code, r.err]).toEqual([0, ""]);
        const lines = r.out.split("\n");
        expect(lines[0]).toBe("Starting cluster demo: 7 nodes in 3 boot orders");
        const waves = lines.filter((l) => /^\[\d\/3\]/.test(l));
        expect(waves).toEqual(["[1/3] boot order 1: us-ord/db (2 nodes)", "[2/3] boot order 2: us-ord/app (3 nodes)", "[3/3] boot order 3: us-ord/web (2 nodes)"]);
        expect(lines.filter((l) => /booting \d nodes/.test(l))).toHaveLength(3);
        expect(lines.find((l) => l.startsWith("Cluster demo is running"))).toBeDefined();
        const status = JSON.parse((await run(["cluster", "status", "demo", "--json"])).out);
        expect([status.power, status.groups.map((g: { key: string; bootOrder: number }) => `${g.bootOrder}:${g.key}`)]).toEqual(["running", ["1:us-ord/db", "2:us-ord/app", "3:us-ord/web"]]);
    });

    it("stops in reverse order, with JSON output", async () => {
        const r = await run(["cluster", "stop", "demo", "--poll", "20", "--json"]);
        expect(r.code).toBe(0);
        const out = JSON.parse(r.out);
        expect([out.power, out.applied, out.waves.map((w: { bootOrder: number }) => w.bootOrder)]).toEqual(["stopped", "stopped", [3, 2, 1]]);
    });

    it("exits 1 for a cluster with no nodes and for a cluster that does not converge", async () => {
        const none = await run(["cluster", "status", "ghost"]);
        expect([none.code, none.err.trim()]).toEqual([1, `error: no Linodes tagged lct:cluster=ghost at ${sim.url}`]);
        const slow = await startSimulator({ bootMs: 5000 });
        try {
            seedDemoCluster(slow, "slow");
            const r = await run(["cluster", "start", "slow", "--poll", "20", "--timeout", "0.2"], { LINODE_URL: slow.url, LINODE_TOKEN: "t" });
            expect(r.code).toBe(1);
            expect(r.err).toMatch(/^error: boot order 1 \(us-ord\/db\) did not reach running within 0\.2 s/);
        } finally {
            await slow.close();
        }
    });

    it("exits 2 with a clear message when it cannot talk to the API", async () => {
        const noToken = await run(["cluster", "status", "demo"], { LINODE_URL: sim.url });
        expect([noToken.code, noToken.err.trim()]).toEqual([2, "error: no Linode API token: set LINODE_TOKEN (against `lct sim`, any value works: LINODE_TOKEN=anything)"]);
        const badUrl = await run(["cluster", "status", "demo"], { LINODE_URL: `${sim.url}/v4`, LINODE_TOKEN: "t" });
        expect(badUrl.code).toBe(2);
        expect(badUrl.err).toMatch(/LINODE_URL .* ends with an API version/);
        const guarded = await startSimulator({ token: "the-right-one" });
        try {
            const refused = await run(["cluster", "status", "demo"], { LINODE_URL: guarded.url, LINODE_TOKEN: "the-wrong-one" });
            expect([refused.code, refused.err.trim()]).toEqual([2, "error: the Linode API refused the token (401 Invalid Token); check LINODE_TOKEN"]);
            expect(refused.err).not.toContain("the-wrong-one");
        } finally {
            await guarded.close();
        }
        const bad = await run(["cluster", "start", "demo", "--timeout", "soon"]);
        expect([bad.code, bad.err.trim()]).toEqual([2, 'error: --timeout must be a positive number, not "soon"']);
    });
});
