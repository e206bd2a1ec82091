/**
 * Inventory queries inside Pulumi programs: on a cluster's `inventory` output, or on another
 * stack's through a StackReference.
 *
 *   const infra = new pulumi.StackReference("acme/lct/prod");
 *   const brokers = queryNodes(inventoryFromStack(infra), "role=kafka-broker and region=us-east");
 *   export const brokerIps = brokers.apply((ns) => ns.map((n) => n.privateIpv4));
 */
import * as pulumi from "@pulumi/pulumi";
import { type NodeSelector, parseQuery } from "./query";
import { selectNodes } from "./select";
import { readInventory } from "./shape";
import type { ClusterInventory, InventoryNode } from "./types";

/**
 * The ClusterInventory another stack exports (as `inventory` unless told otherwise), checked
 * and copied field by field. Fails the program with a clear message when the output is
 * missing or is not an LCT inventory.
 */
export function inventoryFromStack(ref: pulumi.StackReference, outputName = "inventory"): pulumi.Output<ClusterInventory> {
    return pulumi.all([ref.name, ref.getOutput(outputName)]).apply(([stack, value]) => stackInventory(stack, outputName, value));
}

/** Checks and copies a stack output that should be an inventory; throws a clear error otherwise. */
export function stackInventory(stack: string, outputName: string, value: unknown): ClusterInventory {
    if (value === undefined || value === null) {
        throw new Error(`stack ${stack} has no output "${outputName}"; LCT stacks export their inventory as "inventory"`);
    }
    const inv = readInventory(value);
    if (!inv) throw new Error(`output "${outputName}" of stack ${stack} is not an LCT cluster inventory (schemaVersion 1)`);
    return inv;
}

/**
 * Nodes of an inventory (an Output, e.g. `cluster.inventory`, or a plain value) selected by a
 * query string, parsed query or structured filter. A malformed query throws at once, while the
 * program runs, rather than inside an apply.
 */
export function queryNodes(inventory: pulumi.Input<ClusterInventory>, selector: NodeSelector): pulumi.Output<InventoryNode[]> {
    const parsed = typeof selector === "string" && selector.trim() !== "" ? parseQuery(selector) : selector;
    return pulumi.output(inventory).apply((inv) => selectNodes(inv as ClusterInventory, parsed));
}
