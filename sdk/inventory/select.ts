/** Selecting nodes from one or several cluster inventories with a query or a filter. Pure. */
import { type NodeSelector, selectorPredicate } from "./query";
import type { ClusterInventory, InventoryNode } from "./types";

/** The nodes of an inventory (or several) that a query, parsed query or filter selects. */
export function selectNodes(inventories: ClusterInventory | readonly ClusterInventory[], selector?: NodeSelector): InventoryNode[] {
    const list: readonly ClusterInventory[] = Array.isArray(inventories) ? inventories : [inventories as ClusterInventory];
    const p = selectorPredicate(selector);
    return list.flatMap((inv) => inv.nodes.filter((n) => p(n, inv.cluster)));
}

/**
 * The inventories cut down to the selected nodes: groups keep only selected members (empty
 * groups go), clusters without a selected node go. Load balancers stay with their cluster.
 */
export function selectInventories(inventories: readonly ClusterInventory[], selector?: NodeSelector): ClusterInventory[] {
    const p = selectorPredicate(selector);
    const out: ClusterInventory[] = [];
    for (const inv of inventories) {
        const nodes = inv.nodes.filter((n) => p(n, inv.cluster));
        if (nodes.length === 0) continue;
        const names = new Set(nodes.map((n) => n.name));
        const groups = inv.groups
            .map((g) => ({ ...g, nodes: g.nodes.filter((n) => names.has(n)) }))
            .filter((g) => g.nodes.length > 0);
        out.push({ ...inv, nodes, groups });
    }
    return out;
}
