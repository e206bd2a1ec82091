import type { Registration } from "./mock-runtime";
import { resourceSummary, shortType } from "./resource-summary";
import { renderTree, TreeNode } from "../cli/render/tree";

export interface ResourceNode {
    type: string;
    name: string;
    summary: string;
    children: ResourceNode[];
}

/** The registrations as a parent/child tree, in registration order within each parent. */
export function resourceTree(resources: readonly Registration[]): ResourceNode[] {
    const byUrn = new Map<string, ResourceNode>();
    const roots: ResourceNode[] = [];
    for (const r of resources) {
        if (r.urn) byUrn.set(r.urn, { type: r.type, name: r.name, summary: resourceSummary(r), children: [] });
    }
    for (const r of resources) {
        const node = r.urn ? byUrn.get(r.urn) : undefined;
        if (!node) continue;
        const parent = byUrn.get(r.parent);
        (parent ? parent.children : roots).push(node);
    }
    const order = (nodes: ResourceNode[]) => {
        // Components first (outermost kinds first), then resources by type, each in name order.
        nodes.sort((a, b) => rank(a.type) - rank(b.type) || a.type.localeCompare(b.type) || naturalCompare(a.name, b.name));
        nodes.forEach((n) => order(n.children));
    };
    order(roots);
    return roots;
}

const COMPONENT_ORDER = ["lct:index:Region", "lct:index:NodeGroup", "lct:index:StorageTier", "lct:index:SecureNode"];

function rank(type: string): number {
    const i = COMPONENT_ORDER.indexOf(type);
    return i >= 0 ? i : type.startsWith("lct:") ? COMPONENT_ORDER.length : COMPONENT_ORDER.length + 1;
}

function naturalCompare(a: string, b: string): number {
    return a.localeCompare(b, "en", { numeric: true });
}

/**
 * Text tree. Runs of more than `maxRun` (at least 4) siblings of one type show the first two,
 * the last and a count in between, so a 5,000-node group stays a few lines.
 */
export function renderResourceTree(roots: readonly ResourceNode[], opts: { maxRun: number }): string {
    const toTree = (n: ResourceNode): TreeNode => ({
        label: `${shortType(n.type)} ${n.name}${n.summary ? `  ${n.summary}` : ""}`,
        children: collapse(n.children).map((c) => ("more" in c ? { label: c.more } : toTree(c))),
    });
    const collapse = (nodes: ResourceNode[]): Array<ResourceNode | { more: string }> => {
        const out: Array<ResourceNode | { more: string }> = [];
        let i = 0;
        while (i < nodes.length) {
            let j = i;
            while (j + 1 < nodes.length && nodes[j + 1]!.type === nodes[i]!.type) j++;
            const run = nodes.slice(i, j + 1);
            if (run.length > opts.maxRun) {
                const hidden = run.slice(2, -1);
                out.push(run[0]!, run[1]!, { more: `… ${hidden.length} more ${shortType(run[0]!.type)} (${hidden[0]!.name} … ${hidden[hidden.length - 1]!.name})` }, run[run.length - 1]!);
            } else out.push(...run);
            i = j + 1;
        }
        return out;
    };
    return roots.map((r) => renderTree(toTree(r))).join("\n");
}

/** Resource counts by short type name, largest first. */
export function countByType(resources: readonly Registration[]): Array<[string, number]> {
    const counts = new Map<string, number>();
    for (const r of resources) counts.set(shortType(r.type), (counts.get(shortType(r.type)) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
