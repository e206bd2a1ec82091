import { clusterAddress } from "../addresses";
import { groupsWithRole, memberAddresses, nodesWithRole, servicePort, setHostVar, emptyOutput } from "./helpers";
import type { Wiring } from "./types";

/**
 * PostgreSQL with Patroni and etcd: the etcd initial cluster (`etcd` nodes, or the `patroni`
 * nodes themselves when the plan has no etcd group), the DCS host list and the Patroni scope.
 */
export const patroniWiring: Wiring = {
    name: "postgresql-patroni",
    description: "etcd initial cluster, patroni etcd hosts, scope and member names",
    roles: ["patroni", "etcd"],
    wire(inv) {
        const out = emptyOutput();
        const patroni = nodesWithRole(inv, ["patroni"]);
        const etcdNodes = nodesWithRole(inv, ["etcd"]);
        if (patroni.length === 0 && etcdNodes.length === 0) return out;
        const etcd = etcdNodes.length > 0 ? etcdNodes : patroni;
        const groups = groupsWithRole(inv, etcdNodes.length > 0 ? ["etcd"] : ["patroni"]);
        const clientPort = servicePort(groups, ["etcd", "etcd-client"], 2379);
        const peerPort = servicePort(groups, ["etcd-peer"], 2380);
        const members = memberAddresses(etcd, out, "etcd cluster", [...patroni, ...etcdNodes]);
        for (const m of members) setHostVar(out, m.node, "etcd_name", m.node.hostname);
        for (const n of patroni) {
            setHostVar(out, n, "patroni_name", n.hostname);
            const a = clusterAddress(n);
            if (a) setHostVar(out, n, "patroni_connect_address", a);
        }
        if (etcd.length % 2 === 0) out.warnings.push(`postgresql-patroni: ${etcd.length} etcd members; etcd wants an odd number`);
        out.vars = {
            patroni_scope: inv.cluster,
            etcd_initial_cluster_token: `${inv.cluster}-etcd`,
            etcd_initial_cluster: members.map((m) => `${m.node.hostname}=http://${m.address}:${peerPort}`).join(","),
            patroni_etcd_hosts: members.map((m) => `${m.address}:${clientPort}`).join(","),
        };
        return out;
    },
};
