import { clusterAddress, peerAddressing } from "../addresses";
import type { InventoryNode } from "../types";
import { memberAddresses, nodesWithRole, setHostVar, emptyOutput } from "./helpers";
import type { Wiring } from "./types";

/** Seeds per datacenter (region). */
export const CASSANDRA_SEEDS_PER_DC = 3;

/**
 * Cassandra: datacenter = region, rack = group. Seeds per region: the `cassandra-seed` nodes
 * when there are any, else the first node of each rack, then the second … — up to 3 per region.
 */
export const cassandraWiring: Wiring = {
    name: "cassandra",
    description: "seeds (first node per region/rack, up to 3 per region), dc/rack, listen and broadcast addresses",
    roles: ["cassandra", "cassandra-seed"],
    wire(inv) {
        const out = emptyOutput();
        const nodes = nodesWithRole(inv, this.roles);
        if (nodes.length === 0) return out;
        const broadcast = peerAddressing(nodes);
        const seeds: InventoryNode[] = [];
        const regions = [...new Set(nodes.map((n) => n.region))];
        for (const region of regions) {
            const inRegion = nodes.filter((n) => n.region === region);
            const explicit = inRegion.filter((n) => n.role === "cassandra-seed");
            if (explicit.length > 0) {
                seeds.push(...explicit.slice(0, CASSANDRA_SEEDS_PER_DC));
                continue;
            }
            const racks = [...new Set(inRegion.map((n) => n.group))].map((g) => inRegion.filter((n) => n.group === g));
            const picked: InventoryNode[] = [];
            for (let round = 0; picked.length < CASSANDRA_SEEDS_PER_DC && racks.some((r) => r.length > round); round++) {
                for (const rack of racks) {
                    const n = rack[round];
                    if (n && picked.length < CASSANDRA_SEEDS_PER_DC) picked.push(n);
                }
            }
            seeds.push(...picked);
        }
        for (const n of nodes) {
            setHostVar(out, n, "cassandra_dc", n.region);
            setHostVar(out, n, "cassandra_rack", n.groupName);
            const listen = clusterAddress(n);
            if (listen) setHostVar(out, n, "cassandra_listen_address", listen);
            const b = broadcast(n);
            if (b) setHostVar(out, n, "cassandra_broadcast_address", b);
        }
        out.vars = {
            cassandra_cluster_name: inv.cluster,
            cassandra_endpoint_snitch: "GossipingPropertyFileSnitch",
            cassandra_seeds: memberAddresses(seeds, out, "cassandra seeds", nodes)
                .map((s) => s.address)
                .join(","),
        };
        return out;
    },
};
