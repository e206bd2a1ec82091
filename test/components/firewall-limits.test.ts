import { beforeEach, describe, expect, it } from "vitest";
import { LinodeCluster } from "../../sdk/components/linode-cluster";
import { FIREWALL_MAX_RULES, groupFirewallRules } from "../../sdk/network/firewall-rules";
import { checkPlanValue } from "../../sdk/plan/check";
import type { ClusterPlanInput } from "../../sdk/plan/schema";
import { installMocks, Registered, settle } from "../support/pulumi-mocks";

/** One private-IPv4 group whose service is reachable from its own members only. */
function selfServicePlan(count: number, ports: Array<number | string> = [9000]): ClusterPlanInput {
    return {
        name: "fw",
        exposure: { adminCidrs: ["203.0.113.0/24"] },
        privateNetwork: "private-ip",
        regions: [{ region: "us-east", nodeGroups: [{ name: "a", count, type: "g6-nanode-1", services: [{ name: "svc", ports, from: ["self"] }] }] }],
    };
}

function resolved(plan: ClusterPlanInput) {
    const c = checkPlanValue(plan);
    if (!c.resolved) throw new Error(c.issues.map((i) => `${i.path}: ${i.message}`).join("\n"));
    return c.resolved;
}

describe("Cloud Firewall splitting at Linode's limits", () => {
    it("keeps 255 member addresses in one rule and splits the 256th into a second", () => {
        const at = groupFirewallRules(resolved(selfServicePlan(255)), "us-east/a").filter((r) => r.ports === "9000");
        expect(at).toHaveLength(1);
        expect(at[0]!.ipv4).toHaveLength(255);
        const over = groupFirewallRules(resolved(selfServicePlan(256)), "us-east/a").filter((r) => r.ports === "9000");
        expect(over.map((r) => r.ipv4.length)).toEqual([255, 1]);
        expect(new Set(over.map((r) => r.label)).size).toBe(2);
    });

    it("keeps 15 port pieces in one rule and splits the 16th", () => {
        const ports15 = Array.from({ length: 15 }, (_, i) => 9000 + i * 2);
        const ports16 = Array.from({ length: 16 }, (_, i) => 9000 + i * 2);
        const at = groupFirewallRules(resolved(selfServicePlan(2, ports15)), "us-east/a").filter((r) => r.description.includes("svc"));
        expect(at.map((r) => r.ports.split(", ").length)).toEqual([15]);
        const over = groupFirewallRules(resolved(selfServicePlan(2, ports16)), "us-east/a").filter((r) => r.description.includes("svc"));
        expect(over.map((r) => r.ports.split(", ").length)).toEqual([15, 1]);
    });

    it("accepts a group needing exactly 25 rules and rejects 26 with the group's path", () => {
        const plan = (services: number): ClusterPlanInput => ({
            name: "fw",
            exposure: { adminCidrs: ["203.0.113.0/24"] },
            regions: [
                {
                    region: "us-ord",
                    nodeGroups: [
                        { name: "edge", count: 1 },
                        {
                            name: "busy",
                            count: 1,
                            // Distinct sources cannot merge: one rule each, plus SSH.
                            services: Array.from({ length: services }, (_, i) => ({ name: `s${i}`, ports: [10000 + i], from: [`198.51.100.${i + 1}`] })),
                        },
                    ],
                },
            ],
        });
        const ok = checkPlanValue(plan(FIREWALL_MAX_RULES - 1));
        expect(ok.issues.filter((i) => i.severity === "error")).toEqual([]);
        expect(groupFirewallRules(ok.resolved!, "us-ord/busy")).toHaveLength(25);
        const bad = checkPlanValue(plan(FIREWALL_MAX_RULES));
        expect(bad.ok).toBe(false);
        expect(bad.issues.filter((i) => i.severity === "error").map((i) => [i.path, i.rule])).toEqual([["regions[0].nodeGroups[1]", "firewall-limits"]]);
        expect(bad.issues[0]!.message).toMatch(/needs 26 Cloud Firewall rules but a Linode takes one firewall of at most 25: 26 different protocol and source combinations \(ssh ssh; service s0;/);
        expect(bad.issues[0]!.message).toMatch(/… \(20 more\)\) each need their own rule; ports with the same protocol and sources share a rule/);
    });
});

describe("split firewalls in the component", () => {
    let registered: Registered[];
    beforeEach(async () => {
        registered = await installMocks();
    });

    it("registers the split rules with every member's private address exactly once", async () => {
        const cluster = new LinodeCluster("fw", { plan: selfServicePlan(256) });
        await cluster.built;
        await settle(registered);
        const fw = registered.find((r) => r.type === "linode:index/firewall:Firewall")!.plainInputs;
        const svc = fw.inbounds.filter((r: any) => r.ports === "9000");
        expect(svc.map((r: any) => r.ipv4s.length)).toEqual([255, 1]);
        const all = svc.flatMap((r: any) => r.ipv4s);
        expect(new Set(all).size).toBe(256);
        for (const a of all) expect(a).toMatch(/^192\.168\.\d+\.\d+\/32$/);
        expect(fw.inbounds.length).toBeLessThanOrEqual(25);
        expect(fw.linodes).toHaveLength(256);
    });
});
