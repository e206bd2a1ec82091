import { checkPlanFile, checkPlanValue, CheckOptions, PlanCheck } from "./check";
import { PlanValidationError } from "./plan-error";
import type { ResolvedPlan } from "./resolved";
import type { ClusterPlanInput } from "./schema";

/** A plan as code accepts it: a plan object, a path to a YAML/JSON file, or an already resolved plan. */
export type PlanSource = ClusterPlanInput | string | ResolvedPlan;

export function isResolvedPlan(p: unknown): p is ResolvedPlan {
    return typeof p === "object" && p !== null && (p as ResolvedPlan).schemaVersion === 1 && Array.isArray((p as ResolvedPlan).nodes);
}

/**
 * Validates and normalizes a plan; throws PlanValidationError listing every error, or
 * PlanInputError when a file cannot be read as a plan. Warnings are returned, not thrown.
 */
export function resolvePlan(source: PlanSource, opts: CheckOptions = {}): { resolved: ResolvedPlan; check?: PlanCheck } {
    if (isResolvedPlan(source)) return { resolved: source };
    const check = typeof source === "string" ? checkPlanFile(source, opts) : checkPlanValue(source, opts);
    if (!check.ok || !check.resolved) throw new PlanValidationError(check.issues, typeof source === "string" ? source : undefined);
    return { resolved: check.resolved, check };
}
