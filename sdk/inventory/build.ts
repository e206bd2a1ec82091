import { formatPorts } from "../network/ports";
import type { ResolvedPlan } from "../plan/resolved";
import type { ClusterInventory, Observed } from "./types";

/** Assembles the inventory from the resolved plan and what Linode reported. Pure. */
export function buildInventory(plan: ResolvedPlan, observed: Observed): ClusterInventory {
    const volumesByNode = new Map<string, typeof plan.volumes>();
    for (const v of plan.volumes) volumesByNode.set(v.node, [...(volumesByNode.get(v.node) ?? []), v]);
    const defined = <T extends object>(o: T): T =>
        Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== "")) as T;
    return {
        schemaVersion: 1,
        cluster: plan.name,
        adminUser: plan.admin.user,
        ...(plan.bastion ? { bastion: plan.bastion } : {}),
        ...(plan.template ? { template: plan.template } : {}),
        groups: plan.groups.map((g) => ({
            key: g.key,
            name: g.name,
            region: g.region,
            role: g.role,
            bootOrder: g.bootOrder,
            nodes: [...g.nodes],
            services: g.services.map((s) => ({ name: s.name, protocol: s.protocol, ports: formatPorts(s.ports) })),
        })),
        nodes: plan.nodes.map((n) => {
            const o = observed.nodes[n.name] ?? {};
            return defined({
                name: n.name,
                label: n.label,
                id: o.id,
                group: n.group,
                groupName: n.groupName,
                role: n.role,
                region: n.region,
                index: n.index,
                type: n.type,
                image: n.image,
                tags: [...n.tags],
                hostname: n.hostname,
                fqdn: n.fqdn,
                publicIpv4: o.publicIpv4,
                privateIpv4: o.privateIpv4,
                vpcIpv4: n.vpcIp,
                ipv6: o.ipv6,
                volumes: (volumesByNode.get(n.name) ?? []).map((v) =>
                    defined({
                        name: v.name,
                        label: v.label,
                        sizeGb: v.sizeGb,
                        mountPath: v.mountPath,
                        filesystem: v.filesystem,
                        id: observed.volumes[v.name]?.id,
                    }),
                ),
            });
        }),
        loadBalancers: plan.loadBalancers.map((lb) =>
            defined({
                name: lb.name,
                label: lb.label,
                region: lb.region,
                ...observed.loadBalancers[lb.name],
                listeners: lb.listeners.map((l) => ({ port: l.port, protocol: l.protocol, targetGroup: l.target.group, targetPort: l.target.port })),
            }),
        ),
        ...(plan.dns ? { dns: { domain: plan.dns.domain } } : {}),
    };
}
