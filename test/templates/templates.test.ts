/**
 * Every bundled template (iterated over templates/, so a new one is covered): its defaults
 * render into a plan that validates and normalizes; its roles, counts, quorum sizes and ports
 * are what the template documents and what the stacks need; every branch of its parameters
 * renders a valid plan; and the YAML `lct templates init` writes is that same plan.
 */
import { describe, expect, it } from "vitest";
import { FIREWALL_MAX_RULES, groupFirewallRules } from "../../sdk/network/firewall-rules";
import { checkPlanText, checkPlanValue } from "../../sdk/plan/check";
import { renderPlanYaml, roleCounts, servicePorts } from "../../sdk/templates";
import { renderTemplate } from "../../sdk/templates/render";
import { canReach, CLIENT_FACING_EXCEPTIONS, countsByRole, DEFAULT_ROLE_COUNTS, INTER_NODE_PORTS, MAJORITY_ROLES, memberOnlyLeaks, overlaps, parseDocumentedPort, resolved, TEMPLATE_NAMES } from "./support";

describe("the bundled templates", () => {
    it("are the issue's stacks, the original toolkit's two examples and the quickstart", () => {
        expect(TEMPLATE_NAMES).toEqual(
            expect.arrayContaining([
                "kafka",
                "spark",
                "hadoop",
                "cassandra",
                "opensearch",
                "zookeeper",
                "patroni",
                "redis",
                "wordpress-ha",
                "nomad",
                "wordpress-multiregion",
                "iot-pipeline",
                "quickstart",
            ]),
        );
    });

    it("give the original toolkit's example clusters exactly 82 and 52 nodes", () => {
        expect(resolved("wordpress-multiregion").plan.nodes).toHaveLength(82);
        expect(resolved("iot-pipeline").plan.nodes).toHaveLength(52);
        // Cross-region: a NodeBalancer per region; Block Storage; high-memory nodes.
        const wp = resolved("wordpress-multiregion").plan;
        expect(wp.regions.map((r) => r.id)).toEqual(["us-ord", "us-iad"]);
        expect(wp.loadBalancers.map((lb) => lb.region)).toEqual(["us-ord", "us-iad"]);
        const iot = resolved("iot-pipeline").plan;
        expect(iot.regions).toHaveLength(4);
        expect(iot.loadBalancers).toHaveLength(3);
        expect(iot.groups.filter((g) => g.type.startsWith("g7-highmem")).map((g) => g.role)).toEqual(["spark-worker"]);
        for (const p of [wp, iot]) expect(p.volumes.length).toBeGreaterThan(0);
    });
});

describe.each(TEMPLATE_NAMES)("template %s", (name) => {
    it("renders its defaults into a plan that validates without errors and normalizes", () => {
        const r = resolved(name);
        expect(r.check.issues.filter((i) => i.severity === "error")).toEqual([]);
        expect(r.plan.template).toEqual({ name, version: r.template.version, parameters: r.rendered.parameters });
        expect(r.plan.name).toBe(r.rendered.parameters.name);
        // Defaults are the declared defaults.
        for (const [p, spec] of Object.entries(r.template.parameters)) expect(r.rendered.parameters[p], p).toEqual(spec.default);
    });

    it("has the expected node count for every role", () => {
        const r = resolved(name);
        const expected = DEFAULT_ROLE_COUNTS[name] ?? Object.fromEntries(roleCounts(r.rendered.plan));
        expect(countsByRole(r.plan)).toEqual(expected);
    });

    it("documents every role it uses, and only ports the role table lists", () => {
        const r = resolved(name);
        for (const g of r.plan.groups) {
            const doc = r.template.roles[g.role];
            expect(doc, `group ${g.key}: role ${g.role} is not in the template's roles`).toBeDefined();
            const documented = [...doc!.ports.members, ...doc!.ports.clients].map(parseDocumentedPort);
            for (const s of g.services) {
                for (const range of s.ports) {
                    const covered = coveredBy(range, documented.filter((d) => d.protocol === s.protocol));
                    expect(covered, `${g.key} service ${s.name} ${range.from}-${range.to}/${s.protocol} is not in roles.${g.role}.ports`).toBe(true);
                }
            }
            const balancer = doc!.ports.balancer.map(parseDocumentedPort);
            for (const lb of r.plan.loadBalancers) {
                for (const l of lb.listeners.filter((x) => x.target.group === g.key)) {
                    expect(balancer.some((b) => b.from <= l.target.port && l.target.port <= b.to), `${g.key}: NodeBalancer target ${l.target.port} not in roles.${g.role}.ports.balancer`).toBe(true);
                }
            }
            expect(servicePorts(r.plan, g.key).length).toBe(g.services.reduce((n, s) => n + s.ports.length, 0));
        }
    });

    it("opens member-only ports to cluster members only: never to the world or client networks", () => {
        const r = resolved(name);
        expect(memberOnlyLeaks(name, r.plan, (role) => r.template.roles[role]!.ports.members)).toEqual([]);
        for (const g of r.plan.groups) expect(g.publicPorts, `${g.key} has public ports`).toEqual([]);
    });

    it("keeps majority quorums odd and at least 3", () => {
        const r = resolved(name);
        const counts = countsByRole(r.plan);
        const quorumRoles = new Set([...MAJORITY_ROLES, ...Object.entries(r.template.roles).filter(([, s]) => s.quorum === "majority").map(([role]) => role)]);
        for (const role of quorumRoles) {
            const n = counts[role];
            if (n === undefined) continue;
            expect(n % 2, `${role}: ${n} nodes`).toBe(1);
            expect(n, role).toBeGreaterThanOrEqual(3);
        }
    });

    it("keeps every group's Cloud Firewall within 25 rules, and uses VPCs", () => {
        const r = resolved(name);
        for (const g of r.plan.groups) expect(groupFirewallRules(r.plan, g.key).length, g.key).toBeLessThanOrEqual(FIREWALL_MAX_RULES);
        // The quickstart shows a private-IPv4 region on purpose; every stack template is VPC-only.
        const privateIp = r.plan.regions.filter((x) => x.privateNetwork !== "vpc").map((x) => x.id);
        expect(privateIp).toEqual(name === "quickstart" ? ["eu-central"] : []);
    });

    it("renders a valid plan on every branch of its parameters (minimums, each flag, each enum value)", () => {
        const r = resolved(name);
        const variants: Array<Record<string, unknown>> = [{}];
        const minimums: Record<string, unknown> = {};
        for (const [p, spec] of Object.entries(r.template.parameters)) {
            if (spec.type === "integer") minimums[p] = spec.min;
            if (spec.type === "boolean") variants.push({ [p]: !spec.default });
            if (spec.type === "enum") for (const v of spec.values) variants.push({ [p]: v });
            if (spec.type === "regions" && spec.minItems < spec.default.length) variants.push({ [p]: spec.default.slice(0, spec.minItems) });
        }
        variants.push(minimums);
        for (const v of variants) {
            const plan = renderTemplate(name, v).plan;
            const check = checkPlanValue(plan);
            expect(
                check.issues.filter((i) => i.severity === "error").map((i) => `${i.path}: ${i.message}`),
                `${name} with ${JSON.stringify(v)}`,
            ).toEqual([]);
        }
    });

    it("writes YAML (lct templates init) that is the same plan", () => {
        const r = resolved(name);
        const yaml = renderPlanYaml(r.rendered);
        expect(yaml).toMatch(new RegExp(`^# ClusterPlan rendered from the LCT template ${name} `));
        expect(yaml).not.toMatch(/[&*]a\d/); // no YAML anchors: a plain, editable file
        const again = checkPlanText(yaml, { file: "plan.yaml" });
        expect(again.ok).toBe(true);
        expect(again.resolved).toEqual(r.plan);
    });
});

describe("the client-facing exceptions to §9's inter-node ports", () => {
    const entries = Object.entries(CLIENT_FACING_EXCEPTIONS).flatMap(([template, roles]) =>
        Object.entries(roles).flatMap(([role, ports]) => Object.entries(ports).map(([port, reason]) => ({ template, role, port, reason }))),
    );

    it("are each an inter-node port of §9, client-facing in the template's role table and opened to the client networks, with a reason", () => {
        expect(entries.length).toBeGreaterThan(0);
        for (const e of entries) {
            const what = `${e.template} ${e.role} ${e.port}`;
            expect(TEMPLATE_NAMES, what).toContain(e.template);
            expect((INTER_NODE_PORTS[e.role] ?? []).map(String), `${what}: not an inter-node port, so no exception is needed`).toContain(e.port);
            expect(e.reason.length, what).toBeGreaterThan(20);
            const r = resolved(e.template);
            expect(r.template.roles[e.role]!.ports.clients.map(String), `${what}: not in the role's client-facing ports`).toContain(e.port);
            // Still used: some rule of the role opens it to the client networks (else drop the exception).
            const port = parseDocumentedPort(e.port);
            const groups = r.plan.groups.filter((g) => g.role === e.role).map((g) => g.key);
            const open = r.plan.access.some((a) => groups.includes(a.group) && a.sources.cidrs.length > 0 && a.ports.some((p) => overlaps(p, port)));
            expect(open, `${what}: no rule opens it to the client networks`).toBe(true);
        }
    });

    it("are the only inter-node ports a template may open to clients (the check fails on anything else)", () => {
        // HDFS DataNode IPC (9867) is inter-node with no exception: opening it to clients is caught.
        const hadoop = resolved("hadoop");
        const plan = structuredClone(hadoop.rendered.plan) as any;
        const worker = plan.regions[0].nodeGroups.find((g: any) => g.role === "hadoop-datanode");
        worker.services.find((s: any) => s.ports.includes(9867)).from.push("clients");
        const leaks = memberOnlyLeaks("hadoop", checkPlanValue(plan).resolved!, (role) => hadoop.template.roles[role]!.ports.members);
        expect(leaks.join("\n")).toMatch(/us-ord\/worker service datanode-ipc 9867-9867\/tcp is open to networks 198\.51\.100\.0\/24/);
        // An exception belongs to its template: the same Spark plan checked as another template leaks 7077.
        const spark = resolved("spark");
        expect(memberOnlyLeaks("kafka", spark.plan, (role) => spark.template.roles[role]!.ports.members).join("\n")).toMatch(/spark-master 7077-7077\/tcp is open to networks/);
    });
});

describe("Kafka brokers form one cluster", () => {
    it.each(["kafka", "iot-pipeline"])("%s: every broker reaches every other broker on 9092, and every controller on 9093", (name) => {
        const plan = resolved(name).plan;
        const brokers = plan.groups.filter((g) => g.role === "kafka-broker").map((g) => g.key);
        const controllers = plan.groups.filter((g) => g.role === "kafka-controller").map((g) => g.key);
        expect(brokers.length).toBeGreaterThan(0);
        expect(controllers.length).toBeGreaterThan(0);
        for (const from of brokers) {
            for (const to of brokers) expect(canReach(plan, from, to, 9092), `${from} → ${to} on 9092`).toBe(true);
            for (const to of controllers) expect(canReach(plan, from, to, 9093), `${from} → ${to} on 9093`).toBe(true);
        }
        for (const from of controllers) for (const to of controllers) expect(canReach(plan, from, to, 9093), `${from} → ${to} on 9093`).toBe(true);
    });

    it("iot-pipeline: with one input region too, and the role tables say 9092 is inter-broker", () => {
        const plan = resolved("iot-pipeline", { inputRegions: ["us-iad"] }).plan;
        expect(canReach(plan, "us-iad/broker", "us-iad/broker", 9092)).toBe(true);
        const wide = resolved("iot-pipeline", { inputRegions: ["us-iad", "us-sea", "de-fra-2", "fr-par"] }).plan;
        expect(canReach(wide, "fr-par/broker", "us-iad/broker", 9092)).toBe(true);
        expect(canReach(wide, "us-iad/ingest", "fr-par/broker", 9092)).toBe(false); // ingest gateways write to their own region only
    });
});

/** Whether the union of `pieces` covers every port of `range` (normalization merges 4567 and 4568 into 4567-4568). */
function coveredBy(range: { from: number; to: number }, pieces: ReadonlyArray<{ from: number; to: number }>): boolean {
    let next = range.from;
    while (next <= range.to) {
        const piece = pieces.find((p) => p.from <= next && next <= p.to);
        if (!piece) return false;
        next = piece.to + 1;
    }
    return true;
}
