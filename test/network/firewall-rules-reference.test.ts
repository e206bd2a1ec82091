import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aggregateIpv4, parseCidr } from "../../sdk/network/cidr";
import { groupFirewallRules, rulesFromBuckets, type AddressRef, type FirewallRuleSpec, type RuleBucket } from "../../sdk/network/firewall-rules";
import { indexPlan, memberAddress } from "../../sdk/network/member-addresses";
import { checkPlanValue } from "../../sdk/plan/check";
import type { AccessPurpose, ResolvedPlan } from "../../sdk/plan/resolved";
import { bigPlan } from "../../bench/lib/plans";
import { fixturePlan } from "../support/plans";

/**
 * groupFirewallRules works out each source set once per region and keys buckets by member ids
 * (for 10,000-node plans). The reference is the straightforward version it replaced — every
 * rule's members looked up and their keys sorted as text — and both must give the same rules.
 */
const PURPOSE_ORDER: AccessPurpose[] = ["ssh", "service", "load-balancer", "public", "extra"];

function referenceRules(plan: ResolvedPlan, groupKey: string): FirewallRuleSpec[] {
    const index = indexPlan(plan);
    const target = index.group(groupKey);
    if (!target) return [];
    const refKey = (r: AddressRef) => (r.kind === "cidr" ? r.cidr : `${r.kind}:${r.node}`);
    const refsKey = (refs: readonly AddressRef[]) => refs.map(refKey).sort().join(",");
    const dedupe = (refs: readonly AddressRef[]) => refs.filter((r, i) => refs.findIndex((o) => refKey(o) === refKey(r)) === i);
    const buckets = new Map<string, RuleBucket>();
    const rules = plan.access.filter((a) => a.group === groupKey).sort((a, b) => PURPOSE_ORDER.indexOf(a.purpose) - PURPOSE_ORDER.indexOf(b.purpose));
    for (const rule of rules) {
        const ipv4: AddressRef[] = [];
        const ipv6: AddressRef[] = [];
        if (rule.sources.world) {
            ipv4.push({ kind: "cidr", cidr: "0.0.0.0/0" });
            ipv6.push({ kind: "cidr", cidr: "::/0" });
        } else {
            for (const c of rule.sources.cidrs) (parseCidr(c)?.version === 6 ? ipv6 : ipv4).push({ kind: "cidr", cidr: c });
            const vpc: string[] = [];
            for (const m of index.membersOf(rule.sources.groups)) {
                const a = memberAddress(m, target, index.region);
                if (a.kind === "vpc") vpc.push(a.address);
                else ipv4.push({ kind: a.kind, node: a.node });
            }
            ipv4.push(...aggregateIpv4(vpc).map((cidr) => ({ kind: "cidr" as const, cidr })));
        }
        if (ipv4.length === 0 && ipv6.length === 0) continue;
        const key = `${rule.protocol}|${refsKey(ipv4)}|${refsKey(ipv6)}`;
        const bucket = buckets.get(key);
        if (bucket) {
            bucket.ports.push(...rule.ports);
            if (!bucket.names.includes(rule.name)) bucket.names.push(rule.name);
        } else {
            buckets.set(key, { purpose: rule.purpose, names: [rule.name], protocol: rule.protocol, ports: [...rule.ports], ipv4: dedupe(ipv4), ipv6: dedupe(ipv6) });
        }
    }
    // Emission (splitting at the limits, labels) is shared; what changed is how buckets are found.
    return rulesFromBuckets(buckets.values());
}

function resolved(plan: unknown): ResolvedPlan {
    const c = checkPlanValue(plan, { rules: [] });
    if (!c.resolved) throw new Error(c.issues.map((i) => `${i.path}: ${i.message}`).join("\n"));
    return c.resolved;
}

function expectSameRules(plan: ResolvedPlan): void {
    for (const g of plan.groups) expect(groupFirewallRules(plan, g.key), g.key).toEqual(referenceRules(plan, g.key));
}

const REGIONS = ["us-ord", "de-fra-2", "us-east", "eu-central"];
const GROUPS = ["web", "app", "db", "cache"];

/** Plans whose groups take traffic from each other across regions and networks, from CIDRs, twice from the same group. */
const crossPlan = fc
    .record({
        regions: fc.uniqueArray(fc.record({ region: fc.constantFrom(...REGIONS), privateIp: fc.boolean(), groups: fc.uniqueArray(fc.record({ name: fc.constantFrom(...GROUPS), count: fc.integer({ min: 1, max: 300 }) }), { selector: (g) => g.name, minLength: 1, maxLength: 3 }) }), {
            selector: (r) => r.region,
            minLength: 1,
            maxLength: 3,
        }),
        services: fc.array(fc.record({ from: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), ports: fc.array(fc.integer({ min: 1000, max: 1100 }), { minLength: 1, maxLength: 20 }), udp: fc.boolean() }), { maxLength: 6 }),
        ipv6Admin: fc.boolean(),
    })
    .map((a) => {
        const keys = a.regions.flatMap((r) => r.groups.map((g) => `${r.region}/${g.name}`));
        const names = [...new Set(a.regions.flatMap((r) => r.groups.map((g) => g.name)))];
        const selectors = ["cluster", "self", "world", "203.0.113.0/24", "2001:db8::/32", ...keys, ...names];
        const groups = a.regions.flatMap((r, ri) => r.groups.map((g, gi) => ({ ri, gi })));
        return {
            name: "fw",
            exposure: { adminCidrs: ["198.51.100.0/24", ...(a.ipv6Admin ? ["2001:db8:1::/48"] : [])] },
            regions: a.regions.map((r, ri) => ({
                region: r.region,
                ...(r.privateIp ? { privateNetwork: "private-ip" } : {}),
                nodeGroups: r.groups.map((g, gi) => ({
                    name: g.name,
                    count: g.count,
                    addressBlock: 1 + gi * 2,
                    services: a.services
                        .filter((_, si) => groups[si % groups.length]!.ri === ri && groups[si % groups.length]!.gi === gi)
                        .map((s, si) => ({ name: `s${si}`, ports: s.ports, protocol: s.udp ? "udp" : "tcp", from: s.from.map((i) => selectors[i % selectors.length]!) })),
                })),
            })),
        };
    });

describe("firewall rules, computed once per region and source set", () => {
    it("are the rules of the reference computation on random cross-region plans", () => {
        fc.assert(
            fc.property(crossPlan, (p) => {
                expectSameRules(resolved(p));
            }),
            { numRuns: 60 },
        );
    });

    it("are the reference's on the fixture plan and a 2,000-node benchmark plan", () => {
        expectSameRules(resolved(fixturePlan("two-region")));
        expectSameRules(resolved(bigPlan(2000)));
    });

    it("merge a rule from a literal network with a rule whose members aggregate to that network, as before", () => {
        const plan = {
            name: "merge",
            exposure: { adminCidrs: ["198.51.100.0/24"] },
            regions: [{ region: "us-ord", nodeGroups: [{ name: "web", count: 2, addressBlock: 1 }, { name: "db", count: 1, addressBlock: 3, services: [{ name: "a", ports: [5432], from: ["web"] }] }] }],
        };
        const webBlock = aggregateIpv4(resolved(plan).nodes.filter((n) => n.groupName === "web").map((n) => n.vpcIp!));
        expect(webBlock).toHaveLength(1);
        plan.regions[0]!.nodeGroups[1]!.services!.push({ name: "b", ports: [5433], from: [webBlock[0]!] });
        const r = resolved(plan);
        expectSameRules(r);
        expect(groupFirewallRules(r, "us-ord/db").filter((x) => x.description.startsWith("service")).map((x) => [x.description, x.ports])).toEqual([["service a, b", "5432-5433"]]);
    });
});
