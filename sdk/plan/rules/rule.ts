import type { CatalogIndex } from "../../catalog/catalog-index";
import type { PlanIssue } from "../issues";
import type { ResolvedPlan } from "../resolved";
import type { ClusterPlan } from "../schema";

/**
 * A validation rule. Phases run in order:
 * - `raw`: on the parsed document before the schema passes (defensive; single-field checks
 *   such as catalogue lookups, so they are reported together with structural errors);
 * - `plan`: on the schema-valid plan — or, when the schema rejects parts of it, on the rest
 *   (see salvage.ts), so that every problem is reported at once;
 * - `resolved`: on the plan and its normalized form (labels, limits, sizes of what will be built).
 */
export type PlanRule =
    | { id: string; phase: "raw"; check(ctx: { raw: unknown; catalog: CatalogIndex }): PlanIssue[] }
    | {
          id: string;
          phase: "plan";
          /**
           * Judges relations between parts of the plan (references): skipped while parts the schema
           * rejected are set aside, since a reference to a set-aside group is not a real problem.
           */
          wholePlan?: boolean;
          check(ctx: { plan: ClusterPlan; catalog: CatalogIndex }): PlanIssue[];
      }
    | {
          id: string;
          phase: "resolved";
          check(ctx: { plan: ClusterPlan; resolved: ResolvedPlan; catalog: CatalogIndex }): PlanIssue[];
      };

/** Walks every node group of a plan with its path. */
export function forEachGroup(
    plan: ClusterPlan,
    fn: (g: ClusterPlan["regions"][number]["nodeGroups"][number], path: string, region: ClusterPlan["regions"][number], ri: number) => void,
): void {
    plan.regions.forEach((r, ri) => r.nodeGroups.forEach((g, gi) => fn(g, `regions[${ri}].nodeGroups[${gi}]`, r, ri)));
}
