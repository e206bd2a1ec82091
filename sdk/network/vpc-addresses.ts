import { numberToIpv4, parseCidr } from "./cidr";

/**
 * Deterministic VPC addresses. A region's subnet is split into /24 blocks; each group owns a
 * run of blocks starting at its `addressBlock` (derived from the group name unless the plan
 * pins it), and node i gets a fixed host number in that run. So an address depends only on the
 * subnet, the group and the index: growing a group or adding another never moves a node.
 */

/** Hosts .1–.9 of each block stay free (gateway, floating IPs for keepalived and the like). */
export const FIRST_HOST = 10;
export const HOSTS_PER_BLOCK = 245; // .10 – .254

export function defaultVpcSubnet(vpcIndex: number): string {
    return `10.${vpcIndex}.0.0/16`;
}

/** FNV-1a: a tiny stable hash, so a group's default block never changes between versions. */
export function fnv1a(text: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        h ^= text.charCodeAt(i);
        h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
}

/** How many /24 blocks the subnet holds (0 when its prefix is longer than /24). */
export function blocksInSubnet(subnet: string): number {
    const n = parseCidr(subnet);
    if (!n || n.version !== 4 || n.prefix > 24) return 0;
    return 2 ** (24 - n.prefix);
}

/** The group's first block: pinned, or derived from its name (block 0 is never chosen by default). */
export function groupFirstBlock(groupName: string, subnet: string, pinned?: number): number {
    if (pinned !== undefined) return pinned;
    const blocks = blocksInSubnet(subnet);
    if (blocks <= 1) return 0;
    return 1 + (fnv1a(groupName) % (blocks - 1));
}

export function blocksNeeded(count: number): number {
    return Math.max(1, Math.ceil(count / HOSTS_PER_BLOCK));
}

/** The VPC address of node `index` (1-based) of a group whose run starts at `firstBlock`. */
export function nodeVpcAddress(subnet: string, firstBlock: number, index: number): string {
    const offset = index - 1;
    const block = firstBlock + Math.floor(offset / HOSTS_PER_BLOCK);
    const host = FIRST_HOST + (offset % HOSTS_PER_BLOCK);
    // Numbers, not BigInt, and the subnet parsed once: normalize calls this for every VPC node.
    return numberToIpv4(subnetBase(subnet) + block * 256 + host);
}

let lastSubnet: { text: string; base: number } | undefined;
function subnetBase(subnet: string): number {
    if (lastSubnet?.text !== subnet) lastSubnet = { text: subnet, base: Number(parseCidr(subnet)!.base) };
    return lastSubnet.base;
}
