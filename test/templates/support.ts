/**
 * Shared by the template tests: every bundled template (read from the directory, so a new
 * template is covered without touching the tests), rendered with its defaults and resolved,
 * plus what the tests know independently of the templates (quorum roles, inter-node ports).
 */
import "../../sdk/hardening"; // registers the user-data size rule with every plan check
import { checkPlanValue, type PlanCheck } from "../../sdk/plan/check";
import type { ResolvedPlan } from "../../sdk/plan/resolved";
import type { ClusterPlanInput } from "../../sdk/plan/schema";
import { loadTemplate, templateNames, type TemplateFile } from "../../sdk/templates";
import { renderTemplate, type RenderedTemplate } from "../../sdk/templates/render";

export const TEMPLATE_NAMES = templateNames();

export interface Resolved {
    template: TemplateFile;
    rendered: RenderedTemplate;
    check: PlanCheck;
    plan: ResolvedPlan;
}

const cache = new Map<string, Resolved>();

/** A template rendered with its defaults (or overrides) and resolved; throws with the issues when invalid. */
export function resolved(name: string, overrides: Record<string, unknown> = {}): Resolved {
    const key = `${name}\u0000${JSON.stringify(overrides)}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const template = loadTemplate(name);
    const rendered = renderTemplate(template, overrides);
    const check = checkPlanValue(rendered.plan as ClusterPlanInput);
    if (!check.ok || !check.resolved) throw new Error(`${name}: ${check.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
    const r = { template, rendered, check, plan: check.resolved };
    cache.set(key, r);
    return r;
}

/**
 * Roles whose members elect by majority (hardening-and-stacks.md §9): their count must be
 * odd wherever a template uses them — whatever the template itself declares.
 */
export const MAJORITY_ROLES = new Set([
    "zookeeper",
    "kafka-controller",
    "etcd",
    "hadoop-journalnode",
    "opensearch-manager",
    "consul-server",
    "nomad-server",
    "mariadb",
]);

/**
 * Inter-node ports of each stack's roles: the "inter-node TCP ports" column of
 * hardening-and-stacks.md §9, written out here independently of the templates, plus the ports the
 * templates pin for software that would otherwise pick random ones (marked "pinned"). Keyed by
 * role, because a port number means something only on its stack's nodes (24007 is GlusterFS, and
 * also inside a Nomad client's workload range). None of them may be open to the world or to client
 * networks, except where CLIENT_FACING_EXCEPTIONS says so for one template, with the reason.
 */
export const INTER_NODE_PORTS: Readonly<Record<string, ReadonlyArray<number | string>>> = {
    // Kafka: 9093 CONTROLLER listener; 9092 inter-broker replication.
    "kafka-controller": [9093],
    "kafka-broker": [9092],
    // ZooKeeper: 2888 peer/quorum, 3888 leader election.
    zookeeper: [2888, 3888],
    // Cassandra: 7000 inter-node, 7001 TLS inter-node, 7199 JMX.
    cassandra: [7000, 7001, 7199],
    // OpenSearch: 9300 transport.
    "opensearch-manager": [9300],
    "opensearch-data": [9300],
    // HDFS: 8485 JournalNode RPC; 8480 JournalNode HTTP (§9 lists it as a UI port, but the NameNodes tail the edit log over it; pinned member-only).
    "hadoop-journalnode": [8485, 8480],
    // HDFS: 8020 NameNode RPC, 9868 SecondaryNameNode HTTP; 8019 ZKFC (pinned).
    "hadoop-namenode": [8020, 9868, 8019],
    // YARN: 8031 resource tracker, 8030 scheduler, 8033 admin.
    "hadoop-resourcemanager": [8030, 8031, 8033],
    // HDFS: 9866 DataNode data transfer, 9867 DataNode IPC; YARN: 8040 localizer; 8041 NodeManager and 13562 shuffle (pinned).
    "hadoop-datanode": [9866, 9867, 8040, 8041, 13562],
    // Spark: 7077 (driver/worker → master).
    "spark-master": [7077],
    // Spark: SPARK_WORKER_PORT (pinned 7078), blockManager ports (pinned spark.blockManager.port=7079 + 15 retries).
    "spark-worker": [7078, "7079-7094"],
    // Patroni: 5432 replication, 8008 REST; etcd 2379 client (Patroni), 2380 peer.
    patroni: [5432, 8008],
    etcd: [2379, 2380],
    // Redis: 16379 cluster bus; 6379 replication (Sentinel mode).
    redis: [6379, 16379],
    // HA WordPress: Galera, memcached, GlusterFS (24007 + brick ports).
    mariadb: [3306, 4567, "4567/udp", 4568, 4444],
    memcached: [11211],
    glusterfs: ["24007-24008", "49152-49251"],
    // MySQL Cluster (not in §9; pinned by wordpress-multiregion).
    "ndb-mgmt": [1186],
    "ndb-data": [2202],
    mysql: [3306],
    // Nomad 4647 RPC, 4648 serf (tcp+udp); Consul 8300 RPC, 8301/8302 serf (tcp+udp).
    "nomad-server": [4647, 4648, "4648/udp", 8301, "8301/udp"],
    "nomad-client": [8301, "8301/udp"],
    "consul-server": [8300, 8301, "8301/udp", 8302, "8302/udp"],
};

/**
 * The client-facing exceptions, per template and role: inter-node ports (above) that a template
 * deliberately opens to its client networks as well, each with the reason. Every other inter-node
 * port must stay member-only, so any other deviation fails the tests. docs/templates.md
 * ("Ports: member-only and client-facing") lists the same table; a test keeps them equal.
 */
export const CLIENT_FACING_EXCEPTIONS: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>> = {
    hadoop: {
        "hadoop-namenode": { "8020": "HDFS clients call the NameNode RPC directly (fs.defaultFS) for metadata" },
        "hadoop-datanode": { "9866": "HDFS clients read and write blocks directly on the DataNodes (data transfer)" },
    },
    spark: {
        "spark-master": { "7077": "applications are submitted to the master from the client networks (spark-submit, client deploy mode)" },
        "spark-worker": { "7079-7094": "a driver in client deploy mode fetches task results and broadcast blocks from the executors' block managers" },
    },
    "iot-pipeline": {
        "spark-master": { "7077": "analysts submit applications to the master from the client networks (client deploy mode)" },
        "spark-worker": { "7079-7094": "a driver in client deploy mode fetches task results and broadcast blocks from the executors' block managers" },
        patroni: { "5432": "5432 is also PostgreSQL's client port: analysts query the results directly" },
    },
    patroni: {
        patroni: { "5432": "5432 is also PostgreSQL's client port (§9: \"5432 direct\"), for clients that bypass HAProxy with target_session_attrs=read-write" },
    },
    redis: {
        redis: { "6379": "6379 is also Redis's client port (§9); replication and clients share it" },
    },
};

/** The ports of `role` that must be member-only in `template`: the role table's, plus §9's minus the template's exceptions. */
export function memberOnlyPorts(template: string, role: string, documented: ReadonlyArray<number | string>): Array<{ protocol: "tcp" | "udp"; from: number; to: number }> {
    const excepted = new Set(Object.keys(CLIENT_FACING_EXCEPTIONS[template]?.[role] ?? {}));
    return [...documented, ...(INTER_NODE_PORTS[role] ?? []).filter((p) => !excepted.has(String(p)))].map(parseDocumentedPort);
}

/**
 * Access rules that open a member-only port (memberOnlyPorts) to the world or to networks,
 * as messages; empty when none do. `documented` gives each role's `ports.members`.
 */
export function memberOnlyLeaks(template: string, plan: ResolvedPlan, documented: (role: string) => ReadonlyArray<number | string>): string[] {
    const leaks: string[] = [];
    for (const rule of plan.access.filter((a) => a.purpose !== "ssh" && a.purpose !== "load-balancer")) {
        const g = plan.groups.find((x) => x.key === rule.group)!;
        const memberOnly = memberOnlyPorts(template, g.role, documented(g.role)).filter((m) => m.protocol === rule.protocol);
        if (!memberOnly.some((m) => rule.ports.some((p) => overlaps(p, m)))) continue;
        const what = `${rule.group} ${rule.purpose} ${rule.name} ${rule.ports.map((p) => `${p.from}-${p.to}`).join(",")}/${rule.protocol}`;
        if (rule.sources.world) leaks.push(`${what} is open to the world`);
        if (rule.sources.cidrs.length > 0) leaks.push(`${what} is open to networks ${rule.sources.cidrs.join(", ")}`);
        if (rule.sources.groups.length === 0) leaks.push(`${what} has no member source`);
    }
    return leaks;
}

/** Whether members of group `from` may reach `port`/`protocol` on group `to`, by the plan's access rules. */
export function canReach(plan: ResolvedPlan, from: string, to: string, port: number, protocol: "tcp" | "udp" = "tcp"): boolean {
    return plan.access.some(
        (a) => a.group === to && a.protocol === protocol && a.ports.some((p) => p.from <= port && port <= p.to) && (a.sources.world || a.sources.groups.includes(from)),
    );
}

/** `"9093"`, `"7079-7094"`, `"4567/udp"` → protocol and range. */
export function parseDocumentedPort(p: string | number): { protocol: "tcp" | "udp"; from: number; to: number } {
    const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp))?$/.exec(String(p));
    if (!m) throw new Error(`bad documented port ${p}`);
    return { protocol: (m[3] as "tcp" | "udp" | undefined) ?? "tcp", from: Number(m[1]), to: Number(m[2] ?? m[1]) };
}

/** Linode firewall `ports` text ("22, 8000-8010") → ranges. */
export function parseRulePorts(text: string): Array<{ from: number; to: number }> {
    return text
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0)
        .map((s) => {
            const [a, b] = s.split("-");
            return { from: Number(a), to: Number(b ?? a) };
        });
}

export const overlaps = (a: { from: number; to: number }, b: { from: number; to: number }): boolean => a.from <= b.to && b.from <= a.to;

/** The exact default node count of every role of the bundled templates (written out, not derived). */
export const DEFAULT_ROLE_COUNTS: Record<string, Record<string, number>> = {
    quickstart: { bastion: 1, postgresql: 2, web: 5 },
    kafka: { "kafka-controller": 3, "kafka-broker": 3 },
    zookeeper: { zookeeper: 3 },
    spark: { "spark-master": 1, "spark-worker": 3 },
    hadoop: { zookeeper: 3, "hadoop-journalnode": 3, "hadoop-namenode": 2, "hadoop-resourcemanager": 2, "hadoop-datanode": 3 },
    cassandra: { cassandra: 3 },
    opensearch: { "opensearch-manager": 3, "opensearch-data": 3, "opensearch-dashboards": 1 },
    patroni: { etcd: 3, patroni: 3, haproxy: 2 },
    redis: { redis: 6 },
    "wordpress-ha": { mariadb: 3, glusterfs: 3, memcached: 2, wordpress: 3 },
    nomad: { "consul-server": 3, "nomad-server": 3, "nomad-client": 3 },
    // 2 regions × (24 web + 4 memcached + 2 NDB management + 4 NDB data + 4 SQL + 3 GlusterFS) = 82
    "wordpress-multiregion": { wordpress: 48, memcached: 8, "ndb-mgmt": 4, "ndb-data": 8, mysql: 8, glusterfs: 6 },
    // core: 1 bastion + 3 controllers + 3 ZooKeeper + 3 etcd + 3 PostgreSQL + 2 masters + 16 workers = 31;
    // 3 input regions × (5 brokers + 2 ingest) = 21 → 52
    "iot-pipeline": { bastion: 1, "kafka-controller": 3, zookeeper: 3, etcd: 3, patroni: 3, "spark-master": 2, "spark-worker": 16, "kafka-broker": 15, "iot-ingest": 6 },
};

/** Node counts by role of a resolved plan. */
export function countsByRole(plan: ResolvedPlan): Record<string, number> {
    const out: Record<string, number> = {};
    for (const n of plan.nodes) out[n.role] = (out[n.role] ?? 0) + 1;
    return out;
}
