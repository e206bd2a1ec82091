import { groupsWithRole, memberAddresses, nodesWithRole, servicePort, setHostVar, emptyOutput } from "./helpers";
import type { Wiring } from "./types";

/** Spark standalone: the master URL (several masters: `spark://a:7077,b:7077`, for ZooKeeper HA). */
export const sparkWiring: Wiring = {
    name: "spark",
    description: "spark_master_url spark://<master VPC/private address>:7077, worker and master roles",
    roles: ["spark-master", "spark-worker"],
    wire(inv) {
        const out = emptyOutput();
        const nodes = nodesWithRole(inv, this.roles);
        if (nodes.length === 0) return out;
        const masters = nodes.filter((n) => n.role === "spark-master");
        const port = servicePort(groupsWithRole(inv, ["spark-master"]), ["spark-master", "spark"], 7077);
        for (const n of nodes) setHostVar(out, n, "spark_role", n.role === "spark-master" ? "master" : "worker");
        const addrs = memberAddresses(masters, out, "spark master", nodes);
        if (masters.length === 0) out.warnings.push("spark: no spark-master node, so no master URL");
        else if (addrs.length > 0) {
            out.vars = {
                spark_master_host: addrs[0]!.address,
                spark_master_port: port,
                spark_master_url: `spark://${addrs.map((a) => `${a.address}:${port}`).join(",")}`,
            };
        }
        return out;
    },
};
