import { clusterAddress, peerAddressing } from "../addresses";
import type { ClusterInventory, InventoryGroup, InventoryNode } from "../types";
import type { WiringOutput } from "./types";

export function emptyOutput(): WiringOutput {
    return { vars: {}, hostVars: {}, warnings: [] };
}

/** Groups playing one of the roles, in plan order. */
export function groupsWithRole(inv: ClusterInventory, roles: readonly string[]): InventoryGroup[] {
    return inv.groups.filter((g) => roles.includes(g.role));
}

/** Nodes playing one of the roles, in plan order (group order, then index). */
export function nodesWithRole(inv: ClusterInventory, roles: readonly string[]): InventoryNode[] {
    const order = new Map(inv.groups.map((g, i) => [g.key, i]));
    return inv.nodes
        .filter((n) => roles.includes(n.role))
        .sort((a, b) => (order.get(a.group) ?? 1e9) - (order.get(b.group) ?? 1e9) || a.index - b.index);
}

/**
 * The port of the first service called one of `names` on any of the groups (the first port of
 * its list), else `fallback`. Lets a plan move a port without the wiring guessing.
 */
export function servicePort(groups: readonly InventoryGroup[], names: readonly string[], fallback: number): number {
    for (const name of names) {
        for (const g of groups) {
            const s = g.services.find((x) => x.name === name);
            const first = s ? /\d+/.exec(s.ports) : null;
            if (first) return Number(first[0]);
        }
    }
    return fallback;
}

/** Addresses of a member set (see peerAddressing), warning about members that have none yet. */
export function memberAddresses(
    members: readonly InventoryNode[],
    out: WiringOutput,
    what: string,
    all: readonly InventoryNode[] = members,
): Array<{ node: InventoryNode; address: string }> {
    const addressOf = peerAddressing(all);
    const found: Array<{ node: InventoryNode; address: string }> = [];
    for (const n of members) {
        const address = addressOf(n);
        if (address === undefined) out.warnings.push(`${what}: node ${n.name} has no address yet; it is left out`);
        else found.push({ node: n, address });
    }
    return found;
}

export function setHostVar(out: WiringOutput, node: InventoryNode, key: string, value: unknown): void {
    (out.hostVars[node.name] ??= {})[key] = value;
}

export { clusterAddress };
