/**
 * The ResolvedPlan: the contract between the plan and everything downstream.
 *
 * `normalize()` produces it from a valid ClusterPlan. It is pure data (JSON-serialisable):
 * every node, volume, label, tag, port and member set is decided here, so components,
 * hardening, cost, preview and inventory never re-derive names or rules.
 */

export type Protocol = "tcp" | "udp";
export type HardeningProfile = "baseline" | "strict" | "none";
export type ConfigMethod = "cloud-init" | "stackscript";
export type PrivateNetworkMode = "vpc" | "private-ip";
export type DeletionPolicy = "protect" | "retain" | "delete";
export type Filesystem = "ext4" | "xfs";

/** An inclusive port range; a single port has `from === to`. */
export interface PortRange {
    from: number;
    to: number;
}

/** A set of ports on one protocol. */
export interface PortSet {
    protocol: Protocol;
    ports: PortRange[];
}

/**
 * Who may connect. `groups` are group keys (`<region>/<group>`) whose members are allowed;
 * `cidrs` are literal IPv4/IPv6 networks; `world` means everyone (0.0.0.0/0 and ::/0).
 */
export interface SourceSet {
    groups: string[];
    cidrs: string[];
    world: boolean;
}

export type AccessPurpose = "ssh" | "service" | "public" | "load-balancer" | "extra";

/** One "who may reach which ports on which group" fact; firewalls are computed from these. */
export interface AccessRule {
    /** Target group key. */
    group: string;
    purpose: AccessPurpose;
    /** Service name for `service` rules, listener name for `load-balancer` rules. */
    name: string;
    protocol: Protocol;
    ports: PortRange[];
    sources: SourceSet;
}

export interface ResolvedService {
    name: string;
    protocol: Protocol;
    ports: PortRange[];
    /** Whether clients outside the cluster (public ports) also use it; informational. */
    clientFacing: boolean;
    from: SourceSet;
}

export interface ResolvedHardening {
    profile: HardeningProfile;
    /** IP forwarding allowed (container/overlay roles). */
    forwarding: boolean;
    egress: { mode: "open" | "restricted"; allow: PortSet[] };
    /** Extra host-firewall openings, reachable from cluster members only. */
    extraPorts: PortSet[];
}

export interface ResolvedStorage {
    name: string;
    sizeGb: number;
    mountPath: string;
    filesystem: Filesystem;
    deletionPolicy: DeletionPolicy;
}

export interface ResolvedGroup {
    /** `<region>/<name>`: unique in the cluster. */
    key: string;
    name: string;
    region: string;
    role: string;
    /** Pulumi logical-name prefix of the group component: `<cluster>-<region>-<name>`. */
    resourceName: string;
    type: string;
    image: string;
    count: number;
    bootOrder: number;
    antiAffinity: boolean;
    /** Placement groups when `antiAffinity` is set (each holds at most the region's per-group maximum). */
    placementGroups?: Array<{ label: string; nodes: string[] }>;
    configMethod: ConfigMethod;
    hardening: ResolvedHardening;
    /** Needs a private IPv4 (private-ip networking, or a NodeBalancer targets it). */
    privateIp: boolean;
    /** Every tag applied to the group's resources (LCT tags first, then plan and group tags). */
    tags: string[];
    services: ResolvedService[];
    publicPorts: PortSet[];
    storage: ResolvedStorage[];
    /** Node names, in index order. */
    nodes: string[];
    /** Plan path of the group, for messages: `regions[0].nodeGroups[1]`. */
    path: string;
}

export interface ResolvedNode {
    /** Stable identity: Pulumi logical-name prefix and Linode label. */
    name: string;
    label: string;
    /** OS hostname (same as the label, lower-case). */
    hostname: string;
    /** Record name relative to the domain, and the full name, when the plan has DNS. */
    dnsName?: string;
    fqdn?: string;
    group: string;
    groupName: string;
    region: string;
    role: string;
    /** 1-based, stable: growing a group appends indices. */
    index: number;
    type: string;
    image: string;
    tags: string[];
    /** Deterministic VPC address (no prefix) when the region uses a VPC. */
    vpcIp?: string;
    privateIp: boolean;
    /** Volume names, in storage order. */
    volumes: string[];
}

export interface ResolvedVolume {
    name: string;
    /** Linode volume label: 1–32 characters, no periods. */
    label: string;
    node: string;
    group: string;
    region: string;
    storageName: string;
    sizeGb: number;
    mountPath: string;
    filesystem: Filesystem;
    deletionPolicy: DeletionPolicy;
    tags: string[];
}

export interface ResolvedHealthCheck {
    type: "none" | "connection" | "http" | "http_body";
    path?: string;
    body?: string;
    intervalSec: number;
    timeoutSec: number;
    attempts: number;
    passive: boolean;
}

export interface ResolvedListener {
    port: number;
    protocol: "http" | "https" | "tcp";
    algorithm: "roundrobin" | "leastconn" | "source";
    stickiness: "none" | "table" | "http_cookie";
    check: ResolvedHealthCheck;
    /** Target group key and the port the nodes listen on. */
    target: { group: string; port: number };
    /** Target node names. */
    nodes: string[];
}

export interface ResolvedLoadBalancer {
    name: string;
    /** Pulumi logical-name prefix: `<cluster>-lb-<name>`. */
    resourceName: string;
    label: string;
    region: string;
    clientConnThrottle: number;
    tags: string[];
    listeners: ResolvedListener[];
}

export interface ResolvedRegion {
    id: string;
    label: string;
    privateNetwork: PrivateNetworkMode;
    /** Pulumi logical-name prefix of the region component: `<cluster>-<region>`. */
    resourceName: string;
    vpc?: { label: string; subnetLabel: string; subnet: string };
    tags: string[];
    /** Group keys in plan order. */
    groups: string[];
}

export interface ResolvedDnsRecord {
    node: string;
    /** Name relative to the domain. */
    name: string;
    type: "A";
}

export interface ResolvedDns {
    domain: string;
    /** Existing Linode domain id; when absent LCT creates the domain. */
    domainId?: number;
    soaEmail?: string;
    ttlSec: number;
    records: ResolvedDnsRecord[];
}

export interface ResolvedFirewallPlan {
    /** Firewall label and the groups that share it (identical rule sets share). */
    label: string;
    resourceName: string;
    groups: string[];
}

export interface ResolvedPlan {
    schemaVersion: 1;
    name: string;
    description?: string;
    /** The plan's own tags, validated. */
    planTags: string[];
    /** `lct:cluster=<name>`. */
    clusterTag: string;
    admin: {
        user: string;
        sshKeys: string[];
        /** No key was given: the component generates a per-cluster key pair. */
        generateKey: boolean;
        cidrs: { ipv4: string[]; ipv6: string[] };
    };
    regions: ResolvedRegion[];
    groups: ResolvedGroup[];
    nodes: ResolvedNode[];
    volumes: ResolvedVolume[];
    loadBalancers: ResolvedLoadBalancer[];
    access: AccessRule[];
    firewalls: ResolvedFirewallPlan[];
    dns?: ResolvedDns;
    /** Group key of the SSH bastion, when the plan names one. */
    bastion?: string;
    catalog: { source: string; date: string };
    /** The bundled template the plan came from, when it did. */
    template?: { name: string; version?: string; parameters?: Record<string, unknown> };
}
