import { memberAddresses, nodesWithRole, setHostVar, emptyOutput } from "./helpers";
import type { Wiring } from "./types";

export const HADOOP_ROLES = {
    namenode: "hadoop-namenode",
    journalnode: "hadoop-journalnode",
    datanode: "hadoop-datanode",
    resourcemanager: "hadoop-resourcemanager",
} as const;

/**
 * HDFS: NameNodes (nn1, nn2 … with RPC 8020 and HTTP 9870), the JournalNode quorum
 * (`qjournal://a:8485;b:8485;c:8485/<cluster>`) and `fs.defaultFS` — the nameservice
 * `hdfs://<cluster>` with several NameNodes, else `hdfs://<namenode>:8020`.
 */
export const hadoopWiring: Wiring = {
    name: "hadoop",
    description: "namenodes, journal quorum, fs.defaultFS, resource managers",
    roles: Object.values(HADOOP_ROLES),
    wire(inv) {
        const out = emptyOutput();
        const all = nodesWithRole(inv, this.roles);
        if (all.length === 0) return out;
        const namenodes = memberAddresses(nodesWithRole(inv, [HADOOP_ROLES.namenode]), out, "hadoop namenodes", all);
        const journal = memberAddresses(nodesWithRole(inv, [HADOOP_ROLES.journalnode]), out, "hadoop journal quorum", all);
        const rms = memberAddresses(nodesWithRole(inv, [HADOOP_ROLES.resourcemanager]), out, "hadoop resource managers", all);
        namenodes.forEach((n, i) => setHostVar(out, n.node, "hadoop_namenode_id", `nn${i + 1}`));
        if (namenodes.length === 0) out.warnings.push(`hadoop: no ${HADOOP_ROLES.namenode} node`);
        if (namenodes.length > 1 && journal.length < 3) out.warnings.push(`hadoop: HA NameNodes need at least 3 ${HADOOP_ROLES.journalnode} nodes, found ${journal.length}`);
        out.vars = {
            hadoop_nameservice: inv.cluster,
            hadoop_namenodes: namenodes.map((n, i) => ({ id: `nn${i + 1}`, host: n.address, rpc_address: `${n.address}:8020`, http_address: `${n.address}:9870` })),
            ...(namenodes.length > 1
                ? { hadoop_fs_default_fs: `hdfs://${inv.cluster}` }
                : namenodes.length === 1
                  ? { hadoop_fs_default_fs: `hdfs://${namenodes[0]!.address}:8020` }
                  : {}),
            ...(journal.length > 0 ? { hadoop_journal_quorum: `qjournal://${journal.map((j) => `${j.address}:8485`).join(";")}/${inv.cluster}` } : {}),
            hadoop_resourcemanager_hosts: rms.map((r) => r.address),
        };
        return out;
    },
};
