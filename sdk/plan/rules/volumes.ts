import { maxVolumesPerLinode } from "../../catalog/catalog-index";
import { error, PlanIssue } from "../issues";
import { DEFAULTS } from "../normalize/normalize";
import { forEachGroup, PlanRule } from "./rule";

/** Volumes per Linode: RAM in GB, at least 8 and at most 64 (linode-api.md §5). */
export const volumeLimits: PlanRule = {
    id: "volumes",
    phase: "plan",
    check({ plan, catalog }) {
        const issues: PlanIssue[] = [];
        forEachGroup(plan, (g, path) => {
            const type = catalog.type(g.type ?? plan.defaults?.type ?? DEFAULTS.type);
            const n = (g.storage ?? []).length;
            if (!type || n === 0) return;
            const max = maxVolumesPerLinode(type);
            if (n > max) {
                issues.push(error("volumes.per-linode", `${path}.storage`, `${n} volumes per node, but a ${type.id} can attach at most ${max}`));
            }
        });
        return issues;
    },
};
