/**
 * The resource classes under Pulumi's mock runtime: custom type tokens, the serialized
 * provider in `__provider` (serialization runs in the constructor, even under mocks), the
 * `lct:power` default, and that no token reaches the inputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { CLUSTER_POWER_TYPE, ClusterPower, desiredPowerFromConfig } from "../../sdk/providers/cluster-power";
import { NODE_READINESS_TYPE, NodeReadiness } from "../../sdk/providers/node-readiness";

const registered: Array<{ type: string; name: string; inputs: Record<string, any> }> = [];

beforeAll(async () => {
    process.env.LINODE_TOKEN = process.env.LINODE_TOKEN ?? "mock-runtime-token";
    await pulumi.runtime.setMocks(
        {
            newResource: (a) => {
                registered.push({ type: a.type, name: a.name, inputs: a.inputs });
                return { id: `${a.name}-id`, state: { ...a.inputs } };
            },
            call: (a) => a.inputs,
        },
        "lct",
        "test",
        false,
    );
});

const settled = (r: pulumi.CustomResource) => new Promise<string>((resolve) => r.urn.apply((u) => (resolve(u), u)));

describe("ClusterPower and NodeReadiness resources", () => {
    it("register under lct type tokens with a serialized provider and no token", async () => {
        const power = new ClusterPower("cp", { cluster: "demo", power: "stopped", groups: [{ name: "us-ord/db", bootOrder: 1, linodeIds: [pulumi.output(11), 12] }] });
        const ready = new NodeReadiness("nr", { group: "us-ord/db", linodeIds: [11, 12], ssh: { enabled: false } });
        await Promise.all([settled(power), settled(ready)]);
        const cp = registered.find((r) => r.name === "cp")!;
        const nr = registered.find((r) => r.name === "nr")!;
        expect([cp.type, nr.type]).toEqual([CLUSTER_POWER_TYPE, NODE_READINESS_TYPE]);
        expect(cp.type).toBe("pulumi-nodejs:dynamic/lct:ClusterPower");
        expect(cp.inputs.groups).toEqual([{ name: "us-ord/db", bootOrder: 1, linodeIds: [11, 12] }]);
        expect(cp.inputs.power).toBe("stopped");
        for (const r of [cp, nr]) {
            expect(typeof r.inputs.__provider).toBe("string");
            expect(r.inputs.__provider).toContain("exports.handler");
            expect(JSON.stringify(r.inputs)).not.toContain(process.env.LINODE_TOKEN);
        }
    });

    it("takes the desired power from lct:power", () => {
        const saved = process.env.PULUMI_CONFIG;
        try {
            pulumi.runtime.setAllConfig({ "lct:power": "stopped" });
            expect(desiredPowerFromConfig()).toBe("stopped");
            pulumi.runtime.setAllConfig({ "lct:power": "paused" });
            expect(() => desiredPowerFromConfig()).toThrow('stack config lct:power must be "running" or "stopped", not "paused"');
            pulumi.runtime.setAllConfig({});
            expect(desiredPowerFromConfig()).toBe("running");
        } finally {
            if (saved !== undefined) process.env.PULUMI_CONFIG = saved;
        }
    });
});
