/** The selected part of one or more inventories as JSON, rebuilt from known fields only. */
import { type NodeSelector } from "./query";
import { selectInventories } from "./select";
import { readInventory } from "./shape";
import type { ClusterInventory } from "./types";

export interface InventoryJson {
    schemaVersion: 1;
    clusters: ClusterInventory[];
}

export function inventoryJson(inventories: readonly ClusterInventory[], selector?: NodeSelector): InventoryJson {
    // readInventory copies field by field and drops secret-looking template parameters.
    const clusters = selectInventories(inventories, selector).map((inv) => readInventory(inv)!);
    return { schemaVersion: 1, clusters };
}

export function renderInventoryJson(inventories: readonly ClusterInventory[], selector?: NodeSelector): string {
    return JSON.stringify(inventoryJson(inventories, selector), null, 2) + "\n";
}
