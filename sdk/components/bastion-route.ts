import * as pulumi from "@pulumi/pulumi";
import { indexPlan, memberAddress } from "../network/member-addresses";
import type { ResolvedPlan } from "../plan/resolved";
import type { SecureNode } from "./secure-node";

/** How the operator's SSH reaches a node that admits SSH only from the bastion. */
export interface BastionRoute {
    /** The node's address as the bastion sees it (VPC, private or public IPv4). */
    host: pulumi.Output<string>;
    /** The bastion's public IPv4. */
    bastion: pulumi.Output<string>;
}

/**
 * A lookup of bastion routes: undefined for nodes reached directly (no bastion in the plan, or
 * the bastion group itself). Member sync and readiness checks go the same way.
 */
export function bastionRoutes(plan: ResolvedPlan, nodes: ReadonlyMap<string, SecureNode>): (nodeName: string) => BastionRoute | undefined {
    const index = indexPlan(plan);
    const bastionGroup = plan.bastion ? index.group(plan.bastion) : undefined;
    const bastionNode = bastionGroup ? nodes.get(bastionGroup.nodes[0]!) : undefined;
    return (nodeName) => {
        if (!bastionGroup || !bastionNode) return undefined;
        const member = index.node(nodeName);
        const node = nodes.get(nodeName);
        if (!member || !node || member.group === bastionGroup.key) return undefined;
        const seen = memberAddress(member, bastionGroup, index.region);
        const host =
            seen.kind === "vpc"
                ? pulumi.output(seen.address)
                : seen.kind === "private"
                  ? node.privateIpv4.apply((ip) => ip ?? "")
                  : node.publicIpv4;
        return { host, bastion: bastionNode.publicIpv4 };
    };
}
