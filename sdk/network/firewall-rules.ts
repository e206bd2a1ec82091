import type { AccessPurpose, PortRange, ResolvedPlan } from "../plan/resolved";
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
        for (const a of [...r.ipv4, ...r.ipv6]) Object.freeze(a);
        Object.freeze(r.ipv4);
        Object.freeze(r.ipv6);
        Object.freeze(r);
    }
    Object.freeze(rules);
    return rules;
}

const rulesCache = new WeakMap<ResolvedPlan, Map<string, FirewallRuleSpec[]>>();

function computeGroupFirewallRules(plan: ResolvedPlan, groupKey: string): FirewallRuleSpec[] {
    const index = indexPlan(plan);
    const target = index.group(groupKey);
    if (!target) return [];
    type Bucket = { purpose: AccessPurpose; names: string[]; protocol: "tcp" | "udp"; ports: PortRange[]; ipv4: AddressRef[]; ipv6: AddressRef[] };
    const buckets = new Map<string, Bucket>();
    const rules = plan.access
        .filter((a) => a.group === groupKey)
        .sort((a, b) => PURPOSE_ORDER.indexOf(a.purpose) - PURPOSE_ORDER.indexOf(b.purpose));
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
            buckets.set(key, { purpose: rule.purpose, names: [rule.name], protocol: rule.protocol, ports: [...rule.ports], ipv4: dedupeRefs(ipv4), ipv6: dedupeRefs(ipv6) });
        }
    }
    const out: FirewallRuleSpec[] = [];
    for (const b of buckets.values()) {
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

function refKey(r: AddressRef): string {
    return r.kind === "cidr" ? r.cidr : `${r.kind}:${r.node}`;
}

/** The refs' keys, sorted (duplicates kept): rules with equal keys have the same sources. */
function refsKey(refs: readonly AddressRef[]): string {
    return refs.map(refKey).sort().join(",");
}

function dedupeRefs(refs: readonly AddressRef[]): AddressRef[] {
    const seen = new Set<string>();
    const out: AddressRef[] = [];
    for (const r of refs) {
        const k = refKey(r);
        if (seen.has(k)) continue;
        seen.add(k);
        out.push(r);
    }
    return out;
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
    const out: Array<{ ipv4: AddressRef[]; ipv6: AddressRef[] }> = [];
    for (let start = 0; start < total; start += FIREWALL_MAX_ADDRESSES_PER_RULE) {
        const end = Math.min(total, start + FIREWALL_MAX_ADDRESSES_PER_RULE);
        out.push({ ipv4: ipv4.slice(Math.min(start, n4), Math.min(end, n4)), ipv6: ipv6.slice(Math.max(0, start - n4), Math.max(0, end - n4)) });
    }
    return out;
}
