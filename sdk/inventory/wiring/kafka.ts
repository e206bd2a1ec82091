import { groupsWithRole, memberAddresses, nodesWithRole, servicePort, setHostVar, emptyOutput } from "./helpers";
import type { Wiring } from "./types";

export const KAFKA_ROLES = { controller: "kafka-controller", broker: "kafka-broker", combined: "kafka" } as const;

/**
 * Kafka in KRaft mode. Node ids are stable under scale-out: `1000 × (position of the node's
 * group among the Kafka groups, from 1) + index` (controllers of the first group are 1001,
 * 1002 …). Append new Kafka groups at the end of the plan to keep existing ids.
 */
export const kafkaWiring: Wiring = {
    name: "kafka",
    description: "KRaft controller quorum voters, node ids and process roles, bootstrap servers (inter-broker and, with a kafka-external listener, for clients)",
    roles: Object.values(KAFKA_ROLES),
    wire(inv) {
        const out = emptyOutput();
        const groups = groupsWithRole(inv, this.roles);
        if (groups.length === 0) return out;
        const base = new Map(groups.map((g, i) => [g.key, 1000 * (i + 1)]));
        const nodes = nodesWithRole(inv, this.roles);
        const idOf = (n: (typeof nodes)[number]): number => base.get(n.group)! + n.index;
        const controllers = nodes.filter((n) => n.role !== KAFKA_ROLES.broker);
        const brokers = nodes.filter((n) => n.role !== KAFKA_ROLES.controller);
        const controllerPort = servicePort(groups, ["kafka-controller", "controller"], 9093);
        const brokerPort = servicePort(groups, ["kafka", "kafka-broker", "broker"], 9092);
        for (const n of nodes) {
            setHostVar(out, n, "kafka_node_id", idOf(n));
            setHostVar(out, n, "kafka_process_roles", n.role === KAFKA_ROLES.controller ? "controller" : n.role === KAFKA_ROLES.broker ? "broker" : "broker,controller");
        }
        const voters = memberAddresses(controllers, out, "kafka controller quorum", nodes);
        for (const v of voters) setHostVar(out, v.node, "kafka_advertised_host", v.address);
        const brokerAddrs = memberAddresses(brokers, out, "kafka bootstrap servers", nodes);
        for (const b of brokerAddrs) setHostVar(out, b.node, "kafka_advertised_host", b.address);
        if (controllers.length === 0) out.warnings.push(`kafka: no ${KAFKA_ROLES.controller} or ${KAFKA_ROLES.combined} nodes, so no controller quorum`);
        else if (controllers.length % 2 === 0) out.warnings.push(`kafka: ${controllers.length} controllers; a KRaft quorum wants an odd number`);
        out.vars = {
            kafka_cluster_name: inv.cluster,
            kafka_controller_port: controllerPort,
            kafka_broker_port: brokerPort,
            kafka_controller_quorum_voters: voters.map((v) => `${idOf(v.node)}@${v.address}:${controllerPort}`).join(","),
            kafka_bootstrap_servers: brokerAddrs.map((b) => `${b.address}:${brokerPort}`).join(","),
        };
        // Clients outside the cluster reach the external listener at the brokers' public addresses.
        const external = groups.some((g) => g.services.some((x) => x.name === "kafka-external"));
        if (external) {
            const clientPort = servicePort(groups, ["kafka-external"], 9094);
            const reachable = brokers.filter((b) => b.publicIpv4);
            if (reachable.length < brokers.length) out.warnings.push(`kafka: ${brokers.length - reachable.length} brokers have no public IPv4 yet, so the client bootstrap list is incomplete`);
            out.vars.kafka_client_port = clientPort;
            out.vars.kafka_client_bootstrap_servers = reachable.map((b) => `${b.publicIpv4}:${clientPort}`).join(",");
        }
        return out;
    },
};
