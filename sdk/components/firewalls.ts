import * as linode from "@pulumi/linode";
import * as pulumi from "@pulumi/pulumi";
import { AddressRef, firewallSpecs } from "../network/firewall-rules";
import type { ResolvedPlan } from "../plan/resolved";
import type { SecureNode } from "./secure-node";

/**
 * One Cloud Firewall per group (a Linode takes one firewall), inbound policy DROP, rules from
 * the plan's access rules. Member addresses known only after creation come from node outputs,
 * so the rules follow the cluster as it grows, updated in place.
 */
export function createFirewalls(args: {
    plan: ResolvedPlan;
    nodes: ReadonlyMap<string, SecureNode>;
    nameOf: (resourceName: string) => string;
    parent: pulumi.Resource;
}): Record<string, linode.Firewall> {
    const { plan, nodes } = args;
    const address = (ref: AddressRef): pulumi.Output<string> => {
        if (ref.kind === "cidr") return pulumi.output(ref.cidr);
        const node = nodes.get(ref.node);
        if (!node) throw new Error(`firewall refers to unknown node ${ref.node}`);
        return (ref.kind === "public" ? node.publicIpv4 : node.privateIpv4).apply((ip) => `${ip}/32`);
    };
    const out: Record<string, linode.Firewall> = {};
    for (const spec of firewallSpecs(plan)) {
        const group = plan.groups.find((g) => g.key === spec.group)!;
        out[spec.group] = new linode.Firewall(
            args.nameOf(spec.resourceName),
            {
                label: spec.label,
                inboundPolicy: "DROP",
                outboundPolicy: "ACCEPT",
                inbounds: spec.inbound.map((r) => ({
                    label: r.label,
                    description: r.description,
                    action: "ACCEPT",
                    protocol: r.protocol,
                    ports: r.ports,
                    ...(r.ipv4.length ? { ipv4s: pulumi.all(r.ipv4.map(address)) } : {}),
                    ...(r.ipv6.length ? { ipv6s: pulumi.all(r.ipv6.map(address)) } : {}),
                })),
                linodes: group.nodes.map((n) => nodes.get(n)!.instanceId.apply(Number)),
                tags: group.tags.filter((t) => !t.startsWith("lct:boot-order=")),
            },
            { parent: args.parent },
        );
    }
    return out;
}
