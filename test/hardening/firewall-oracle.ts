import { expect } from "vitest";
import { bigIntToIpv4, ipv4ToBigInt, parseCidr } from "../../sdk/network/cidr";
import { formatRange, mergeRanges } from "../../sdk/network/ports";
import type { ResolvedPlan } from "../../sdk/plan/resolved";
import { firewallFactsOf } from "../support/user-data";

/**
 * The host-firewall oracle, straight from `plan.access` and not from the renderer: what a
 * group's nftables ruleset must accept, from whom, at first boot. Shared by the renderer tests
 * and the component tests (which check what each created instance actually gets).
 */

/** Individual IPv4 addresses of set elements ("a.b.c.d", "a.b.c.d/nn", "a-b" ranges). */
export function expand(elements: readonly string[]): Set<string> {
    const out = new Set<string>();
    for (const e of elements) {
        let lo: bigint;
        let hi: bigint;
        if (e.includes("-")) {
            const [a, b] = e.split("-");
            lo = ipv4ToBigInt(a!);
            hi = ipv4ToBigInt(b!);
        } else {
            const n = parseCidr(e)!;
            lo = n.base;
            hi = n.base + (1n << BigInt(32 - n.prefix)) - 1n;
        }
        if (hi - lo > 65536n) throw new Error(`refusing to expand ${e}`);
        for (let x = lo; x <= hi; x++) out.add(bigIntToIpv4(x));
    }
    return out;
}

/**
 * Which addresses a group's host firewall must accept one access rule from at first boot:
 * literal networks plus the VPC addresses of same-region members (others are known only
 * after creation and arrive by member sync).
 */
export function expectedSources(plan: ResolvedPlan, groupKey: string, rule: ResolvedPlan["access"][number]) {
    const target = plan.groups.find((g) => g.key === groupKey)!;
    const region = plan.regions.find((r) => r.id === target.region)!;
    const members = plan.nodes.filter((n) => rule.sources.groups.includes(n.group));
    const vpc = region.privateNetwork === "vpc" ? members.filter((m) => m.region === target.region).map((m) => m.vpcIp!) : [];
    const v4 = rule.sources.cidrs.filter((c) => parseCidr(c)!.version === 4);
    const v6 = rule.sources.cidrs.filter((c) => parseCidr(c)!.version === 6);
    return { v4, v6, vpc: new Set(vpc), hasGroups: rule.sources.groups.length > 0 };
}

/**
 * Asserts that an nftables ruleset (LCT's text) is exactly the first-boot firewall of
 * `groupKey`: the policies of its hardening settings, one accept rule per access rule (and
 * address family) whose set holds exactly the expected sources, world rules only for world
 * access, and nothing else open.
 */
export function expectFirewallOfGroup(plan: ResolvedPlan, groupKey: string, nft: string): void {
    const group = plan.groups.find((g) => g.key === groupKey)!;
    const fw = firewallFactsOf(nft);
    expect(fw.policies.input).toBe("drop");
    expect(fw.policies.forward).toBe(group.hardening.forwarding ? "accept" : "drop");
    expect(fw.policies.output).toBe(group.hardening.egress.mode === "restricted" ? "drop" : "accept");

    const access = plan.access.filter((a) => a.group === group.key);
    const worldPorts = new Set<string>();
    let expectedRules = 0;
    const used = new Set<object>();
    for (const rule of access) {
        const ports = mergeRanges(rule.ports).map(formatRange);
        const candidates = fw.inputRules.filter((r) => r.protocol === rule.protocol && JSON.stringify(r.ports) === JSON.stringify(ports));
        if (rule.sources.world) {
            expect(candidates.some((r) => r.world), `${rule.purpose} ${rule.name} open to the world`).toBe(true);
            for (const p of ports) worldPorts.add(`${rule.protocol}/${p}`);
            expectedRules++;
            continue;
        }
        const want = expectedSources(plan, group.key, rule);
        // Rules with the same ports (a service and a NodeBalancer listener, say) differ by set.
        const matches = (r: (typeof candidates)[number], family: "ip" | "ip6") => {
            if (r.family !== family || used.has(r)) return false;
            const elements = fw.sets.get(r.set!) ?? [];
            const literal = family === "ip" ? want.v4.map((c) => (c.endsWith("/32") ? c.slice(0, -3) : c)) : want.v6;
            if (!literal.every((c) => elements.includes(c))) return false;
            if (family === "ip6") return elements.length === literal.length;
            const rest = elements.filter((e) => !literal.includes(e));
            return JSON.stringify([...expand(rest)].sort()) === JSON.stringify([...want.vpc].sort());
        };
        if (want.v4.length > 0 || want.hasGroups) {
            const hit = candidates.find((r) => matches(r, "ip"));
            expect(hit, `${rule.purpose} ${rule.name}: IPv4 sources ${[...want.v4, ...want.vpc].join(", ")}`).toBeDefined();
            used.add(hit!);
            expectedRules++;
        }
        if (want.v6.length > 0) {
            const hit = candidates.find((r) => matches(r, "ip6"));
            expect(hit, `${rule.purpose} ${rule.name}: IPv6 sources ${want.v6.join(", ")}`).toBeDefined();
            used.add(hit!);
            expectedRules++;
        }
    }
    // Nothing else is open, and only public (and unrestricted SSH) ports accept everyone.
    expect(fw.inputRules).toHaveLength(expectedRules);
    for (const r of fw.inputRules.filter((x) => x.world)) for (const p of r.ports) expect(worldPorts).toContain(`${r.protocol}/${p}`);
}
