import type { AccessPurpose, AccessRule, PortRange, ResolvedPlan } from "../plan/resolved";
import { fitLabel, LABEL_RULES } from "../naming/labels";
import { aggregateIpv4, parseCidr } from "./cidr";
import { indexPlan, memberAddress } from "./member-addresses";
import { formatRange, mergeRanges } from "./ports";

/** Linode Cloud Firewall limits (linode-api.md §7). */
export const FIREWALL_MAX_RULES = 25;
export const FIREWALL_MAX_ADDRESSES_PER_RULE = 255;
export const FIREWALL_MAX_PORT_PIECES = 15;

/** An address in a rule: literal, or a node's public/private IPv4 known only after creation. */
export type AddressRef = { kind: "cidr"; cidr: string } | { kind: "public"; node: string } | { kind: "private"; node: string };

export interface FirewallRuleSpec {
    label: string;
    description: string;
    protocol: "TCP" | "UDP";
    /** Linode `ports` text, e.g. "22, 8000-8010". */
    ports: string;
    ipv4: AddressRef[];
    ipv6: AddressRef[];
}

export interface GroupFirewallSpec {
    group: string;
    label: string;
    resourceName: string;
    inbound: FirewallRuleSpec[];
}

const PURPOSE_ORDER: AccessPurpose[] = ["ssh", "service", "load-balancer", "public", "extra"];
const RULE_PREFIX: Record<AccessPurpose, string> = { ssh: "ssh", service: "svc", "load-balancer": "lb", public: "public", extra: "extra" };

/**
 * The inbound rules of one group's Cloud Firewall (policy DROP): access rules with the same
 * protocol and sources merge into one rule; ports split at 15 pieces, addresses at 255.
 */
export function groupFirewallRules(plan: ResolvedPlan, groupKey: string): FirewallRuleSpec[] {
    // Validation (firewall-limits) and the components both need every group's rules, from the
    // same resolved plan object: compute them once. Frozen, since every caller shares them.
    let byGroup = rulesCache.get(plan);
    if (!byGroup) rulesCache.set(plan, (byGroup = new Map()));
    const hit = byGroup.get(groupKey);
    if (hit) return hit;
    const rules = deepFreeze(computeGroupFirewallRules(plan, groupKey));
    byGroup.set(groupKey, rules);
    return rules;
}

function deepFreeze(rules: FirewallRuleSpec[]): FirewallRuleSpec[] {
    for (const r of rules) {
        // Address lists and their refs are often shared between rules (see sourceRefs): freeze once.
        for (const list of [r.ipv4, r.ipv6]) {
            if (Object.isFrozen(list)) continue;
            for (const a of list) Object.freeze(a);
            Object.freeze(list);
        }
        Object.freeze(r);
    }
    Object.freeze(rules);
    return rules;
}

const rulesCache = new WeakMap<ResolvedPlan, Map<string, FirewallRuleSpec[]>>();

/** A rule's sources as addresses seen from one region: what buckets merge on, and what they hold. */
interface SourceRefs {
    /** Equal exactly when the address lists are (duplicates counted), whatever their order. */
    key: string;
    /** Deduplicated, first occurrence first: literal networks, then members, then members' VPC blocks. */
    ipv4: AddressRef[];
    ipv6: AddressRef[];
}

/**
 * The addresses of a source set as a group in `region` sees them. They depend on the region and
 * the sources only, and in a big plan the same sources (a group's members, the admin networks)
 * feed many rules of many groups — so they are worked out once per plan, region and sources,
 * and each group's members once per region (memberRefs).
 */
function sourceRefs(plan: ResolvedPlan, region: string, sources: AccessRule["sources"]): SourceRefs {
    let byPlan = sourcesCache.get(plan);
    if (!byPlan) sourcesCache.set(plan, (byPlan = new Map()));
    const cacheKey = `${region}\u0000${sources.world}\u0000${sources.cidrs.join(",")}\u0000${sources.groups.join(",")}`;
    const hit = byPlan.get(cacheKey);
    if (hit) return hit;
    let ipv4: AddressRef[] = [];
    const ipv6: AddressRef[] = [];
    // For the key: every network's text, and every group's member ids (duplicates kept, as in the lists before deduplication).
    const cidrKeys4: string[] = [];
    const cidrKeys6: string[] = [];
    const idRanges: string[] = [];
    const seenCidrs = new Set<string>();
    const addCidr = (cidr: string, v6: boolean) => {
        (v6 ? cidrKeys6 : cidrKeys4).push(cidr);
        if (seenCidrs.has(cidr)) return;
        seenCidrs.add(cidr);
        (v6 ? ipv6 : ipv4).push({ kind: "cidr", cidr });
    };
    if (sources.world) {
        addCidr("0.0.0.0/0", false);
        addCidr("::/0", true);
    } else {
        for (const c of sources.cidrs) addCidr(c, parseCidr(c)?.version === 6);
        let vpc: string[] = [];
        const seenGroups = new Set<string>();
        for (const g of sources.groups) {
            const m = memberRefs(plan, region, g);
            if (m.refs.length > 0) idRanges.push(m.idRange);
            // A group named twice adds its members once (as a node ref is one address).
            if (seenGroups.has(g)) continue;
            seenGroups.add(g);
            // concat, not a push per member: thousands of members, and native copying is fast even before V8 optimises.
            if (m.refs.length > 0) ipv4 = ipv4.concat(m.refs);
            vpc = vpc.length === 0 ? m.vpc : vpc.concat(m.vpc);
        }
        for (const cidr of aggregateIpv4(vpc)) addCidr(cidr, false);
    }
    const out = { key: `${cidrKeys4.sort().join(",")}|${idRanges.sort().join(",")}|${cidrKeys6.sort().join(",")}`, ipv4, ipv6 };
    byPlan.set(cacheKey, out);
    return out;
}

const sourcesCache = new WeakMap<ResolvedPlan, Map<string, SourceRefs>>();

/**
 * Member ids: one per node and region, unique in the process (a ref stands for one node seen
 * from one region). A group's members seen from a region get consecutive ids, so their ids are
 * one range, and two source sets have the same members exactly when they have the same ranges
 * (ranges of different groups never overlap): a key is a few ranges, not thousands of ids.
 */
let nextMemberId = 0;

interface Members {
    /** VPC addresses (the caller aggregates them with the other groups' into blocks). */
    vpc: string[];
    /** Members reached by private or public IPv4, as refs. */
    refs: AddressRef[];
    /** Their ids, consecutive: `first+count`. */
    idRange: string;
}

/** One group's members as seen from a region. */
function memberRefs(plan: ResolvedPlan, region: string, groupKey: string): Members {
    let byPlan = membersCache.get(plan);
    if (!byPlan) membersCache.set(plan, (byPlan = new Map()));
    const cacheKey = `${region}\u0000${groupKey}`;
    const hit = byPlan.get(cacheKey);
    if (hit) return hit;
    const index = indexPlan(plan);
    const target = { region };
    const out: Members = { vpc: [], refs: [], idRange: "" };
    for (const m of index.membersOf([groupKey])) {
        const a = memberAddress(m, target, index.region);
        if (a.kind === "vpc") out.vpc.push(a.address);
        else out.refs.push({ kind: a.kind, node: a.node });
    }
    out.idRange = `${nextMemberId}+${out.refs.length}`;
    nextMemberId += out.refs.length;
    byPlan.set(cacheKey, out);
    return out;
}

const membersCache = new WeakMap<ResolvedPlan, Map<string, Members>>();

function computeGroupFirewallRules(plan: ResolvedPlan, groupKey: string): FirewallRuleSpec[] {
    const index = indexPlan(plan);
    const target = index.group(groupKey);
    if (!target) return [];
    const buckets = new Map<string, RuleBucket>();
    const rules = plan.access
        .filter((a) => a.group === groupKey)
        .sort((a, b) => PURPOSE_ORDER.indexOf(a.purpose) - PURPOSE_ORDER.indexOf(b.purpose));
    for (const rule of rules) {
        const refs = sourceRefs(plan, target.region, rule.sources);
        if (refs.ipv4.length === 0 && refs.ipv6.length === 0) continue;
        const key = `${rule.protocol}|${refs.key}`;
        const bucket = buckets.get(key);
        if (bucket) {
            bucket.ports.push(...rule.ports);
            if (!bucket.names.includes(rule.name)) bucket.names.push(rule.name);
        } else {
            buckets.set(key, { purpose: rule.purpose, names: [rule.name], protocol: rule.protocol, ports: [...rule.ports], ipv4: refs.ipv4, ipv6: refs.ipv6 });
        }
    }
    return rulesFromBuckets(buckets.values());
}

/** Sources that share a protocol and address set, with every port they open: one or more Cloud Firewall rules. */
export interface RuleBucket {
    purpose: AccessPurpose;
    names: string[];
    protocol: "tcp" | "udp";
    ports: PortRange[];
    ipv4: AddressRef[];
    ipv6: AddressRef[];
}

/** Rules from buckets: split into rules at 15 port pieces and 255 addresses, labelled within the rule label limit. */
export function rulesFromBuckets(buckets: Iterable<RuleBucket>): FirewallRuleSpec[] {
    const out: FirewallRuleSpec[] = [];
    for (const b of buckets) {
        const portChunks = chunk(mergeRanges(b.ports).map(formatRange), FIREWALL_MAX_PORT_PIECES);
        const addressChunks = chunkAddresses(b.ipv4, b.ipv6);
        const base = RULE_PREFIX[b.purpose] + (b.purpose === "service" || b.purpose === "load-balancer" ? `-${b.names.join("-")}` : "");
        const many = portChunks.length * addressChunks.length > 1;
        let n = 0;
        for (const ports of portChunks) {
            for (const addrs of addressChunks) {
                n++;
                const suffix = many ? `-${n}` : "";
                out.push({
                    label: fitLabel(`${base}`.slice(0, 60) + suffix, LABEL_RULES.firewallRule.max),
                    description: `${b.purpose} ${b.names.join(", ")}`.slice(0, 100),
                    protocol: b.protocol === "tcp" ? "TCP" : "UDP",
                    ports: ports.join(", "),
                    ipv4: addrs.ipv4,
                    ipv6: addrs.ipv6,
                });
            }
        }
    }
    return out;
}

export function firewallSpecs(plan: ResolvedPlan): GroupFirewallSpec[] {
    return plan.firewalls.flatMap((fw) =>
        fw.groups.map((g) => ({ group: g, label: fw.label, resourceName: fw.resourceName, inbound: groupFirewallRules(plan, g) })),
    );
}

function chunk<T>(items: readonly T[], size: number): T[][] {
    const out: T[][] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    return out.length ? out : [[]];
}

/**
 * Splits a rule's addresses so that each rule carries at most 255 (IPv4 and IPv6 together):
 * consecutive slices of the IPv4 addresses followed by the IPv6 ones.
 */
function chunkAddresses(ipv4: AddressRef[], ipv6: AddressRef[]): Array<{ ipv4: AddressRef[]; ipv6: AddressRef[] }> {
    const n4 = ipv4.length;
    const total = n4 + ipv6.length;
    if (total === 0) return [{ ipv4: [], ipv6: [] }];
    // Within one rule's limit (the usual case): the lists themselves, shared with other rules.
    if (total <= FIREWALL_MAX_ADDRESSES_PER_RULE) return [{ ipv4, ipv6 }];
    const out: Array<{ ipv4: AddressRef[]; ipv6: AddressRef[] }> = [];
    for (let start = 0; start < total; start += FIREWALL_MAX_ADDRESSES_PER_RULE) {
        const end = Math.min(total, start + FIREWALL_MAX_ADDRESSES_PER_RULE);
        out.push({ ipv4: ipv4.slice(Math.min(start, n4), Math.min(end, n4)), ipv6: ipv6.slice(Math.max(0, start - n4), Math.max(0, end - n4)) });
    }
    return out;
}
