/**
 * The cluster inventory: LCT's structured stack output, and the input of every query and
 * export (Ansible, SSH config, hosts, bundles). Plain JSON; never holds a secret.
 */
export interface InventoryVolume {
    name: string;
    label: string;
    sizeGb: number;
    mountPath: string;
    filesystem: string;
    /** Linode volume id, once created. */
    id?: string;
}

export interface InventoryNode {
    name: string;
    label: string;
    /** Linode id, once created. */
    id?: string;
    /** Group key `<region>/<group>`. */
    group: string;
    groupName: string;
    role: string;
    region: string;
    index: number;
    type: string;
    image: string;
    tags: string[];
    hostname: string;
    fqdn?: string;
    publicIpv4?: string;
    privateIpv4?: string;
    vpcIpv4?: string;
    ipv6?: string;
    volumes: InventoryVolume[];
}

export interface InventoryService {
    name: string;
    protocol: string;
    /** "9092" or "8000-8010, 9000". */
    ports: string;
}

export interface InventoryGroup {
    key: string;
    name: string;
    region: string;
    role: string;
    bootOrder: number;
    nodes: string[];
    services: InventoryService[];
}

export interface InventoryLoadBalancer {
    name: string;
    label: string;
    region: string;
    id?: string;
    hostname?: string;
    ipv4?: string;
    ipv6?: string;
    listeners: Array<{ port: number; protocol: string; targetGroup: string; targetPort: number }>;
}

export interface ClusterInventory {
    schemaVersion: 1;
    cluster: string;
    adminUser: string;
    /** Group key of the SSH bastion. */
    bastion?: string;
    template?: { name: string; version?: string; parameters?: Record<string, unknown> };
    groups: InventoryGroup[];
    nodes: InventoryNode[];
    loadBalancers: InventoryLoadBalancer[];
    dns?: { domain: string };
}

/** What Linode tells us after creation, per node / volume / NodeBalancer. */
export interface ObservedNode {
    id?: string;
    publicIpv4?: string;
    privateIpv4?: string;
    ipv6?: string;
}
export interface ObservedLoadBalancer {
    id?: string;
    hostname?: string;
    ipv4?: string;
    ipv6?: string;
}
export interface Observed {
    nodes: Record<string, ObservedNode>;
    volumes: Record<string, { id?: string }>;
    loadBalancers: Record<string, ObservedLoadBalancer>;
}
