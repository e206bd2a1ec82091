import { bundledCatalog } from "../catalog/load";
import type { Catalog } from "../catalog/types";
import type { ClusterPlanInput } from "../plan/schema";
import { expand, ExpansionError } from "./expand";
import type { TemplateFile } from "./format";
import { loadTemplate } from "./load";
import { resolveParameters, TemplateParameterError, type ParameterIssue, type ParameterValues } from "./parameters";

export interface RenderOptions {
    /** Catalogue that region, type and image parameters are checked against (default: bundled). */
    catalog?: Catalog;
    /** Directory of the templates, when a template is named (default: templates/). */
    dir?: string;
}

export interface RenderedTemplate {
    template: TemplateFile;
    /** Every parameter's value: defaults with the overrides applied. */
    parameters: ParameterValues;
    /** A normal ClusterPlan, with `template: {name, version, parameters}` set. */
    plan: ClusterPlanInput;
}

/**
 * Renders a template (or a template name) with parameter overrides into a ClusterPlan. Pure
 * apart from reading the template file. Throws TemplateParameterError for refused overrides
 * (every issue at once); the plan itself is checked by the normal plan validation afterwards.
 */
export function renderTemplate(template: TemplateFile | string, overrides: Readonly<Record<string, unknown>> = {}, opts: RenderOptions = {}): RenderedTemplate {
    const t = typeof template === "string" ? loadTemplate(template, opts.dir) : template;
    const parameters = resolveParameters(t, overrides, opts.catalog ?? bundledCatalog);
    let body: unknown;
    try {
        body = expand(t.plan, parameters);
    } catch (e) {
        // The body was checked when the template was loaded; what is left is a template bug.
        if (e instanceof ExpansionError) throw new TemplateParameterError(t.name, [{ parameter: "", message: `${e.message} (a bug in the template)` }]);
        throw e;
    }
    const quorum = quorumIssues(t, body);
    if (quorum.length > 0) throw new TemplateParameterError(t.name, quorum);
    const plan = { ...(body as Record<string, unknown>), template: { name: t.name, version: t.version, parameters: structuredClone(parameters) } } as ClusterPlanInput;
    return { template: t, parameters, plan };
}

/** Node counts per role, over every region, from a plan body (groups without a role play their name). */
export function roleCounts(plan: unknown): Map<string, number> {
    const counts = new Map<string, number>();
    const regions = (plan as { regions?: unknown }).regions;
    for (const region of Array.isArray(regions) ? regions : []) {
        const groups = (region as { nodeGroups?: unknown }).nodeGroups;
        for (const g of Array.isArray(groups) ? (groups as Array<Record<string, unknown>>) : []) {
            const role = typeof g.role === "string" ? g.role : typeof g.name === "string" ? g.name : undefined;
            if (role !== undefined && typeof g.count === "number") counts.set(role, (counts.get(role) ?? 0) + g.count);
        }
    }
    return counts;
}

/**
 * Quorum roles need a majority alive: an odd number of members, at least 3. Single-group
 * roles are already held to it by their `odd` parameters; this covers sums (a role spread
 * over several groups or regions).
 */
function quorumIssues(t: TemplateFile, body: unknown): ParameterIssue[] {
    const counts = roleCounts(body);
    const issues: ParameterIssue[] = [];
    for (const [role, spec] of Object.entries(t.roles)) {
        if (spec.quorum !== "majority") continue;
        const n = counts.get(role) ?? 0;
        if (n > 0 && (n < 3 || n % 2 === 0)) {
            issues.push({ parameter: "", message: `role ${role} would have ${n} node(s); its quorum needs a majority, so an odd number of at least 3 (3, 5, 7 …)` });
        }
    }
    return issues;
}
