import { memberAddresses, nodesWithRole, setHostVar, emptyOutput } from "./helpers";
import type { Wiring } from "./types";

export const OPENSEARCH_ROLES = { all: "opensearch", manager: "opensearch-manager", data: "opensearch-data" } as const;

/**
 * OpenSearch: manager-eligible nodes are the `opensearch-manager` nodes when there are any,
 * else every `opensearch` node. Node names are the hostnames.
 */
export const opensearchWiring: Wiring = {
    name: "opensearch",
    description: "discovery seed hosts, initial cluster manager nodes, node names and roles",
    roles: Object.values(OPENSEARCH_ROLES),
    wire(inv) {
        const out = emptyOutput();
        const nodes = nodesWithRole(inv, this.roles);
        if (nodes.length === 0) return out;
        const dedicated = nodes.filter((n) => n.role === OPENSEARCH_ROLES.manager);
        const managers = dedicated.length > 0 ? dedicated : nodes.filter((n) => n.role === OPENSEARCH_ROLES.all);
        for (const n of nodes) {
            setHostVar(out, n, "opensearch_node_name", n.hostname);
            const roles =
                n.role === OPENSEARCH_ROLES.manager
                    ? ["cluster_manager"]
                    : n.role === OPENSEARCH_ROLES.data
                      ? ["data", "ingest"]
                      : dedicated.length > 0
                        ? ["data", "ingest"]
                        : ["cluster_manager", "data", "ingest"];
            setHostVar(out, n, "opensearch_node_roles", roles);
        }
        if (managers.length === 0) out.warnings.push("opensearch: no manager-eligible node (opensearch-manager or opensearch)");
        const seeds = memberAddresses(managers, out, "opensearch seed hosts", nodes);
        out.vars = {
            opensearch_cluster_name: inv.cluster,
            opensearch_seed_hosts: seeds.map((s) => s.address),
            opensearch_initial_cluster_manager_nodes: managers.map((m) => m.hostname),
        };
        return out;
    },
};
