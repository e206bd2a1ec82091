import type { PlanSource } from "../plan/resolve-plan";
import { renderTemplate } from "../templates/render";

/** Bundled templates live in templates/ at the package root. */
export { TEMPLATES_DIR } from "../templates/load";

/**
 * The plan of a bundled template (`lct:template`) with parameter overrides (`lct:parameters`,
 * typed values or strings as `pulumi config set --path` stores them), rendered against the
 * bundled catalogue — the one LinodeCluster validates with. Throws UnknownTemplateError or
 * TemplateParameterError with a message naming the template, parameter and allowed range.
 */
export function templatePlan(name: string, parameters: Record<string, unknown>): PlanSource {
    return renderTemplate(name, parameters).plan;
}
