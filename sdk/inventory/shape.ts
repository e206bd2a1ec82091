/**
 * Reading an inventory that came from outside (a stack output, a StackReference, a JSON file):
 * checked loosely and copied field by field, so that nothing but the inventory's own
 * non-secret fields survives. Template parameters keep only values that are neither marked
 * nor named like secrets.
 */
import { isSecretValue, stripSecrets } from "./secrets";
import type { ClusterInventory, InventoryGroup, InventoryLoadBalancer, InventoryNode, InventoryVolume } from "./types";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v) && !isSecretValue(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
/** Pulumi's placeholder for a value unknown during an update. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const known = (v: unknown): string | undefined => {
    const s = str(v);
    return s === UNKNOWN_VALUE ? undefined : s;
};

function put<T extends object>(o: T, key: string, v: unknown): void {
    if (v !== undefined) (o as Obj)[key] = v;
}

/** Whether a value looks like LCT's ClusterInventory (schema version 1). */
export function isInventoryLike(v: unknown): v is Obj {
    return isObj(v) && v.schemaVersion === 1 && typeof v.cluster === "string" && Array.isArray(v.nodes);
}

function readVolume(v: unknown): InventoryVolume | undefined {
    if (!isObj(v) || !str(v.name)) return undefined;
    const out: InventoryVolume = {
        name: str(v.name)!,
        label: str(v.label) ?? str(v.name)!,
        sizeGb: num(v.sizeGb) ?? 0,
        mountPath: str(v.mountPath) ?? "",
        filesystem: str(v.filesystem) ?? "",
    };
    put(out, "id", known(v.id) ?? (num(v.id) === undefined ? undefined : String(v.id)));
    return out;
}

export function readNode(v: unknown): InventoryNode | undefined {
    if (!isObj(v) || !str(v.name)) return undefined;
    const name = str(v.name)!;
    const region = str(v.region) ?? "";
    const groupName = str(v.groupName) ?? "";
    const out: InventoryNode = {
        name,
        label: str(v.label) ?? name,
        group: str(v.group) ?? (groupName ? `${region}/${groupName}` : ""),
        groupName,
        role: str(v.role) ?? groupName,
        region,
        index: num(v.index) ?? 0,
        type: str(v.type) ?? "",
        image: str(v.image) ?? "",
        tags: strs(v.tags),
        hostname: str(v.hostname) ?? name.toLowerCase(),
        volumes: Array.isArray(v.volumes) ? v.volumes.map(readVolume).filter((x): x is InventoryVolume => x !== undefined) : [],
    };
    put(out, "id", known(v.id) ?? (num(v.id) === undefined ? undefined : String(v.id)));
    put(out, "fqdn", str(v.fqdn));
    put(out, "publicIpv4", known(v.publicIpv4));
    put(out, "privateIpv4", known(v.privateIpv4));
    put(out, "vpcIpv4", known(v.vpcIpv4));
    put(out, "ipv6", known(v.ipv6));
    return out;
}

function readGroup(v: unknown): InventoryGroup | undefined {
    if (!isObj(v) || !str(v.key)) return undefined;
    return {
        key: str(v.key)!,
        name: str(v.name) ?? str(v.key)!.split("/").pop()!,
        region: str(v.region) ?? "",
        role: str(v.role) ?? str(v.name) ?? "",
        bootOrder: num(v.bootOrder) ?? 0,
        nodes: strs(v.nodes),
        services: Array.isArray(v.services)
            ? v.services.filter(isObj).map((s) => ({ name: str(s.name) ?? "", protocol: str(s.protocol) ?? "tcp", ports: str(s.ports) ?? String(num(s.ports) ?? "") }))
            : [],
    };
}

function readLoadBalancer(v: unknown): InventoryLoadBalancer | undefined {
    if (!isObj(v) || !str(v.name)) return undefined;
    const out: InventoryLoadBalancer = {
        name: str(v.name)!,
        label: str(v.label) ?? str(v.name)!,
        region: str(v.region) ?? "",
        listeners: Array.isArray(v.listeners)
            ? v.listeners.filter(isObj).map((l) => ({
                  port: num(l.port) ?? 0,
                  protocol: str(l.protocol) ?? "tcp",
                  targetGroup: str(l.targetGroup) ?? "",
                  targetPort: num(l.targetPort) ?? 0,
              }))
            : [],
    };
    put(out, "id", known(v.id));
    put(out, "hostname", known(v.hostname));
    put(out, "ipv4", known(v.ipv4));
    put(out, "ipv6", known(v.ipv6));
    return out;
}

/**
 * A clean copy of an inventory from outside, or undefined when the value is not one. Only
 * known fields are copied; secret-marked values are dropped wherever they sit.
 */
export function readInventory(v: unknown): ClusterInventory | undefined {
    if (!isInventoryLike(v)) return undefined;
    const nodes = (v.nodes as unknown[]).map(readNode).filter((x): x is InventoryNode => x !== undefined);
    const groups = Array.isArray(v.groups) ? v.groups.map(readGroup).filter((x): x is InventoryGroup => x !== undefined) : [];
    const out: ClusterInventory = {
        schemaVersion: 1,
        cluster: v.cluster as string,
        adminUser: str(v.adminUser) ?? "ops",
        groups: groups.length > 0 ? groups : groupsFromNodes(nodes),
        nodes,
        loadBalancers: Array.isArray(v.loadBalancers)
            ? v.loadBalancers.map(readLoadBalancer).filter((x): x is InventoryLoadBalancer => x !== undefined)
            : [],
    };
    put(out, "bastion", str(v.bastion));
    if (isObj(v.template) && str(v.template.name)) {
        const t: NonNullable<ClusterInventory["template"]> = { name: str(v.template.name)! };
        put(t, "version", str(v.template.version));
        const params = stripSecrets(v.template.parameters, { names: true });
        if (isObj(params) && Object.keys(params).length > 0) t.parameters = params;
        out.template = t;
    }
    if (isObj(v.dns) && str(v.dns.domain)) out.dns = { domain: str(v.dns.domain)! };
    return out;
}

/** Groups reconstructed from nodes (for inventories that carry none), in first-seen order. */
export function groupsFromNodes(nodes: readonly InventoryNode[]): InventoryGroup[] {
    const byKey = new Map<string, InventoryGroup>();
    for (const n of nodes) {
        const key = n.group || `${n.region}/${n.groupName}`;
        let g = byKey.get(key);
        if (!g) {
            const order = n.tags.find((t) => t.startsWith("lct:boot-order="));
            const bootOrder = order === undefined ? 0 : Number(order.slice("lct:boot-order=".length));
            g = { key, name: n.groupName, region: n.region, role: n.role, bootOrder: Number.isFinite(bootOrder) ? bootOrder : 0, nodes: [], services: [] };
            byKey.set(key, g);
        }
        g.nodes.push(n.name);
    }
    return [...byKey.values()];
}
