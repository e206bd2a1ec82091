import { memberAddresses, nodesWithRole, setHostVar, emptyOutput } from "./helpers";
import type { Wiring } from "./types";

/** Plain PostgreSQL primary/replica: the first node (plan order) is the primary. */
export const postgresqlWiring: Wiring = {
    name: "postgresql",
    description: "primary (first node) and replica addresses",
    roles: ["postgresql"],
    wire(inv) {
        const out = emptyOutput();
        const nodes = nodesWithRole(inv, this.roles);
        if (nodes.length === 0) return out;
        nodes.forEach((n, i) => setHostVar(out, n, "postgresql_replica", i > 0));
        const members = memberAddresses(nodes, out, "postgresql");
        const primary = members.find((m) => m.node === nodes[0]);
        out.vars = {
            ...(primary ? { postgresql_primary_host: primary.address } : {}),
            postgresql_replica_hosts: members.filter((m) => m.node !== nodes[0]).map((m) => m.address),
        };
        return out;
    },
};
