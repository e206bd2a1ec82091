import { groupsWithRole, memberAddresses, nodesWithRole, servicePort, emptyOutput } from "./helpers";
import type { Wiring } from "./types";

/** Redis Cluster: every node's host:port, and one replica per primary once there are 6 nodes. */
export const redisWiring: Wiring = {
    name: "redis",
    description: "redis_cluster_nodes (host:port list), replicas per primary",
    roles: ["redis"],
    wire(inv) {
        const out = emptyOutput();
        const nodes = nodesWithRole(inv, this.roles);
        if (nodes.length === 0) return out;
        const port = servicePort(groupsWithRole(inv, this.roles), ["redis"], 6379);
        const members = memberAddresses(nodes, out, "redis cluster");
        if (nodes.length < 3) out.warnings.push(`redis: ${nodes.length} nodes; Redis Cluster needs at least 3 primaries`);
        out.vars = {
            redis_port: port,
            redis_cluster_nodes: members.map((m) => `${m.address}:${port}`),
            redis_cluster_replicas: nodes.length >= 6 ? 1 : 0,
        };
        return out;
    },
};
