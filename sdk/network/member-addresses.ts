import type { ResolvedGroup, ResolvedNode, ResolvedPlan, ResolvedRegion, ResolvedVolume } from "../plan/resolved";

/**
 * How a member node is seen by a group it talks to. Within a region members use their VPC
 * address (known at plan time) or private IPv4 (known after creation); across regions only
 * public IPv4 routes.
 */
export type MemberAddress =
    | { kind: "vpc"; node: string; address: string }
    | { kind: "private"; node: string }
    | { kind: "public"; node: string };

export function memberAddress(member: ResolvedNode, target: { region: string }, regionOf: (id: string) => ResolvedRegion | undefined): MemberAddress {
    if (member.region !== target.region) return { kind: "public", node: member.name };
    const region = regionOf(member.region);
    if (region?.privateNetwork === "vpc" && member.vpcIp) return { kind: "vpc", node: member.name, address: member.vpcIp };
    return { kind: "private", node: member.name };
}

/** Lookups over a resolved plan, built once (plans with thousands of nodes are common). */
export interface PlanIndex {
    group(key: string): ResolvedGroup | undefined;
    node(name: string): ResolvedNode | undefined;
    volume(name: string): ResolvedVolume | undefined;
    region(id: string): ResolvedRegion | undefined;
    membersOf(groupKeys: readonly string[]): ResolvedNode[];
}

const cache = new WeakMap<ResolvedPlan, PlanIndex>();

export function indexPlan(plan: ResolvedPlan): PlanIndex {
    const hit = cache.get(plan);
    if (hit) return hit;
    const groups = new Map(plan.groups.map((g) => [g.key, g]));
    const nodes = new Map(plan.nodes.map((n) => [n.name, n]));
    const regions = new Map(plan.regions.map((r) => [r.id, r]));
    // A group's members are asked for again and again (every rule and host firewall naming it).
    const members = new Map<string, ResolvedNode[]>();
    const volumes = new Map(plan.volumes.map((v) => [v.name, v]));
    const membersOfGroup = (k: string): ResolvedNode[] => {
        let m = members.get(k);
        if (!m) members.set(k, (m = (groups.get(k)?.nodes ?? []).map((n) => nodes.get(n)!)));
        return m;
    };
    const index: PlanIndex = {
        group: (k) => groups.get(k),
        node: (n) => nodes.get(n),
        region: (id) => regions.get(id),
        // A new array each time: callers may keep or modify it.
        volume: (name) => volumes.get(name),
        membersOf: (keys) => (keys.length === 1 ? membersOfGroup(keys[0]!).slice() : keys.flatMap(membersOfGroup)),
    };
    cache.set(plan, index);
    return index;
}

/**
 * Whether a group's nodes see any cluster member whose address is unknown at plan time
 * (private IPv4 or another region's public IPv4). Those nodes need membership pushed to them
 * after creation; single-region VPC clusters never do.
 */
export function hasLateMembers(plan: ResolvedPlan, groupKey: string): boolean {
    const index = indexPlan(plan);
    const target = index.group(groupKey);
    if (!target) return false;
    // A node never needs its own address: a lone node is not its own late member.
    return plan.nodes.some((m) => memberAddress(m, target, index.region).kind !== "vpc" && !(m.group === groupKey && target.count === 1));
}
