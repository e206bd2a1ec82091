import type { ResolvedPlan } from "../plan/resolved";
import { indexPlan } from "../network/member-addresses";
import { type HostEntry, renderHostsLines } from "./hosts";
import { memberIpv4, type MemberAddresses } from "./host-firewall";

/**
 * The cluster's /etc/hosts entries as seen from a group, in plan order. At first boot only
 * VPC members of the same region have a known address; member sync adds the others.
 */
export function clusterHostEntries(plan: ResolvedPlan, groupKey: string, known?: MemberAddresses): HostEntry[] {
    const target = indexPlan(plan).group(groupKey);
    if (!target) throw new Error(`no group ${groupKey} in plan ${plan.name}`);
    // Before creation the list depends only on the region (its VPC members): every group of a
    // region shares it, and big plans ask for it once per group.
    if (known === undefined) {
        const perRegion = firstBootCache.get(plan) ?? new Map<string, HostEntry[]>();
        firstBootCache.set(plan, perRegion);
        let entries = perRegion.get(target.region);
        if (!entries) perRegion.set(target.region, (entries = collect(plan, target)));
        return entries.slice();
    }
    return collect(plan, target, known);
}

const firstBootCache = new WeakMap<ResolvedPlan, Map<string, HostEntry[]>>();

/** First boot's /etc/hosts lines for a group: rendered once per region. */
export function firstBootHostsText(plan: ResolvedPlan, groupKey: string): string {
    const target = indexPlan(plan).group(groupKey);
    if (!target) throw new Error(`no group ${groupKey} in plan ${plan.name}`);
    const perRegion = firstBootText.get(plan) ?? new Map<string, string>();
    firstBootText.set(plan, perRegion);
    let text = perRegion.get(target.region);
    if (text === undefined) perRegion.set(target.region, (text = renderHostsLines(clusterHostEntries(plan, groupKey))));
    return text;
}

const firstBootText = new WeakMap<ResolvedPlan, Map<string, string>>();

function collect(plan: ResolvedPlan, target: { region: string }, known?: MemberAddresses): HostEntry[] {
    const out: HostEntry[] = [];
    for (const n of plan.nodes) {
        const address = memberIpv4(n, target, plan, known);
        if (address) out.push({ address, names: n.fqdn ? [n.fqdn, n.hostname] : [n.hostname] });
    }
    return out;
}
