/**
 * Finds a live cluster from its tags alone: every node carries `lct:cluster=<name>`, and its
 * region, group and boot order as LCT tags. Used by `lct cluster status|start|stop`.
 */
import type { LinodeClient, RequestOptions } from "../linode-api/client";
import { listInstancesByTag } from "../linode-api/instances";
import type { LinodeInstance } from "../linode-api/types";
import { lctTag, readLctTag } from "../naming/tags";
import type { PowerGroup } from "./power-plan";

export interface ClusterGroup extends PowerGroup {
    region: string;
    group: string;
    nodes: LinodeInstance[];
}

export interface DiscoveredCluster {
    cluster: string;
    groups: ClusterGroup[];
    /** Tagging problems worth telling the user about (the nodes are still handled). */
    warnings: string[];
}

/** Groups nodes by `<region>/<group>`; boot order from the tag (lowest wins on disagreement). */
export function groupClusterNodes(cluster: string, instances: readonly LinodeInstance[]): DiscoveredCluster {
    const warnings: string[] = [];
    const byKey: Record<string, ClusterGroup> = {};
    const unordered: ClusterGroup[] = [];
    for (const inst of instances) {
        const region = readLctTag(inst.tags, "region") ?? inst.region;
        const group = readLctTag(inst.tags, "group") ?? "(no group)";
        const key = `${region}/${group}`;
        const rawOrder = readLctTag(inst.tags, "boot-order");
        const order = rawOrder !== undefined && /^\d+$/.test(rawOrder) ? Number(rawOrder) : undefined;
        if (rawOrder !== undefined && order === undefined) warnings.push(`Linode ${inst.id} (${inst.label}) has an unreadable boot order "${rawOrder}"`);
        let g = byKey[key];
        if (!g) {
            g = byKey[key] = { name: key, region, group, bootOrder: order ?? -1, linodeIds: [], nodes: [] };
        } else if (order !== undefined && g.bootOrder !== -1 && order !== g.bootOrder) {
            warnings.push(`group ${key} has nodes with boot orders ${g.bootOrder} and ${order}; using ${Math.min(order, g.bootOrder)}`);
            g.bootOrder = Math.min(order, g.bootOrder);
        } else if (order !== undefined && g.bootOrder === -1) {
            g.bootOrder = order;
        }
        g.linodeIds.push(inst.id);
        g.nodes.push(inst);
    }
    const groups = Object.values(byKey);
    // Nodes without a boot order start after every ordered group: their dependencies are unknown.
    const maxOrder = Math.max(-1, ...groups.map((g) => g.bootOrder));
    for (const g of groups) {
        if (g.bootOrder === -1) {
            g.bootOrder = maxOrder + 1;
            unordered.push(g);
        }
    }
    for (const g of unordered) warnings.push(`group ${g.name} has no ${lctTag("boot-order", "<n>")} tag; it starts last (order ${g.bootOrder})`);
    groups.sort((a, b) => a.bootOrder - b.bootOrder || a.name.localeCompare(b.name));
    for (const g of groups) g.nodes.sort((a, b) => a.label.localeCompare(b.label));
    return { cluster, groups, warnings };
}

export async function discoverCluster(client: LinodeClient, cluster: string, opts: RequestOptions = {}): Promise<DiscoveredCluster> {
    const instances = await listInstancesByTag(client, lctTag("cluster", cluster), opts);
    return groupClusterNodes(cluster, instances);
}
