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
import { countsByRole, DEFAULT_ROLE_COUNTS, INTER_NODE_PORTS, MAJORITY_ROLES, overlaps, parseDocumentedPort, resolved, TEMPLATE_NAMES } from "./support";

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
        for (const rule of r.plan.access.filter((a) => a.purpose !== "ssh" && a.purpose !== "load-balancer")) {
            const g = r.plan.groups.find((x) => x.key === rule.group)!;
            const doc = r.template.roles[g.role]!;
            const memberOnly = [
                ...doc.ports.members.map(parseDocumentedPort),
                ...(INTER_NODE_PORTS[g.role] ?? []).map(parseDocumentedPort),
            ].filter((m) => m.protocol === rule.protocol);
            const touches = memberOnly.filter((m) => rule.ports.some((p) => overlaps(p, m)));
            if (touches.length === 0) continue;
            const what = `${rule.group} ${rule.purpose} ${rule.name} ${rule.ports.map((p) => `${p.from}-${p.to}`).join(",")}/${rule.protocol}`;
            expect(rule.sources.world, `${what} is open to the world`).toBe(false);
            expect(rule.sources.cidrs, `${what} is open to networks`).toEqual([]);
            expect(rule.sources.groups.length, `${what} has no member source`).toBeGreaterThan(0);
        }
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
