import { describe, expect, it } from "vitest";
import { clusterAddress } from "../../sdk/inventory/addresses";
import type { ClusterInventory, InventoryNode } from "../../sdk/inventory/types";
import { bindTemplate, getWiring, listWirings, wireInventory, wiringsFor } from "../../sdk/inventory/wiring";
import type { ClusterPlanInput } from "../../sdk/plan/schema";
import { renderTemplate } from "../../sdk/templates/render";
import { streamsPlan, testInventory } from "../support/inventories";

type Group = { name: string; role?: string; count: number; type?: string };

/** A plan of groups in one or more regions (us-ord has a VPC, us-east and eu-central do not). */
function plan(name: string, regions: Record<string, Group[]>, template?: string): ClusterPlanInput {
    return {
        name,
        ...(template ? { template: { name: template } } : {}),
        exposure: { adminCidrs: ["203.0.113.0/24"] },
        regions: Object.entries(regions).map(([region, groups]) => ({
            region,
            nodeGroups: groups.map((g) => ({ name: g.name, ...(g.role ? { role: g.role } : {}), count: g.count, type: g.type ?? "g6-standard-2" })),
        })),
    } as ClusterPlanInput;
}

const byRole = (inv: ClusterInventory, role: string): InventoryNode[] => inv.nodes.filter((n) => n.role === role);
const ip = (n: InventoryNode): string => clusterAddress(n)!;

describe("wiring registry", () => {
    it("covers every stack the templates will use, by role", () => {
        expect(listWirings().map((w) => w.name).sort()).toEqual(
            ["cassandra", "consul", "hadoop", "kafka", "nomad", "opensearch", "postgresql", "postgresql-patroni", "redis", "spark", "wordpress", "zookeeper"].sort(),
        );
        for (const w of listWirings()) expect(w.roles.length, w.name).toBeGreaterThan(0);
    });

    it("selects wirings by the plan's template name and by the roles its nodes play", () => {
        const kafka = testInventory(plan("k", { "us-ord": [{ name: "broker", role: "kafka-broker", count: 1 }, { name: "zk", role: "zookeeper", count: 1 }] }));
        expect(wiringsFor(kafka).map((w) => w.name)).toEqual(["kafka", "zookeeper"]);
        // A template name binds its wiring even when no role matches (nodes named differently).
        const bound = testInventory(plan("r", { "us-ord": [{ name: "cache", count: 3 }] }, "redis"));
        expect(wiringsFor(bound).map((w) => w.name)).toEqual(["redis"]);
        expect(wireInventory(bound).vars).toEqual({});
        // Unknown template: role-based fallback only.
        const web = testInventory(plan("w", { "us-ord": [{ name: "web", count: 2 }] }, "no-such-template"));
        expect(wiringsFor(web)).toEqual([]);
        bindTemplate("test-multi", ["nomad", "consul"]);
        const multi = testInventory(plan("m", { "us-ord": [{ name: "app", count: 1 }] }, "test-multi"));
        expect(wiringsFor(multi).map((w) => w.name)).toEqual(["nomad", "consul"]);
        expect(getWiring("kafka")?.roles).toEqual(["kafka-controller", "kafka-broker", "kafka"]);
    });
});

describe("kafka (KRaft)", () => {
    it("lists controller quorum voters as id@address:port with stable ids, and bootstrap servers", () => {
        const inv = testInventory(streamsPlan());
        const out = wireInventory(inv);
        const controllers = byRole(inv, "kafka-controller");
        const brokers = byRole(inv, "kafka-broker");
        expect(controllers).toHaveLength(3);
        // us-east has no VPC: the private IPv4 is the in-cluster address.
        expect(controllers.every((n) => n.privateIpv4 && clusterAddress(n) === n.privateIpv4)).toBe(true);
        expect(out.vars.kafka_controller_quorum_voters).toBe(controllers.map((n, i) => `${1001 + i}@${n.privateIpv4}:9093`).join(","));
        expect(out.vars.kafka_bootstrap_servers).toBe(brokers.map((n) => `${n.privateIpv4}:9092`).join(","));
        expect(out.hostVars[brokers[2]!.name]).toMatchObject({ kafka_node_id: 2003, kafka_process_roles: "broker", kafka_advertised_host: brokers[2]!.privateIpv4 });
        expect(out.hostVars[controllers[0]!.name]).toMatchObject({ kafka_node_id: 1001, kafka_process_roles: "controller" });
        expect(out.warnings).toEqual([]);
    });

    it("gives clients the external listener at the brokers' public addresses, and says when they are not known yet", () => {
        const kafka = renderTemplate("kafka").plan;
        const inv = testInventory(kafka);
        const out = wireInventory(inv);
        const brokers = byRole(inv, "kafka-broker");
        expect(brokers.length).toBeGreaterThan(0);
        expect(out.vars.kafka_client_port).toBe(9094);
        expect(out.vars.kafka_client_bootstrap_servers).toBe(brokers.map((n) => `${n.publicIpv4}:9094`).join(","));
        // Inter-broker traffic stays on the in-cluster addresses.
        expect(out.vars.kafka_bootstrap_servers).toBe(brokers.map((n) => `${ip(n)}:9092`).join(","));
        const planned = wireInventory(testInventory(kafka, { addresses: false }));
        expect(planned.vars.kafka_client_bootstrap_servers).toBe("");
        expect(planned.warnings).toContain(`cluster kafka: kafka: ${brokers.length} brokers have no public IPv4 yet, so the client bootstrap list is incomplete`);
        // Without an external listener there is no client list at all.
        expect(wireInventory(testInventory(streamsPlan())).vars.kafka_client_bootstrap_servers).toBeUndefined();
    });

    it("keeps existing ids when a group grows, handles combined nodes and warns about even quorums", () => {
        const small = wireInventory(testInventory(plan("k", { "us-ord": [{ name: "kafka", role: "kafka", count: 2 }] })));
        const grown = testInventory(plan("k", { "us-ord": [{ name: "kafka", role: "kafka", count: 3 }] }));
        const big = wireInventory(grown);
        expect(Object.values(small.hostVars).map((v) => v.kafka_node_id)).toEqual([1001, 1002]);
        expect(Object.values(big.hostVars).map((v) => v.kafka_node_id)).toEqual([1001, 1002, 1003]);
        expect(Object.values(big.hostVars).every((v) => v.kafka_process_roles === "broker,controller")).toBe(true);
        // us-ord has a VPC: VPC addresses are preferred over anything else.
        expect(big.vars.kafka_controller_quorum_voters).toBe(grown.nodes.map((n, i) => `${1001 + i}@${n.vpcIpv4}:9093`).join(","));
        expect(small.warnings).toEqual(["cluster k: kafka: 2 controllers; a KRaft quorum wants an odd number"]);
        const noControllers = wireInventory(testInventory(plan("k", { "us-ord": [{ name: "b", role: "kafka-broker", count: 1 }] })));
        expect(noControllers.vars.kafka_controller_quorum_voters).toBe("");
        expect(noControllers.warnings[0]).toMatch(/no kafka-controller or kafka nodes/);
    });

    it("leaves out members without an address (a preview) and says so", () => {
        const inv = testInventory(plan("k", { "us-east": [{ name: "c", role: "kafka-controller", count: 3 }] }), { addresses: false });
        const out = wireInventory(inv);
        expect(out.vars.kafka_controller_quorum_voters).toBe("");
        expect(out.warnings.filter((w) => /kafka controller quorum: node k-us-east-c-\d has no address yet/.test(w))).toHaveLength(3);
    });
});

describe("zookeeper, cassandra, spark", () => {
    it("zookeeper: myid 1… in plan order, server lines and connect string", () => {
        const inv = testInventory(plan("z", { "us-ord": [{ name: "zk", role: "zookeeper", count: 3 }] }));
        const out = wireInventory(inv);
        const zk = byRole(inv, "zookeeper");
        expect(zk.map((n) => out.hostVars[n.name]!.zookeeper_myid)).toEqual([1, 2, 3]);
        expect(out.vars.zookeeper_servers).toEqual(zk.map((n, i) => `server.${i + 1}=${n.vpcIpv4}:2888:3888`));
        expect(out.vars.zookeeper_connect).toBe(zk.map((n) => `${n.vpcIpv4}:2181`).join(","));
    });

    it("cassandra: seeds are the first node of each rack, then the second …, up to 3 per region; public across regions", () => {
        const inv = testInventory(
            plan("c", {
                "us-ord": [
                    { name: "rack1", role: "cassandra", count: 3 },
                    { name: "rack2", role: "cassandra", count: 3 },
                ],
                "eu-central": [{ name: "rack1", role: "cassandra", count: 4 }],
            }),
        );
        const out = wireInventory(inv);
        const label = (l: string): InventoryNode => inv.nodes.find((n) => n.label === l)!;
        const seeds = ["c-us-ord-rack1-1", "c-us-ord-rack2-1", "c-us-ord-rack1-2", "c-eu-central-rack1-1", "c-eu-central-rack1-2", "c-eu-central-rack1-3"].map(label);
        expect(out.vars.cassandra_seeds).toBe(seeds.map((n) => n.publicIpv4).join(","));
        const n = label("c-us-ord-rack2-3");
        expect(out.hostVars[n.name]).toEqual({
            cassandra_dc: "us-ord",
            cassandra_rack: "rack2",
            cassandra_listen_address: n.vpcIpv4,
            cassandra_broadcast_address: n.publicIpv4,
        });
        // One region: in-cluster addresses everywhere; explicit seed nodes win.
        const one = testInventory(plan("c", { "us-ord": [{ name: "seed", role: "cassandra-seed", count: 2 }, { name: "data", role: "cassandra", count: 4 }] }));
        expect(wireInventory(one).vars.cassandra_seeds).toBe(byRole(one, "cassandra-seed").map(ip).join(","));
    });

    it("spark: the master URL uses the master's VPC address", () => {
        const inv = testInventory(plan("s", { "us-ord": [{ name: "master", role: "spark-master", count: 1 }, { name: "worker", role: "spark-worker", count: 2 }] }));
        const out = wireInventory(inv);
        const master = byRole(inv, "spark-master")[0]!;
        expect(master.vpcIpv4).toMatch(/^10\./);
        expect(out.vars.spark_master_url).toBe(`spark://${master.vpcIpv4}:7077`);
        expect(Object.values(out.hostVars).map((v) => v.spark_role)).toEqual(["master", "worker", "worker"]);
        const none = wireInventory(testInventory(plan("s", { "us-ord": [{ name: "worker", role: "spark-worker", count: 1 }] })));
        expect(none.vars.spark_master_url).toBeUndefined();
        expect(none.warnings[0]).toMatch(/no spark-master/);
    });
});

describe("postgresql, redis, opensearch, hadoop, nomad/consul, wordpress", () => {
    it("postgresql-patroni: etcd initial cluster on the etcd nodes, or on the patroni nodes", () => {
        const own = testInventory(plan("p", { "us-ord": [{ name: "pg", role: "patroni", count: 3 }] }, "postgresql-patroni"));
        const out = wireInventory(own);
        const pg = byRole(own, "patroni");
        expect(out.vars.etcd_initial_cluster).toBe(pg.map((n) => `${n.hostname}=http://${n.vpcIpv4}:2380`).join(","));
        expect(out.vars.patroni_etcd_hosts).toBe(pg.map((n) => `${n.vpcIpv4}:2379`).join(","));
        expect(out.vars.patroni_scope).toBe("p");
        const split = testInventory(plan("p", { "us-ord": [{ name: "pg", role: "patroni", count: 2 }, { name: "etcd", role: "etcd", count: 3 }] }));
        const o2 = wireInventory(split);
        expect(o2.vars.etcd_initial_cluster).toBe(byRole(split, "etcd").map((n) => `${n.hostname}=http://${n.vpcIpv4}:2380`).join(","));
        expect(o2.hostVars[byRole(split, "patroni")[0]!.name]!.etcd_name).toBeUndefined();
    });

    it("postgresql: the first node is the primary", () => {
        const inv = testInventory(plan("d", { "us-east": [{ name: "db", role: "postgresql", count: 3 }] }));
        const out = wireInventory(inv);
        const db = byRole(inv, "postgresql");
        expect(out.vars).toEqual({ postgresql_primary_host: db[0]!.privateIpv4, postgresql_replica_hosts: [db[1]!.privateIpv4, db[2]!.privateIpv4] });
    });

    it("redis: every node host:port, one replica per primary from 6 nodes", () => {
        const six = testInventory(plan("r", { "us-ord": [{ name: "redis", count: 6 }] }));
        expect(wireInventory(six).vars).toEqual({ redis_port: 6379, redis_cluster_nodes: six.nodes.map((n) => `${n.vpcIpv4}:6379`), redis_cluster_replicas: 1 });
        expect(wireInventory(testInventory(plan("r", { "us-ord": [{ name: "redis", count: 3 }] }))).vars.redis_cluster_replicas).toBe(0);
    });

    it("opensearch: seed hosts and initial managers are the dedicated managers", () => {
        const inv = testInventory(plan("o", { "us-ord": [{ name: "m", role: "opensearch-manager", count: 3 }, { name: "d", role: "opensearch-data", count: 2 }] }));
        const out = wireInventory(inv);
        const managers = byRole(inv, "opensearch-manager");
        expect(out.vars.opensearch_seed_hosts).toEqual(managers.map(ip));
        expect(out.vars.opensearch_initial_cluster_manager_nodes).toEqual(managers.map((n) => n.hostname));
        expect(out.hostVars[byRole(inv, "opensearch-data")[0]!.name]).toMatchObject({ opensearch_node_roles: ["data", "ingest"] });
        const flat = testInventory(plan("o", { "us-ord": [{ name: "os", role: "opensearch", count: 3 }] }));
        expect(wireInventory(flat).vars.opensearch_seed_hosts).toEqual(flat.nodes.map(ip));
    });

    it("hadoop: namenodes, journal quorum and nameservice", () => {
        const inv = testInventory(
            plan("h", { "us-ord": [{ name: "nn", role: "hadoop-namenode", count: 2 }, { name: "jn", role: "hadoop-journalnode", count: 3 }, { name: "dn", role: "hadoop-datanode", count: 2 }] }),
        );
        const out = wireInventory(inv);
        const jn = byRole(inv, "hadoop-journalnode");
        expect(out.vars.hadoop_fs_default_fs).toBe("hdfs://h");
        expect(out.vars.hadoop_journal_quorum).toBe(`qjournal://${jn.map((n) => `${n.vpcIpv4}:8485`).join(";")}/h`);
        expect((out.vars.hadoop_namenodes as Array<{ id: string }>).map((n) => n.id)).toEqual(["nn1", "nn2"]);
        const single = wireInventory(testInventory(plan("h", { "us-ord": [{ name: "nn", role: "hadoop-namenode", count: 1 }] })));
        expect(single.vars.hadoop_fs_default_fs).toMatch(/^hdfs:\/\/10\.[\d.]+:8020$/);
    });

    it("nomad and consul: retry_join with the servers and bootstrap_expect", () => {
        const inv = testInventory(
            plan("n", { "us-ord": [{ name: "ns", role: "nomad-server", count: 3 }, { name: "nc", role: "nomad-client", count: 2 }, { name: "cs", role: "consul-server", count: 3 }] }),
        );
        const out = wireInventory(inv);
        expect(out.vars.nomad_retry_join).toEqual(byRole(inv, "nomad-server").map(ip));
        expect(out.vars.nomad_bootstrap_expect).toBe(3);
        expect(out.vars.consul_retry_join).toEqual(byRole(inv, "consul-server").map(ip));
        expect(out.hostVars[byRole(inv, "nomad-client")[0]!.name]).toMatchObject({ nomad_mode: "client", nomad_datacenter: "us-ord" });
    });

    it("wordpress: db host and memcached servers", () => {
        const inv = testInventory(plan("wp", { "us-ord": [{ name: "wordpress", count: 2 }, { name: "db", role: "mysql", count: 2 }, { name: "cache", role: "memcached", count: 1 }] }));
        const out = wireInventory(inv);
        const db = byRole(inv, "mysql");
        expect(out.vars).toEqual({
            wordpress_db_host: db[0]!.vpcIpv4,
            wordpress_db_hosts: db.map(ip),
            wordpress_memcached_servers: byRole(inv, "memcached").map((n) => `${n.vpcIpv4}:11211`),
        });
        const noDb = wireInventory(testInventory(plan("wp", { "us-ord": [{ name: "wordpress", count: 1 }] })));
        expect(noDb.warnings[0]).toMatch(/no mysql or mariadb/);
    });
});
