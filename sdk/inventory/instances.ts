/**
 * Inventory nodes from what Linode (or Pulumi state) knows about an instance: label, region,
 * type, tags and addresses. LCT's tags carry the rest (cluster, region, group, role, boot
 * order), so a live or state-only node still groups and queries like a planned one.
 */
import { readLctTag } from "../naming/tags";
import { groupsFromNodes } from "./shape";
import type { ClusterInventory, InventoryNode, InventoryVolume } from "./types";

export interface InstanceFacts {
    id?: string;
    label: string;
    region: string;
    type?: string;
    image?: string;
    tags: string[];
    publicIpv4?: string;
    privateIpv4?: string;
    vpcIpv4?: string;
    ipv6?: string;
}

export interface VolumeFacts {
    id?: string;
    label: string;
    sizeGb: number;
    /** The instance it is attached to. */
    linodeId?: string;
}

/** RFC 1918 (Linode private IPv4 is 192.168.128.0/17) and shared/CGNAT space. */
export function isPrivateIpv4(ip: string): boolean {
    const [a, b] = ip.split(".").map(Number) as [number, number];
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
}

/** The public and private IPv4 of an API `ipv4` list. */
export function splitIpv4(list: readonly string[]): { publicIpv4?: string; privateIpv4?: string } {
    const pub = list.find((ip) => !isPrivateIpv4(ip));
    const priv = list.find((ip) => isPrivateIpv4(ip));
    return { ...(pub ? { publicIpv4: pub } : {}), ...(priv ? { privateIpv4: priv } : {}) };
}

/** The index at the end of an LCT label (`shop-us-ord-web-3` → 3), else 0. */
export function labelIndex(label: string): number {
    const m = /-(\d+)$/.exec(label);
    return m ? Number(m[1]) : 0;
}

function observed(f: InstanceFacts): Partial<InventoryNode> {
    const o: Partial<InventoryNode> = {};
    if (f.id !== undefined) o.id = f.id;
    if (f.publicIpv4 !== undefined) o.publicIpv4 = f.publicIpv4;
    if (f.privateIpv4 !== undefined) o.privateIpv4 = f.privateIpv4;
    if (f.vpcIpv4 !== undefined) o.vpcIpv4 = f.vpcIpv4;
    if (f.ipv6 !== undefined) o.ipv6 = f.ipv6;
    return o;
}

/** A node described by an instance alone (its LCT tags give cluster, group and role). */
export function nodeFromInstance(f: InstanceFacts): InventoryNode {
    const region = readLctTag(f.tags, "region") ?? f.region;
    const groupName = readLctTag(f.tags, "group") ?? "";
    return {
        name: f.label,
        label: f.label,
        group: groupName ? `${region}/${groupName}` : "",
        groupName,
        role: readLctTag(f.tags, "role") ?? groupName,
        region,
        index: labelIndex(f.label),
        type: f.type ?? "",
        image: f.image ?? "",
        tags: [...f.tags],
        hostname: f.label.toLowerCase(),
        volumes: [],
        ...observed(f),
    };
}

/** A planned node updated with what the instance reports now (ids, addresses, tags, type). */
export function overlayInstance(n: InventoryNode, f: InstanceFacts): InventoryNode {
    return {
        ...n,
        ...observed(f),
        ...(f.type ? { type: f.type } : {}),
        ...(f.image ? { image: f.image } : {}),
        ...(f.tags.length > 0 ? { tags: [...f.tags] } : {}),
    };
}

export interface AssembleOptions {
    /** Cluster name for instances without an `lct:cluster` tag. */
    fallbackCluster: string;
    /** Admin user of clusters known only from instances. */
    defaultUser?: string;
}

/**
 * Inventories from planned inventories (may be none) and instance facts: planned nodes are
 * updated from their instance (matched by id, then label); other instances become nodes of
 * the cluster their tag names (created when needed). Volumes attach to instance-only nodes.
 */
export function assembleInventories(
    base: readonly ClusterInventory[],
    instances: readonly InstanceFacts[],
    volumes: readonly VolumeFacts[],
    opts: AssembleOptions,
): ClusterInventory[] {
    const invs = base.map((inv) => ({ ...inv, nodes: [...inv.nodes], groups: inv.groups.map((g) => ({ ...g, nodes: [...g.nodes] })) }));
    const byId = new Map<string, { inv: number; node: number }>();
    const byLabel = new Map<string, { inv: number; node: number }>();
    invs.forEach((inv, i) =>
        inv.nodes.forEach((n, j) => {
            if (n.id !== undefined) byId.set(n.id, { inv: i, node: j });
            byLabel.set(n.label, { inv: i, node: j });
        }),
    );
    const byCluster = new Map(invs.map((inv, i) => [inv.cluster, i]));
    const added = new Map<number, InventoryNode[]>();
    const volumesOf = new Map<string, InventoryVolume[]>();
    for (const v of volumes) {
        if (v.linodeId === undefined) continue;
        const list = volumesOf.get(v.linodeId) ?? [];
        list.push({ name: v.label, label: v.label, sizeGb: v.sizeGb, mountPath: "", filesystem: "", ...(v.id ? { id: v.id } : {}) });
        volumesOf.set(v.linodeId, list);
    }
    for (const f of instances) {
        const hit = (f.id !== undefined ? byId.get(f.id) : undefined) ?? byLabel.get(f.label);
        if (hit) {
            const inv = invs[hit.inv]!;
            inv.nodes[hit.node] = overlayInstance(inv.nodes[hit.node]!, f);
            continue;
        }
        const node = nodeFromInstance(f);
        if (f.id !== undefined) node.volumes = volumesOf.get(f.id) ?? [];
        const cluster = readLctTag(f.tags, "cluster") ?? opts.fallbackCluster;
        let i = byCluster.get(cluster);
        if (i === undefined) {
            i = invs.length;
            invs.push({ schemaVersion: 1, cluster, adminUser: opts.defaultUser ?? "ops", groups: [], nodes: [], loadBalancers: [] });
            byCluster.set(cluster, i);
        }
        invs[i]!.nodes.push(node);
        added.set(i, [...(added.get(i) ?? []), node]);
    }
    for (const [i, nodes] of added) {
        const inv = invs[i]!;
        const planned = i < base.length;
        for (const g of groupsFromNodes(nodes)) {
            const existing = inv.groups.find((x) => x.key === g.key);
            if (existing) existing.nodes.push(...g.nodes);
            else inv.groups.push(g);
        }
        // Clusters known only from instances come in API order; give them plan-like order:
        // groups by boot order, then key; nodes by group, then index.
        if (!planned) {
            inv.groups.sort((a, b) => a.bootOrder - b.bootOrder || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
            const rank = new Map(inv.groups.map((g, k) => [g.key, k]));
            inv.nodes.sort((a, b) => (rank.get(a.group) ?? 0) - (rank.get(b.group) ?? 0) || a.index - b.index || (a.label < b.label ? -1 : 1));
            for (const g of inv.groups) g.nodes = inv.nodes.filter((n) => n.group === g.key).map((n) => n.name);
        }
    }
    return invs;
}
