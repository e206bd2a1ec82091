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

function refsKey(refs: readonly AddressRef[]): string {
    return refs.map(refKey).sort().join(",");
}

function dedupeRefs(refs: readonly AddressRef[]): AddressRef[] {
    const seen = new Set<string>();
    return refs.filter((r) => !seen.has(refKey(r)) && seen.add(refKey(r)));
}

function chunk<T>(items: readonly T[], size: number): T[][] {
    const out: T[][] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    return out.length ? out : [[]];
}

/** Splits a rule's addresses so that each rule carries at most 255 (IPv4 and IPv6 together). */
function chunkAddresses(ipv4: AddressRef[], ipv6: AddressRef[]): Array<{ ipv4: AddressRef[]; ipv6: AddressRef[] }> {
    const all = [...ipv4.map((r) => ({ v: 4 as const, r })), ...ipv6.map((r) => ({ v: 6 as const, r }))];
    return chunk(all, FIREWALL_MAX_ADDRESSES_PER_RULE).map((c) => ({
        ipv4: c.filter((x) => x.v === 4).map((x) => x.r),
        ipv6: c.filter((x) => x.v === 6).map((x) => x.r),
    }));
}
