/**
 * Which address of a node to use where. In-cluster traffic prefers the VPC address, then the
 * private IPv4, then the public one; across regions only public addresses route (VPCs and
 * private IPv4 are regional).
 */
import type { InventoryNode } from "./types";

/** The node's in-region address: VPC, then private IPv4, then public IPv4. */
export function clusterAddress(n: InventoryNode): string | undefined {
    return n.vpcIpv4 ?? n.privateIpv4 ?? n.publicIpv4;
}

/** The node's private address: private IPv4, else its VPC address. */
export function privateAddress(n: InventoryNode): string | undefined {
    return n.privateIpv4 ?? n.vpcIpv4;
}

/** The address a peer in `fromRegion` reaches the node on. */
export function addressFrom(n: InventoryNode, fromRegion: string): string | undefined {
    return n.region === fromRegion ? clusterAddress(n) : (n.publicIpv4 ?? clusterAddress(n));
}

/**
 * The address to write into member lists shared by every node of a set (quorum voters, seed
 * lists): the in-region address when the set sits in one region, else the public one.
 */
export function peerAddressing(nodes: readonly InventoryNode[]): (n: InventoryNode) => string | undefined {
    const regions = new Set(nodes.map((n) => n.region));
    return regions.size <= 1 ? clusterAddress : (n) => n.publicIpv4 ?? clusterAddress(n);
}

/** An IPv6 address without its `/128` prefix length. */
export function bareIpv6(ipv6: string | undefined): string | undefined {
    if (ipv6 === undefined || ipv6 === "") return undefined;
    const slash = ipv6.indexOf("/");
    return slash < 0 ? ipv6 : ipv6.slice(0, slash);
}
