import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import type { ClusterInventory } from "../../sdk/inventory/types";
import { readStackSettings } from "../../sdk/stack/config";
import { stackProgram } from "../../sdk/stack/program";
import { installMocks, settle, valueOf } from "../support/pulumi-mocks";
import { fixturePath } from "../support/plans";

const config = (values: Record<string, string>) => ({
    get: (k: string) => values[k],
    getObject: <T>(k: string) => (values[k] === undefined ? undefined : (JSON.parse(values[k]!) as T)),
});

describe("root stack settings", () => {
    it("needs exactly one of lct:plan and lct:template", () => {
        expect(() => readStackSettings(config({}))).toThrow(/no cluster plan: set lct:plan/);
        expect(() => readStackSettings(config({ plan: "a.yaml", template: "kafka" }))).toThrow(/either lct:plan or lct:template/);
        expect(() => readStackSettings(config({ plan: "a.yaml", power: "paused" }))).toThrow(/lct:power must be "running" or "stopped"/);
        expect(readStackSettings(config({ template: "quickstart", parameters: '{"webCount": 4}' }))).toEqual({
            template: "quickstart",
            parameters: { webCount: 4 },
            power: "running",
            memberSync: "auto",
        });
        expect(() => readStackSettings(config({ plan: "a.yaml", memberSync: "sometimes" }))).toThrow(/lct:memberSync must be "auto" or "off"/);
    });

    it("reads lct:readiness as a boolean or an object, and names what is wrong", () => {
        expect(readStackSettings(config({ plan: "a.yaml", readiness: "true" })).readiness).toBe(true);
        expect(readStackSettings(config({ plan: "a.yaml", readiness: '{"timeoutSeconds": 600, "marker": "required"}' })).readiness).toEqual({ timeoutSeconds: 600, marker: "required" });
        expect(readStackSettings(config({ plan: "a.yaml" })).readiness).toBeUndefined();
        expect(() => readStackSettings(config({ plan: "a.yaml", readiness: '{"timeout": 5}' }))).toThrow(/lct:readiness has unknown key timeout/);
        expect(() => readStackSettings(config({ plan: "a.yaml", readiness: '{"marker": "maybe"}' }))).toThrow(/marker must be "auto", "required" or "skip"/);
        expect(() => readStackSettings(config({ plan: "a.yaml", readiness: "3" }))).toThrow(/must be a boolean or an object, not 3/);
    });
});

describe("root stack program under the mock runtime", () => {
    it("builds the cluster from lct:plan and exports its inventory", async () => {
        const registered = await installMocks({ config: { "lct:plan": fixturePath("two-region") } });
        const outputs = stackProgram();
        expect(outputs.cluster).toBe("shop");
        const inventory = await valueOf(outputs.inventory);
        await settle(registered);
        expect(inventory.nodes).toHaveLength(7);
        expect(registered.filter((r) => r.type === "linode:index/instance:Instance")).toHaveLength(7);
        // The component is named after the stack; labels keep the plan's names.
        expect(registered.find((r) => r.type === "lct:index:LinodeCluster")!.name).toBe("test");
        expect(outputs.power).toBe("running");
        expect(await pulumi.isSecret(outputs.adminPrivateKey!)).toBe(true);
    });

    it("runs the real program module (stacks/index.ts) from lct:template", async () => {
        const registered = await installMocks({ config: { "lct:template": "quickstart", "lct:power": "stopped" } });
        // The real program module registers its resources when loaded, like under `pulumi up`.
        const programModule = "../../stacks/index";
        const outputs = ((await import(programModule)) as { default: Record<string, any> }).default;
        expect(outputs.cluster).toBe("quickstart");
        expect(outputs.power).toBe("stopped");
        const inventory: ClusterInventory = await valueOf(outputs.inventory);
        await settle(registered);
        expect(inventory.nodes.map((n: { name: string }) => n.name)).toContain("quickstart-us-ord-db-1");
        expect(registered.filter((r) => r.type === "lct:index:LinodeCluster")).toHaveLength(1);
    });

    it("gates groups on NodeReadiness when lct:readiness is set", async () => {
        const registered = await installMocks({ config: { "lct:plan": fixturePath("two-region"), "lct:readiness": '{"timeoutSeconds": 300}' } });
        const outputs = stackProgram();
        await valueOf(outputs.inventory);
        await settle(registered);
        const gates = registered.filter((r) => r.type === "pulumi-nodejs:dynamic/lct:NodeReadiness");
        expect(gates).toHaveLength(3);
        for (const g of gates) expect(g.plainInputs.timeoutSeconds).toBe(300);
    });

    it("names the unknown template and lists the bundled ones", async () => {
        await installMocks();
        expect(() => stackProgram({ template: "nope" })).toThrow(/unknown template "nope"; bundled templates: .*quickstart/);
    });
});
