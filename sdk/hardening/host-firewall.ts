import { aggregateIpv4, parseCidr } from "../network/cidr";
import { indexPlan, memberAddress } from "../network/member-addresses";
import { mergeRanges } from "../network/ports";
import type { AccessPurpose, PortRange, PortSet, Protocol, ResolvedNode, ResolvedPlan } from "../plan/resolved";

/**
 * The host firewall of one group, derived from `plan.access` — the same facts the Cloud
 * Firewall is computed from (sdk/network/firewall-rules.ts), so the two cannot disagree.
 *
 * Every non-world rule reads its sources from named nftables sets. A set is named after the
 * rule (purpose, name, protocol), never after the groups it contains, so adding a group
 * elsewhere changes set contents at most, never the ruleset's shape.
 */

/** Addresses a node's first boot can know, and those that only member sync can fill. */
export interface AddressSet {
    /** nftables set name. */
    name: string;
    family: 4 | 6;
    /** Literal networks from the plan (admin CIDRs, client CIDRs, NodeBalancer range). */
    cidrs: string[];
    /** Group keys whose members belong in the set. */
    groups: string[];
}

export interface HostRule {
    purpose: AccessPurpose;
    name: string;
    protocol: Protocol;
    ports: PortRange[];
    /** Open to everyone (no sets). */
    world: boolean;
    /** Source sets (v4 and/or v6) when not world. */
    sets: string[];
}

export interface HostFirewall {
    group: string;
    rules: HostRule[];
    sets: AddressSet[];
    /** Forward chain policy: forwarding roles route container/overlay traffic. */
    forwarding: boolean;
    egress: { mode: "open" | "restricted"; allow: PortSet[]; clusterSet: string };
}

const PURPOSE_ORDER: AccessPurpose[] = ["ssh", "service", "load-balancer", "extra", "public"];
const SET_PREFIX: Record<AccessPurpose, string> = { ssh: "ssh", service: "svc", "load-balancer": "lb", public: "public", extra: "extra" };

/** Every cluster member, for restricted egress. */
export const CLUSTER_SET = "cluster_v4";

export function setBaseName(purpose: AccessPurpose, name: string, protocol: Protocol): string {
    const parts = purpose === "ssh" || purpose === "extra" ? [SET_PREFIX[purpose], protocol] : [SET_PREFIX[purpose], name, protocol];
    return parts.join("_").replace(/[^A-Za-z0-9_]/g, "_");
}

export function hostFirewall(plan: ResolvedPlan, groupKey: string): HostFirewall {
    const group = indexPlan(plan).group(groupKey);
    if (!group) throw new Error(`no group ${groupKey} in plan ${plan.name}`);
    const sets = new Map<string, AddressSet>();
    const rules: HostRule[] = [];
    const access = plan.access
        .filter((a) => a.group === groupKey)
        .map((a, i) => ({ a, i }))
        .sort((x, y) => PURPOSE_ORDER.indexOf(x.a.purpose) - PURPOSE_ORDER.indexOf(y.a.purpose) || x.i - y.i)
        .map((x) => x.a);
    for (const a of access) {
        const ports = mergeRanges(a.ports);
        if (a.sources.world) {
            rules.push({ purpose: a.purpose, name: a.name, protocol: a.protocol, ports, world: true, sets: [] });
            continue;
        }
        const base = setBaseName(a.purpose, a.name, a.protocol);
        const v4 = a.sources.cidrs.filter((c) => parseCidr(c)?.version === 4);
        const v6 = a.sources.cidrs.filter((c) => parseCidr(c)?.version === 6);
        const ruleSets: string[] = [];
        // Members are reached over IPv4 (VPC, private or public), so a v4 set exists whenever groups do.
        if (v4.length > 0 || a.sources.groups.length > 0) ruleSets.push(addSet(sets, `${base}_v4`, 4, v4, a.sources.groups));
        if (v6.length > 0) ruleSets.push(addSet(sets, `${base}_v6`, 6, v6, []));
        rules.push({ purpose: a.purpose, name: a.name, protocol: a.protocol, ports, world: false, sets: ruleSets });
    }
    const h = group.hardening;
    if (h.egress.mode === "restricted") addSet(sets, CLUSTER_SET, 4, [], plan.groups.map((g) => g.key));
    return {
        group: groupKey,
        rules,
        sets: [...sets.values()],
        forwarding: h.forwarding,
        egress: { mode: h.egress.mode, allow: h.egress.allow, clusterSet: CLUSTER_SET },
    };
}

function addSet(sets: Map<string, AddressSet>, name: string, family: 4 | 6, cidrs: string[], groups: string[]): string {
    const hit = sets.get(name);
    if (hit) {
        hit.cidrs = [...new Set([...hit.cidrs, ...cidrs])];
        hit.groups = [...new Set([...hit.groups, ...groups])];
    } else {
        sets.set(name, { name, family, cidrs: [...cidrs], groups: [...groups] });
    }
    return name;
}

/** Known addresses of members, by node name (outputs of created nodes). */
export type MemberAddresses = Readonly<Record<string, { publicIpv4?: string; privateIpv4?: string }>>;

/**
 * The elements of a set as seen from `groupKey`: its CIDRs plus each member's address.
 * Without `known`, only plan-time addresses (VPC members of the same region) are included —
 * that is what first boot gets. With it, private and public addresses are filled in too.
 */
export function setElements(plan: ResolvedPlan, groupKey: string, set: AddressSet, known?: MemberAddresses): string[] {
    const index = indexPlan(plan);
    const target = index.group(groupKey)!;
    if (known !== undefined) return collectElements(plan, target, set, known);
    // First boot's elements depend only on the region and the set's sources: groups of a
    // region with the same sources share them (big plans ask once per group and set).
    const perPlan = firstBootElements.get(plan) ?? new Map<string, string[]>();
    firstBootElements.set(plan, perPlan);
    const key = `${set.family} ${target.region} ${set.groups.join(",")} ${set.cidrs.join(",")}`;
    let elements = perPlan.get(key);
    if (!elements) perPlan.set(key, (elements = collectElements(plan, target, set)));
    return elements.slice();
}

const firstBootElements = new WeakMap<ResolvedPlan, Map<string, string[]>>();

function collectElements(plan: ResolvedPlan, target: { region: string }, set: AddressSet, known?: MemberAddresses): string[] {
    const index = indexPlan(plan);
    const singles: string[] = [];
    if (set.family === 4) {
        // First boot (nothing known yet) sees only VPC addresses, which only the target region's
        // groups have in a VPC region: the other groups are skipped whole, not member by member.
        const firstBoot = known === undefined;
        const vpcRegion = index.region(target.region)?.privateNetwork === "vpc";
        for (const g of set.groups) {
            if (firstBoot && !(vpcRegion && index.group(g)?.region === target.region)) continue;
            for (const m of index.membersOf([g])) {
                const addr = memberIpv4(m, target, plan, known);
                if (addr) singles.push(addr);
            }
        }
    }
    const aggregated = set.family === 4 ? aggregateIpv4(singles) : [];
    return [...new Set([...set.cidrs, ...aggregated])];
}

/** How `target` reaches member `m` over IPv4, when that is known. */
export function memberIpv4(m: ResolvedNode, target: { region: string }, plan: ResolvedPlan, known?: MemberAddresses): string | undefined {
    const a = memberAddress(m, target, indexPlan(plan).region);
    if (a.kind === "vpc") return a.address;
    const k = known?.[m.name];
    return a.kind === "private" ? k?.privateIpv4 : k?.publicIpv4;
}
