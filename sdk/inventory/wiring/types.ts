import type { ClusterInventory } from "../types";

/** Variables a wiring adds: for the whole cluster (Ansible group vars) and per node (host vars). */
export interface WiringOutput {
    /** Group vars of the cluster's Ansible group (`cluster_<name>`). */
    vars: Record<string, unknown>;
    /** Host vars by inventory node name. */
    hostVars: Record<string, Record<string, unknown>>;
    /** Things the user should know (a quorum without voters, a node without an address). */
    warnings: string[];
}

/**
 * How one stack's members find each other (Kafka quorum voters, ZooKeeper ids, seeds …),
 * computed from the whole cluster's inventory. Pure; never emits secrets.
 */
export interface Wiring {
    /** Registry key; also matched against the plan's `template.name`. */
    name: string;
    description: string;
    /** Node roles this wiring reads (as in the plan's `role`, defaulting to the group name). */
    roles: readonly string[];
    wire(inventory: ClusterInventory): WiringOutput;
}
