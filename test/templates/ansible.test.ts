/**
 * Every template's inventory exported for Ansible (sdk/inventory: buildAnsibleModel +
 * renderAnsibleYaml, with the addresses a deployed cluster would have) parses with the real
 * `ansible-inventory --list` (ANSIBLE_INVENTORY_UNPARSED_FAILED=true, so an unparsed source
 * fails instead of printing an empty inventory) and carries the wiring group vars of its
 * stack: the role names the templates use are the ones the wiring expects.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildAnsibleModel, renderAnsibleYaml } from "../../sdk/inventory/ansible";
import { buildInventory } from "../../sdk/inventory/build";
import { getWiring } from "../../sdk/inventory/wiring";
import { inventedObserved } from "../support/inventories";
import { announceSkip, requireTool } from "../support/tools";
import { resolved, TEMPLATE_NAMES } from "./support";

const tool = requireTool("ansible-inventory", "ansible-core");
announceSkip(tool);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lct-tpl-ansible-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Group vars each wiring must produce (docs/inventory.md §4), written out independently. */
const WIRING_VARS: Record<string, string[]> = {
    kafka: ["kafka_controller_quorum_voters", "kafka_bootstrap_servers"],
    zookeeper: ["zookeeper_servers", "zookeeper_connect"],
    cassandra: ["cassandra_seeds"],
    spark: ["spark_master_url"],
    "postgresql-patroni": ["etcd_initial_cluster", "patroni_etcd_hosts", "patroni_scope"],
    postgresql: ["postgresql_primary_host"],
    redis: ["redis_cluster_nodes"],
    opensearch: ["opensearch_seed_hosts", "opensearch_initial_cluster_manager_nodes"],
    hadoop: ["hadoop_namenodes", "hadoop_journal_quorum", "hadoop_fs_default_fs"],
    nomad: ["nomad_retry_join", "nomad_bootstrap_expect"],
    consul: ["consul_retry_join", "consul_bootstrap_expect"],
    wordpress: ["wordpress_db_hosts", "wordpress_memcached_servers"],
};

type ListJson = { _meta: { hostvars: Record<string, Record<string, unknown>> } } & Record<string, { hosts?: string[]; vars?: Record<string, unknown> }>;

function ansibleList(file: string): Promise<{ status: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        const p = spawn(tool.path!, ["-i", file, "--list"], {
            cwd: tmp,
            env: { ...process.env, ANSIBLE_INVENTORY_UNPARSED_FAILED: "true", ANSIBLE_NOCOLOR: "1", ANSIBLE_LOCAL_TEMP: path.join(tmp, ".tmp"), ANSIBLE_HOME: path.join(tmp, ".ansible") },
        });
        let stdout = "";
        let stderr = "";
        p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        p.on("close", (status) => resolve({ status: status ?? -1, stdout, stderr }));
    });
}

/** ansible-inventory is slow to start: all templates at once, two at a time, started on first use. */
let lists: Promise<Map<string, ListJson>> | undefined;
function allLists(): Promise<Map<string, ListJson>> {
    lists ??= (async () => {
        const files = TEMPLATE_NAMES.map((name) => {
            const r = resolved(name);
            const model = buildAnsibleModel([buildInventory(r.plan, inventedObserved(r.plan))]);
            const file = path.join(tmp, `${name}.yml`);
            fs.writeFileSync(file, renderAnsibleYaml(model));
            return [name, file] as const;
        });
        const out = new Map<string, ListJson>();
        let next = 0;
        const worker = async () => {
            while (next < files.length) {
                const [name, file] = files[next++]!;
                const res = await ansibleList(file);
                if (res.status !== 0) throw new Error(`ansible-inventory -i ${name}.yml exited ${res.status}:\n${res.stderr}`);
                expect(res.stderr).not.toMatch(/Invalid characters were found in group names/);
                out.set(name, JSON.parse(res.stdout) as ListJson);
            }
        };
        await Promise.all([worker(), worker()]);
        return out;
    })();
    return lists;
}

describe.skipIf(tool.skip !== undefined).each(TEMPLATE_NAMES)("Ansible inventory of template %s", (name) => {
    it("parses with ansible-inventory --list and carries the stack's wiring vars", async () => {
        const list = (await allLists()).get(name)!;
        const r = resolved(name);
        const clusterGroup = `cluster_${r.plan.name.replace(/[^A-Za-z0-9_]/g, "_")}`;
        expect([...(list[clusterGroup]?.hosts ?? [])].sort()).toEqual(r.plan.nodes.map((n) => n.label).sort());
        expect(Object.keys(list._meta.hostvars)).toHaveLength(r.plan.nodes.length);
        // --list merges the cluster group's vars into every host's.
        const vars = list._meta.hostvars[r.plan.nodes[0]!.label]!;
        expect(vars.lct_template).toEqual({ name, version: r.template.version });
        const roles = new Set(r.plan.nodes.map((n) => n.role));
        const applied = vars.lct_wiring as string[];
        for (const wiring of r.template.wiring) {
            const w = getWiring(wiring);
            expect(w, `template ${name} names an unknown wiring ${wiring}`).toBeDefined();
            if (!w!.roles.some((role) => roles.has(role))) continue; // e.g. ZooKeeper only with spark ha
            expect(applied, `${name}: wiring ${wiring}`).toContain(wiring);
            for (const key of WIRING_VARS[wiring] ?? []) {
                const v = vars[key];
                expect(v, `${name}: ${key}`).toBeDefined();
                expect(Array.isArray(v) ? v.length : String(v).length, `${name}: ${key} is empty`).toBeGreaterThan(0);
            }
        }
        // Every role a wiring reads gets its node-level vars where the wiring defines them.
        for (const n of r.plan.nodes) {
            const hv = list._meta.hostvars[n.label]!;
            expect(hv.lct_role).toBe(n.role);
            if (n.role === "zookeeper") expect(hv.zookeeper_myid, n.label).toEqual(expect.any(Number));
            if (n.role.startsWith("kafka-")) expect(hv.kafka_node_id, n.label).toEqual(expect.any(Number));
            if (n.role === "etcd") expect(hv.etcd_name, n.label).toBe(n.hostname);
            if (n.role === "cassandra") expect(hv.cassandra_dc, n.label).toBe(n.region);
        }
    }, 120_000);
});

describe("wiring sizes match the templates' quorums", () => {
    it("lists every voter, server and seed the plan has", () => {
        const kafka = resolved("kafka");
        const wired = buildAnsibleModel([buildInventory(kafka.plan, inventedObserved(kafka.plan))]);
        const cluster = wired.groups.find((g) => g.name === "cluster_kafka")!.vars;
        expect(String(cluster.kafka_controller_quorum_voters).split(",")).toHaveLength(3);
        expect(String(cluster.kafka_bootstrap_servers).split(",")).toHaveLength(3);
        const zk = resolved("zookeeper", { servers: 5 });
        const zkVars = buildAnsibleModel([buildInventory(zk.plan, inventedObserved(zk.plan))]).groups.find((g) => g.name === "cluster_zookeeper")!.vars;
        expect(zkVars.zookeeper_servers).toHaveLength(5);
        const iot = resolved("iot-pipeline");
        const iotVars = buildAnsibleModel([buildInventory(iot.plan, inventedObserved(iot.plan))]).groups.find((g) => g.name === "cluster_iot")!.vars;
        expect(String(iotVars.kafka_bootstrap_servers).split(",")).toHaveLength(15);
        expect(String(iotVars.spark_master_url)).toMatch(/^spark:\/\/[\d.]+:7077,[\d.]+:7077$/);
    });
});
