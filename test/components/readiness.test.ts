/** NodeReadiness gates in the component tree: what each group's gate probes, and who waits for it. */
import { beforeEach, describe, expect, it } from "vitest";
import { LinodeCluster } from "../../sdk/components/linode-cluster";
import { NODE_READINESS_TYPE } from "../../sdk/providers/node-readiness";
import type { ClusterPlanInput } from "../../sdk/plan/schema";
import { renderTemplate } from "../../sdk/templates/render";
import type { InventoryNode } from "../../sdk/inventory/types";
import { installMocks, Registered, settle, valueOf } from "../support/pulumi-mocks";

let registered: Registered[];
let inventory: Map<string, InventoryNode>;
beforeEach(async () => {
    registered = await installMocks();
});

async function build(plan: ClusterPlanInput, readiness: ConstructorParameters<typeof LinodeCluster>[1]["readiness"]) {
    const cluster = new LinodeCluster("c", { plan, readiness });
    await cluster.built;
    await settle(registered);
    inventory = new Map((await valueOf(cluster.inventory)).nodes.map((n) => [n.name, n]));
    return cluster;
}

const named = (name: string) => {
    const r = registered.find((x) => x.name === name);
    if (!r) throw new Error(`no resource ${name}`);
    return r;
};
const node = (name: string) => {
    const n = inventory.get(name);
    if (!n) throw new Error(`no node ${name}`);
    return n;
};
const publicIp = (nodeName: string) => node(nodeName).publicIpv4!;

describe("NodeReadiness in LinodeCluster", () => {
    it("is off by default", async () => {
        await build(renderTemplate("quickstart").plan, undefined);
        expect(registered.filter((r) => r.type === NODE_READINESS_TYPE)).toEqual([]);
    });

    it("probes the bastion directly and every other group through it, at the address the bastion sees", async () => {
        const { plan } = renderTemplate("quickstart");
        // The bastion boots last here: the others must still be reached through it.
        for (const r of plan.regions!) for (const g of r.nodeGroups!) if (g.name === "bastion") g.bootOrder = 9;
        await build(plan, { timeoutSeconds: 600 });
        const gates = registered.filter((r) => r.type === NODE_READINESS_TYPE);
        expect(gates.map((g) => g.name).sort()).toEqual(
            ["c-eu-central-web-readiness", "c-us-ord-bastion-readiness", "c-us-ord-db-readiness", "c-us-ord-web-readiness"].sort(),
        );
        const bastionIp = publicIp("quickstart-us-ord-bastion-1");
        const gate = (n: string) => named(n).plainInputs;

        const bastion = gate("c-us-ord-bastion-readiness");
        expect(bastion.ssh).toEqual({ user: "ops", addresses: [bastionIp], marker: "auto" });
        expect(bastion.timeoutSeconds).toBe(600);

        // Same-region VPC members by their VPC address, other regions by their public IPv4.
        const web = gate("c-us-ord-web-readiness");
        expect(web.ssh.jump).toEqual({ host: bastionIp, user: "ops" });
        expect(web.ssh.addresses).toHaveLength(3);
        for (const a of web.ssh.addresses) expect(a).toMatch(/^10\.31\./);
        const far = gate("c-eu-central-web-readiness");
        expect(far.ssh.jump).toEqual({ host: bastionIp, user: "ops" });
        expect(far.ssh.addresses).toEqual([publicIp("quickstart-eu-central-web-1"), publicIp("quickstart-eu-central-web-2")]);
        // Ids line up with addresses.
        expect(web.linodeIds).toEqual(["web-1", "web-2", "web-3"].map((n) => Number(node(`quickstart-us-ord-${n}`).id)));
    });

    it("makes later boot groups and NodeBalancer backends wait for the gates before them", async () => {
        const plan: ClusterPlanInput = {
            name: "gated",
            exposure: { adminCidrs: ["203.0.113.0/24"] },
            regions: [
                {
                    region: "us-ord",
                    nodeGroups: [
                        { name: "db", count: 1, bootOrder: 1 },
                        { name: "app", count: 2, bootOrder: 2, services: [{ name: "http", ports: [8080] }] },
                    ],
                },
            ],
            loadBalancers: [{ name: "front", region: "us-ord", listeners: [{ port: 80, target: { group: "app", port: 8080 } }] }],
        };
        await build(plan, true);
        const urn = (n: string) => named(n).urn!;
        expect(named("c-us-ord-db-1-instance").dependencies).not.toContain(urn("c-us-ord-app-readiness"));
        expect(named("c-us-ord-app-1-instance").dependencies).toContain(urn("c-us-ord-db-readiness"));
        expect(named("c-us-ord-app-2-instance").dependencies).toContain(urn("c-us-ord-db-readiness"));
        const backends = registered.filter((r) => r.type === "linode:index/nodeBalancerNode:NodeBalancerNode");
        expect(backends).toHaveLength(2);
        for (const b of backends) expect(b.dependencies).toContain(urn("c-us-ord-app-readiness"));
        // No bastion: every group is probed directly, at its public IPv4.
        expect(named("c-us-ord-app-readiness").plainInputs.ssh).toEqual({
            user: "ops",
            addresses: [publicIp("gated-us-ord-app-1"), publicIp("gated-us-ord-app-2")],
            marker: "auto",
        });
    });
});
