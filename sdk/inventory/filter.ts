import type { InventoryNode } from "./types";

/** A structured node filter: every field given must match (tags: the node has all of them). */
export interface NodeFilter {
    tag?: string | string[];
    role?: string;
    group?: string;
    region?: string;
    label?: string;
    type?: string;
}

/** Group matches by key (`us-ord/web`) or by name (`web`, in any region). */
export function matchesFilter(node: InventoryNode, f: NodeFilter): boolean {
    const tags = f.tag === undefined ? [] : Array.isArray(f.tag) ? f.tag : [f.tag];
    return (
        tags.every((t) => node.tags.includes(t)) &&
        (f.role === undefined || node.role === f.role) &&
        (f.group === undefined || node.group === f.group || node.groupName === f.group) &&
        (f.region === undefined || node.region === f.region) &&
        (f.label === undefined || node.label === f.label) &&
        (f.type === undefined || node.type === f.type)
    );
}
