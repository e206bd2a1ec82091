/** Queries inside Pulumi programs: LinodeCluster.nodes(query), queryNodes, inventoryFromStack. */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { LinodeCluster } from "../../sdk/components/linode-cluster";
import { inventoryFromStack, queryNodes, stackInventory } from "../../sdk/inventory/program";
import { QuerySyntaxError } from "../../sdk/inventory/query";
import { parseStackExport } from "../../sdk/inventory/stack-export";
import { readFixture } from "../support/inventories";
import { fixturePlan } from "../support/plans";
import { installMocks, settle, valueOf } from "../support/pulumi-mocks";

describe("queries in programs", () => {
    it("LinodeCluster.nodes() takes a query string as well as a filter", async () => {
        const registered = await installMocks();
        const cluster = new LinodeCluster("shop", { plan: fixturePlan("two-region") });
        await cluster.built;
        const labels = async (o: pulumi.Output<Array<{ label: string }>>) => (await valueOf(o)).map((n) => n.label);
        expect(await labels(cluster.nodes("role=postgresql or (group=web and region=eu-central)"))).toEqual([
            "shop-us-ord-db-1",
            "shop-us-ord-db-2",
            "shop-eu-central-web-1",
            "shop-eu-central-web-2",
        ]);
        expect(await labels(cluster.nodes({ role: "web", region: "us-ord" }))).toEqual(["shop-us-ord-web-1", "shop-us-ord-web-2", "shop-us-ord-web-3"]);
        expect(await labels(cluster.nodes("cluster=shop and index=2"))).toEqual(["shop-us-ord-web-2", "shop-us-ord-db-2", "shop-eu-central-web-2"]);
        expect(await labels(cluster.nodes())).toHaveLength(7);
        // Tags in the object form: every one given must be present.
        expect(await labels(cluster.nodes({ tag: "lct:group=db" }))).toEqual(["shop-us-ord-db-1", "shop-us-ord-db-2"]);
        expect(await labels(cluster.nodes({ tag: ["lct:region=eu-central", "lct:role=web"] }))).toEqual(["shop-eu-central-web-1", "shop-eu-central-web-2"]);
        expect(await labels(cluster.nodes({ tag: ["lct:group=db", "lct:region=eu-central"] }))).toEqual([]);
        expect(await labels(cluster.nodes({ label: "shop-us-ord-web-2" }))).toEqual(["shop-us-ord-web-2"]);
        expect(() => cluster.nodes("role=web and")).toThrow(QuerySyntaxError);
        const webs = queryNodes(cluster.inventory, "tag=team-web and group=web");
        expect((await valueOf(webs)).map((n) => n.publicIpv4)).toEqual((await valueOf(cluster.nodes({ group: "web" }))).map((n) => n.publicIpv4));
        expect(() => queryNodes(cluster.inventory, "rol=web")).toThrow(/did you mean "role"/);
        await settle(registered);
    });

    it("inventoryFromStack reads another stack's inventory output through a StackReference", async () => {
        const exported = parseStackExport(readFixture("streams.json")).inventories[0]!;
        const outputs: Record<string, unknown> = {
            inventory: { ...exported, template: { name: "kafka", parameters: { brokers: 3, adminPassword: "hunter2" } } },
            notInventory: { hello: "world" },
        };
        await pulumi.runtime.setMocks(
            {
                newResource: (a) =>
                    a.type === "pulumi:pulumi:StackReference"
                        ? { id: a.inputs.name, state: { name: a.inputs.name, outputs, secretOutputNames: [] } }
                        : { id: `${a.name}-id`, state: a.inputs },
                call: (a) => a.inputs,
            },
            "consumer",
            "dev",
            false,
        );
        const ref = new pulumi.StackReference("acme/lct/prod");
        const inv = await valueOf(inventoryFromStack(ref));
        expect(inv.cluster).toBe("streams");
        expect(inv.nodes).toHaveLength(7);
        expect(inv.template).toEqual({ name: "kafka", parameters: { brokers: 3 } });
        const brokers = await valueOf(queryNodes(inventoryFromStack(ref), "role=kafka-broker"));
        expect(brokers.map((n) => n.privateIpv4)).toEqual(exported.nodes.filter((n) => n.role === "kafka-broker").map((n) => n.privateIpv4));
        // What inventoryFromStack throws (inside its apply) for a missing or foreign output.
        expect(() => stackInventory("acme/lct/prod", "inv", undefined)).toThrow(/stack acme\/lct\/prod has no output "inv"; LCT stacks export their inventory as "inventory"/);
        expect(() => stackInventory("acme/lct/prod", "notInventory", outputs.notInventory)).toThrow(/output "notInventory" of stack acme\/lct\/prod is not an LCT cluster inventory/);
    });
});
