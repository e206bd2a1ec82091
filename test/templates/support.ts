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
 * Inter-node ports of each stack's roles (hardening-and-stacks.md §9, plus the ports the
 * templates pin): never open to the world or to client networks, whatever a template's role
 * table says. Keyed by role, because a port number means something only on its stack's nodes
 * (24007 is GlusterFS, and also inside a Nomad client's workload range).
 */
export const INTER_NODE_PORTS: Readonly<Record<string, ReadonlyArray<number | string>>> = {
    "kafka-controller": [9093],
    zookeeper: [2888, 3888],
    cassandra: [7000, 7001, 7199],
    "opensearch-manager": [9300],
    "opensearch-data": [9300],
    "hadoop-journalnode": [8485, 8480],
    "hadoop-namenode": [8019],
    "hadoop-resourcemanager": [8030, 8031, 8033],
    "hadoop-datanode": [8041, 13562],
    "spark-worker": [7078],
    etcd: [2379, 2380],
    patroni: [8008],
    redis: [16379],
    mariadb: [3306, 4567, "4567/udp", 4568, 4444],
    memcached: [11211],
    glusterfs: ["24007-24008", "49152-49251"],
    "ndb-mgmt": [1186],
    "ndb-data": [2202],
    mysql: [3306],
    "nomad-server": [4647, 4648, "4648/udp", 8301, "8301/udp"],
    "nomad-client": [8301, "8301/udp"],
    "consul-server": [8300, 8301, "8301/udp", 8302, "8302/udp"],
};

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
