import { NODEBALANCER_SOURCE_RANGE } from "../../network/cidr";
import type { AccessRule, ResolvedGroup, ResolvedLoadBalancer, SourceSet } from "../resolved";

const SSH_PORT = [{ from: 22, to: 22 }];

/**
 * Who may reach which ports on which group. Cloud Firewalls and host firewalls are both
 * computed from this list, so they can never disagree.
 */
export function accessRules(args: {
    groups: readonly ResolvedGroup[];
    loadBalancers: readonly ResolvedLoadBalancer[];
    adminSources: SourceSet;
    bastion?: string;
}): AccessRule[] {
    const rules: AccessRule[] = [];
    for (const g of args.groups) {
        const sshSources =
            args.bastion && args.bastion !== g.key
                ? { groups: [args.bastion], cidrs: [], world: false }
                : args.adminSources;
        rules.push({ group: g.key, purpose: "ssh", name: "ssh", protocol: "tcp", ports: SSH_PORT, sources: sshSources });
        for (const s of g.services) {
            rules.push({ group: g.key, purpose: "service", name: s.name, protocol: s.protocol, ports: s.ports, sources: s.from });
        }
        for (const p of g.publicPorts) {
            rules.push({
                group: g.key,
                purpose: "public",
                name: "public",
                protocol: p.protocol,
                ports: p.ports,
                sources: { groups: [], cidrs: [], world: true },
            });
        }
        for (const p of g.hardening.extraPorts) {
            rules.push({
                group: g.key,
                purpose: "extra",
                name: "extra",
                protocol: p.protocol,
                ports: p.ports,
                sources: { groups: args.groups.map((x) => x.key), cidrs: [], world: false },
            });
        }
    }
    for (const lb of args.loadBalancers) {
        for (const l of lb.listeners) {
            rules.push({
                group: l.target.group,
                purpose: "load-balancer",
                name: `${lb.name}-${l.port}`,
                protocol: "tcp",
                ports: [{ from: l.target.port, to: l.target.port }],
                sources: { groups: [], cidrs: [NODEBALANCER_SOURCE_RANGE], world: false },
            });
        }
    }
    return rules;
}
