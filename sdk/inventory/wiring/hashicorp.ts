import type { ClusterInventory } from "../types";
import { memberAddresses, nodesWithRole, setHostVar, emptyOutput } from "./helpers";
import type { Wiring, WiringOutput } from "./types";

function serverClient(product: "nomad" | "consul", inv: ClusterInventory): WiringOutput {
    const out = emptyOutput();
    const server = `${product}-server`;
    const nodes = nodesWithRole(inv, [server, `${product}-client`]);
    if (nodes.length === 0) return out;
    const servers = nodes.filter((n) => n.role === server);
    for (const n of nodes) {
        setHostVar(out, n, `${product}_mode`, n.role === server ? "server" : "client");
        setHostVar(out, n, `${product}_datacenter`, n.region);
    }
    if (servers.length === 0) out.warnings.push(`${product}: no ${server} nodes`);
    else if (servers.length % 2 === 0) out.warnings.push(`${product}: ${servers.length} servers; Raft wants an odd number`);
    const addrs = memberAddresses(servers, out, `${product} servers`, nodes).map((s) => s.address);
    out.vars = { [`${product}_retry_join`]: addrs, [`${product}_bootstrap_expect`]: servers.length };
    return out;
}

/** Nomad: servers' addresses for `server_join.retry_join`, and `bootstrap_expect`. */
export const nomadWiring: Wiring = {
    name: "nomad",
    description: "retry_join (server addresses), bootstrap_expect, server/client mode",
    roles: ["nomad-server", "nomad-client"],
    wire: (inv) => serverClient("nomad", inv),
};

/** Consul: servers' addresses for `retry_join`, and `bootstrap_expect`. */
export const consulWiring: Wiring = {
    name: "consul",
    description: "retry_join (server addresses), bootstrap_expect, server/client mode",
    roles: ["consul-server", "consul-client"],
    wire: (inv) => serverClient("consul", inv),
};
