import { LABEL_RULES, labelProblem } from "../../naming/labels";
import { error, PlanIssue } from "../issues";
import type { PlanRule } from "./rule";

/**
 * Every label LCT will send to Linode must be valid. Problems are reported at the plan field
 * the label is derived from, once per cause (not once per node).
 */
export const derivedLabels: PlanRule = {
    id: "labels",
    phase: "resolved",
    check({ resolved }) {
        const issues: PlanIssue[] = [];
        const reported = new Set<string>();
        const check = (label: string, rule: (typeof LABEL_RULES)[keyof typeof LABEL_RULES], path: string) => {
            const p = labelProblem(label, rule);
            if (p && !reported.has(`${path}|${rule.kind}`)) {
                reported.add(`${path}|${rule.kind}`);
                issues.push(error("labels", path, `produces a name Linode refuses: ${p}`));
            }
        };
        // Lookups by name and key: plans have up to 10,000 nodes (a find per group or volume is quadratic).
        // First match wins, as with find.
        const nodeByName = new Map<string, (typeof resolved.nodes)[number]>();
        for (const n of resolved.nodes) if (!nodeByName.has(n.name)) nodeByName.set(n.name, n);
        const pathOf = new Map<string, string>();
        for (const g of resolved.groups) if (!pathOf.has(g.key)) pathOf.set(g.key, g.path);
        const groupPath = (key: string) => pathOf.get(key) ?? "";
        for (const g of resolved.groups) {
            // The longest index gives the longest label; check the last node of each group.
            const last = nodeByName.get(g.nodes[g.nodes.length - 1]!);
            if (last) check(last.label, LABEL_RULES.linode, `${g.path}.name`);
            for (const pg of g.placementGroups ?? []) check(pg.label, LABEL_RULES.placementGroup, `${g.path}.antiAffinity`);
        }
        for (const v of resolved.volumes) check(v.label, LABEL_RULES.volume, groupPath(v.group) + ".storage");
        for (const f of resolved.firewalls) check(f.label, LABEL_RULES.firewall, groupPath(f.groups[0]!));
        resolved.loadBalancers.forEach((lb, i) => {
            check(lb.label, LABEL_RULES.nodeBalancer, `loadBalancers[${i}].name`);
        });
        resolved.regions.forEach((r, i) => {
            if (r.vpc) {
                check(r.vpc.label, LABEL_RULES.vpc, `regions[${i}].region`);
                check(r.vpc.subnetLabel, LABEL_RULES.vpc, `regions[${i}].region`);
            }
        });
        const seen = new Map<string, string>();
        for (const n of resolved.nodes) {
            const other = seen.get(n.label.toLowerCase());
            if (other) issues.push(error("labels.unique", groupPath(n.group), `node label ${n.label} is also produced by ${other}`));
            seen.set(n.label.toLowerCase(), n.group);
        }
        return issues;
    },
};
