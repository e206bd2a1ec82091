/** Live queries against the Linode API simulator: X-Filter push-down, local evaluation, CLI. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryIO } from "../../sdk/cli/io";
import { runCli } from "../../sdk/cli/main";
import { liveInventories } from "../../sdk/inventory/live";
import { parseQuery } from "../../sdk/inventory/query";
import { selectNodes } from "../../sdk/inventory/select";
import { queryToXFilter } from "../../sdk/inventory/xfilter";
import { createLinodeClient, type LinodeClient } from "../../sdk/linode-api/client";
import { nodeTags } from "../../sdk/naming/tags";
import { type RunningSimulator, startSimulator } from "../../sim";

let sim: RunningSimulator;
let client: LinodeClient;
let env: NodeJS.ProcessEnv;

function seed(cluster: string, region: string, groups: Array<{ group: string; role: string; count: number; bootOrder: number; type?: string }>, extra: string[] = []): void {
    for (const g of groups) {
        for (let i = 1; i <= g.count; i++) {
            sim.addInstance(
                {
                    label: `${cluster}-${region}-${g.group}-${i}`,
                    region,
                    type: g.type ?? "g6-standard-2",
                    image: "linode/debian12",
                    privateIp: true,
                    tags: nodeTags({ cluster, region, group: g.group, role: g.role, bootOrder: g.bootOrder, extra }),
                },
                "running",
            );
        }
    }
}

beforeAll(async () => {
    sim = await startSimulator({ rateLimits: false });
    seed("shop", "us-ord", [
        { group: "bastion", role: "bastion", count: 1, bootOrder: 0, type: "g6-nanode-1" },
        { group: "db", role: "postgresql", count: 2, bootOrder: 1, type: "g6-dedicated-4" },
        { group: "web", role: "web", count: 3, bootOrder: 2 },
    ], ["env-prod"]);
    seed("blog", "eu-central", [{ group: "web", role: "web", count: 2, bootOrder: 1 }], ["env-dev"]);
    sim.addInstance({ label: "hand-made", region: "us-ord", type: "g6-nanode-1", image: "linode/debian12", tags: ["env-prod"] }, "running");
    env = { LINODE_URL: sim.url, LINODE_TOKEN: "live-test" };
    client = createLinodeClient({ env, limits: false });
    // A data volume on each database node, tagged like LCT tags volumes.
    const dbs = await client.list<{ id: number; label: string }>("/linode/instances", { filter: { tags: "lct:role=postgresql" } });
    for (const db of dbs) await client.post("/volumes", { label: `${db.label}-data`, linode_id: db.id, size: 50, tags: ["lct:cluster=shop"] });
});
afterAll(() => sim.close());

/** X-Filter headers sent to /linode/instances since `from`. */
const instanceFilters = (from: number): Array<string | undefined> =>
    sim.requests().slice(from).filter((r) => r.method === "GET" && r.path === "/linode/instances").map((r) => r.filter);

describe("X-Filter push-down", () => {
    it.each([
        ["role=web and cluster=shop", { "+and": [{ "+or": [{ tags: "lct:role=web" }, { tags: "lct:group=web" }] }, { tags: "lct:cluster=shop" }] }],
        ["group=us-ord/db", { "+and": [{ region: "us-ord" }, { tags: "lct:group=db" }] }],
        ["tag=env-prod or region=eu-central", { "+or": [{ tags: "env-prod" }, { "+or": [{ region: "eu-central" }, { tags: "lct:region=eu-central" }] }] }],
        ["label=shop-*-web-* and type=g6-standard-2", { label: { "+contains": "shop-" } }],
        ["id=42", { id: 42 }],
        ["not role=web", undefined],
        ["role=web or type=g6-nanode-1", undefined],
        ["role!=web and index=1", undefined],
    ])("%s", (q, want) => {
        expect(queryToXFilter(parseQuery(q))).toEqual(want);
    });
});

describe("live inventories from the simulator", () => {
    it("pushes the query down, evaluates it again locally and groups nodes by their tags", async () => {
        const from = sim.requests().length;
        const r = await liveInventories(client, { query: "role=web and cluster=shop" });
        expect(instanceFilters(from)).toEqual([JSON.stringify({ "+and": [{ "+or": [{ tags: "lct:role=web" }, { tags: "lct:group=web" }] }, { tags: "lct:cluster=shop" }] })]);
        expect(r.inventories.map((i) => i.cluster)).toEqual(["shop"]);
        const nodes = r.inventories[0]!.nodes;
        expect(nodes.map((n) => n.label)).toEqual(["shop-us-ord-web-1", "shop-us-ord-web-2", "shop-us-ord-web-3"]);
        expect(nodes[1]).toMatchObject({ role: "web", group: "us-ord/web", groupName: "web", region: "us-ord", index: 2, type: "g6-standard-2", image: "linode/debian12" });
        expect(nodes[1]!.publicIpv4).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
        expect(nodes[1]!.privateIpv4).toMatch(/^192\.168\./);
        expect(nodes[1]!.id).toMatch(/^\d+$/);
    });

    it("finds nodes whose role is their group's name (no role tag) and whose region is only in the LCT tag", async () => {
        const roleless = sim.addInstance({ label: "manual-web-1", region: "us-ord", type: "g6-nanode-1", image: "linode/debian12", tags: ["lct:cluster=manual", "lct:group=web"] }, "running");
        const moved = sim.addInstance({ label: "manual-db-1", region: "us-east", type: "g6-nanode-1", image: "linode/debian12", tags: ["lct:cluster=manual", "lct:group=db", "lct:region=us-ord"] }, "running");
        try {
            const web = await liveInventories(client, { query: "role=web and cluster=manual" });
            expect(selectNodes(web.inventories).map((n) => n.label)).toEqual(["manual-web-1"]);
            const ord = await liveInventories(client, { query: "region=us-ord and cluster=manual" });
            expect(selectNodes(ord.inventories).map((n) => n.label).sort()).toEqual(["manual-db-1", "manual-web-1"]);
        } finally {
            for (const n of [roleless, moved]) await client.delete(`/linode/instances/${n.id}`);
        }
    });

    it("answers queries it cannot push down by listing and filtering locally", async () => {
        const from = sim.requests().length;
        const r = await liveInventories(client, { query: "not role=web and tag=env-prod" });
        expect(instanceFilters(from)).toEqual([JSON.stringify({ tags: "env-prod" })]);
        expect(selectNodes(r.inventories).map((n) => n.label).sort()).toEqual(["hand-made", "shop-us-ord-bastion-1", "shop-us-ord-db-1", "shop-us-ord-db-2"]);
        expect(r.inventories.find((i) => i.cluster === "(untagged)")!.nodes.map((n) => n.label)).toEqual(["hand-made"]);
        expect(r.warnings).toEqual([expect.stringMatching(/no lct:cluster tag/)]);
        const any = await liveInventories(client, { query: "type=g6-dedicated-4 or index=2" });
        expect(selectNodes(any.inventories).map((n) => n.label).sort()).toEqual(["blog-eu-central-web-2", "shop-us-ord-db-1", "shop-us-ord-db-2", "shop-us-ord-web-2"]);
        expect(any.filter).toBeUndefined();
    });

    it("fetches whole clusters for exports, with their volumes", async () => {
        const r = await liveInventories(client, { query: "role=postgresql", wholeClusters: true });
        expect(r.inventories).toHaveLength(1);
        const inv = r.inventories[0]!;
        expect(inv.nodes).toHaveLength(6);
        expect(inv.groups.map((g) => [g.key, g.nodes.length, g.bootOrder])).toEqual([
            ["us-ord/bastion", 1, 0],
            ["us-ord/db", 2, 1],
            ["us-ord/web", 3, 2],
        ]);
        expect(inv.nodes.find((n) => n.label === "shop-us-ord-db-2")!.volumes).toEqual([
            expect.objectContaining({ label: "shop-us-ord-db-2-data", sizeGb: 50, id: expect.stringMatching(/^\d+$/) }),
        ]);
        expect(r.requests).toBe(3);
    });
});

describe("lct inventory --live", () => {
    const cli = async (args: string[], e: NodeJS.ProcessEnv = env) => {
        const io = memoryIO({ env: e });
        const code = await runCli(args, io);
        return { code, out: io.stdout(), err: io.stderr() };
    };

    it("queries and exports live nodes", async () => {
        const q = await cli(["inventory", "query", "region=eu-central", "--live", "--format", "labels"]);
        expect(q).toEqual({ code: 0, out: "blog-eu-central-web-1\nblog-eu-central-web-2\n", err: "" });
        const y = await cli(["inventory", "export", "role=postgresql", "--live", "--user", "admin"]);
        expect(y.code, y.err).toBe(0);
        expect(y.out).toMatch(/^ {4}shop-us-ord-db-1:\n {6}ansible_host: /m);
        expect(y.out).toContain("ansible_user: admin");
        // Wiring sees the whole cluster even though the query picked the databases only.
        expect(y.out).toMatch(/postgresql_primary_host: 192\.168\./);
        expect(y.out).not.toMatch(/shop-us-ord-web-1:/);
    });

    it("needs a token and explains API trouble", async () => {
        expect(await cli(["inventory", "query", "role=web", "--live"], {})).toMatchObject({ code: 2, err: expect.stringMatching(/no Linode API token: set LINODE_TOKEN/) });
        const locked = await startSimulator({ rateLimits: false, token: "the-right-one" });
        try {
            const refused = await cli(["inventory", "export", "--live"], { LINODE_URL: locked.url, LINODE_TOKEN: "wrong" });
            expect(refused).toMatchObject({ code: 2, err: "error: the Linode API refused the token (401 Invalid Token); check LINODE_TOKEN\n" });
        } finally {
            await locked.close();
        }
    });
});
