/**
 * How an operator reaches a node over SSH. Without a bastion: its public IPv4. With one
 * (`bastion` in the plan, a group key): the bastion's first node on its public IPv4, and every
 * other node through it (ProxyJump) on the address the bastion reaches it by — VPC or private
 * within the bastion's region, public across regions (the nodes' firewalls accept SSH only
 * from the bastion group).
 */
import { addressFrom, clusterAddress } from "./addresses";
import type { ClusterInventory, InventoryNode } from "./types";

export interface SshRoute {
    /** The address to connect to (from the jump host, when there is one). */
    address?: string;
    /** The bastion node to jump through. */
    jump?: InventoryNode;
}

/** The bastion node of a cluster: the lowest-index node of the bastion group. */
export function bastionNode(inv: ClusterInventory): InventoryNode | undefined {
    if (!inv.bastion) return undefined;
    let best: InventoryNode | undefined;
    for (const n of inv.nodes) if (n.group === inv.bastion && (best === undefined || n.index < best.index)) best = n;
    return best;
}

export function sshRoute(inv: ClusterInventory, node: InventoryNode, bastion = bastionNode(inv)): SshRoute {
    if (bastion && node.group !== inv.bastion && bastion.publicIpv4) {
        const address = addressFrom(node, bastion.region);
        return address === undefined ? { jump: bastion } : { address, jump: bastion };
    }
    const address = node.publicIpv4 ?? clusterAddress(node);
    return address === undefined ? {} : { address };
}
