import { MAX_PLAN_GROUPS, MAX_PLAN_NODES } from "../limits";
import { error, PlanIssue } from "../issues";
import type { PlanRule } from "./rule";

/** Totals LCT can plan for (sdk/plan/limits.ts); checked before normalization creates every node. */
export const planSize: PlanRule = {
    id: "plan-size",
    phase: "plan",
    check({ plan }) {
        const issues: PlanIssue[] = [];
        const groups = plan.regions.flatMap((r) => r.nodeGroups);
        const nodes = groups.reduce((sum, g) => sum + g.count, 0);
        if (nodes > MAX_PLAN_NODES) {
            issues.push(
                error("plan-size", "regions", `the plan has ${nodes.toLocaleString("en-US")} nodes; LCT plans at most ${MAX_PLAN_NODES.toLocaleString("en-US")} per cluster (split it into several plans)`),
            );
        }
        if (groups.length > MAX_PLAN_GROUPS) {
            issues.push(error("plan-size", "regions", `the plan has ${groups.length} node groups; LCT plans at most ${MAX_PLAN_GROUPS} per cluster`));
        }
        return issues;
    },
};
