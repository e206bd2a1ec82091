import type { ResolvedPlan } from "../plan/resolved";
import { indexPlan } from "../network/member-addresses";
import type { HostEntry } from "./hosts";
import { memberIpv4, type MemberAddresses } from "./host-firewall";

/**
 * The cluster's /etc/hosts entries as seen from a group, in plan order. At first boot only
 * VPC members of the same region have a known address; member sync adds the others.
 */
export function clusterHostEntries(plan: ResolvedPlan, groupKey: string, known?: MemberAddresses): HostEntry[] {
    const target = indexPlan(plan).group(groupKey);
    if (!target) throw new Error(`no group ${groupKey} in plan ${plan.name}`);
    const out: HostEntry[] = [];
    for (const n of plan.nodes) {
        const address = memberIpv4(n, target, plan, known);
        if (address) out.push({ address, names: n.fqdn ? [n.fqdn, n.hostname] : [n.hostname] });
    }
    return out;
}
