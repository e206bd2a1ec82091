import { groupsWithRole, memberAddresses, nodesWithRole, servicePort, setHostVar, emptyOutput } from "./helpers";
import type { Wiring } from "./types";

/** ZooKeeper ensemble: `myid` 1… in plan order (group order, then index), server list, connect string. */
export const zookeeperWiring: Wiring = {
    name: "zookeeper",
    description: "myid per host, zookeeper_servers (server.N=host:2888:3888), connect string",
    roles: ["zookeeper"],
    wire(inv) {
        const out = emptyOutput();
        const nodes = nodesWithRole(inv, this.roles);
        if (nodes.length === 0) return out;
        const groups = groupsWithRole(inv, this.roles);
        const clientPort = servicePort(groups, ["zookeeper", "client"], 2181);
        const ids = new Map(nodes.map((n, i) => [n.name, i + 1]));
        for (const n of nodes) setHostVar(out, n, "zookeeper_myid", ids.get(n.name));
        const members = memberAddresses(nodes, out, "zookeeper ensemble");
        if (nodes.length > 255) out.warnings.push(`zookeeper: ${nodes.length} servers; myid must stay within 1–255`);
        if (nodes.length % 2 === 0) out.warnings.push(`zookeeper: ${nodes.length} servers; an ensemble wants an odd number`);
        out.vars = {
            zookeeper_client_port: clientPort,
            zookeeper_servers: members.map((m) => `server.${ids.get(m.node.name)}=${m.address}:2888:3888`),
            zookeeper_connect: members.map((m) => `${m.address}:${clientPort}`).join(","),
        };
        return out;
    },
};
