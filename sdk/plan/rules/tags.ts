import { tagProblem } from "../../naming/tags";
import { error, PlanIssue } from "../issues";
import { forEachGroup, PlanRule } from "./rule";

/** The plan's own tags must follow Linode's tag rules (3–50 characters). */
export const planTags: PlanRule = {
    id: "tags",
    phase: "plan",
    check({ plan }) {
        const issues: PlanIssue[] = [];
        const check = (tags: readonly string[] | undefined, path: string) =>
            (tags ?? []).forEach((t, i) => {
                const p = tagProblem(t);
                if (p) issues.push(error("tags", `${path}[${i}]`, p));
                if (t.startsWith("lct:")) issues.push(error("tags.reserved", `${path}[${i}]`, `tags starting with "lct:" are reserved for LCT's own tags`));
            });
        check(plan.tags, "tags");
        plan.regions.forEach((r, i) => check(r.tags, `regions[${i}].tags`));
        forEachGroup(plan, (g, path) => check(g.tags, `${path}.tags`));
        (plan.loadBalancers ?? []).forEach((lb, i) => check(lb.tags, `loadBalancers[${i}].tags`));
        return issues;
    },
};

/** LCT's derived tags (lct:role=<role>, lct:group=<group>, …) must fit too. */
export const derivedTags: PlanRule = {
    id: "tags.derived",
    phase: "resolved",
    check({ resolved }) {
        const issues: PlanIssue[] = [];
        const seen = new Set<string>();
        const report = (tags: readonly string[], path: string) => {
            for (const t of tags) {
                if (!t.startsWith("lct:") || seen.has(t)) continue;
                seen.add(t);
                const p = tagProblem(t);
                if (p) issues.push(error("tags.derived", path, `${p} (derived from this name; shorten it)`));
            }
        };
        report([resolved.clusterTag], "name");
        for (const g of resolved.groups) report(g.tags, g.path);
        return issues;
    },
};

