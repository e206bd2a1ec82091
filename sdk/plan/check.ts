import { CatalogIndex, indexCatalog } from "../catalog/catalog-index";
import { bundledCatalog } from "../catalog/load";
import type { Catalog } from "../catalog/types";
import { error, formatPath, parsePath, PlanIssue, rewritePaths, sortIssues } from "./issues";
import { isLegacyPlan, legacyKeySuggestion, toLegacyPath, upgradeLegacyPlan } from "./legacy";
import { normalize } from "./normalize/normalize";
import type { Locator } from "./parse-text";
import { parsePlanText } from "./parse-text";
import { readPlanFile } from "./read-source";
import type { ResolvedPlan } from "./resolved";
import { PLAN_RULES, PlanRule } from "./rules";
import { salvage } from "./salvage";
import { ClusterPlan, clusterPlan } from "./schema";
import { schemaIssues } from "./schema-issues";

export interface PlanCheck {
    /** No errors (warnings allowed). */
    ok: boolean;
    /** Every error and warning, sorted, located in the file when there is one. */
    issues: PlanIssue[];
    /** The original toolkit's format was upgraded. */
    legacy: boolean;
    plan?: ClusterPlan;
    resolved?: ResolvedPlan;
}

export interface CheckOptions {
    catalog?: Catalog;
    /** Extra rules (e.g. from hardening) run after the built-in ones. */
    rules?: readonly PlanRule[];
}

/**
 * Validates a plan value (an object from YAML/JSON or code) and, when valid, normalizes it.
 * Never throws for bad input: every problem becomes an issue with its path.
 */
export function checkPlanValue(raw: unknown, opts: CheckOptions & { locate?: Locator } = {}): PlanCheck {
    const catalog = indexCatalog(opts.catalog ?? bundledCatalog);
    const rules = [...PLAN_RULES, ...(opts.rules ?? extraRules)];
    const issues: PlanIssue[] = [];
    let value = raw;
    const legacy = isLegacyPlan(raw);
    if (legacy) {
        const up = upgradeLegacyPlan(raw as Record<string, unknown>, { knownImage: (id) => catalog.image(id) !== undefined });
        issues.push(...up.issues.map((i) => ({ ...i, legacyPath: true })));
        value = up.plan;
    }
    const apply = <T>(rule: PlanRule, ctx: T): PlanIssue[] => {
        try {
            return (rule.check as (c: T) => PlanIssue[])(ctx);
        } catch (e) {
            return [error("internal", "", `rule ${rule.id} failed (a bug in LCT): ${(e as Error).message}`)];
        }
    };
    const run = <T>(rule: PlanRule, ctx: T) => issues.push(...apply(rule, ctx));
    for (const rule of rules) if (rule.phase === "raw") run(rule, { raw: value, catalog });

    const parsed = clusterPlan.safeParse(value);
    let plan: ClusterPlan | undefined;
    let resolved: ResolvedPlan | undefined;
    if (!parsed.success) {
        issues.push(...schemaIssues(parsed.error.issues, clusterPlan, value));
        issues.push(...salvagedIssues(value, rules, apply, catalog));
    } else {
        plan = parsed.data;
        for (const rule of rules) if (rule.phase === "plan") run(rule, { plan, catalog });
        // Normalizing a plan whose references or catalogue entries are broken would only add noise.
        if (countErrors(issues) === 0) {
            try {
                resolved = normalize(plan, catalog.catalog);
                for (const rule of rules) if (rule.phase === "resolved") run(rule, { plan, resolved, catalog });
            } catch (e) {
                issues.push(error("internal", "", `normalization failed (a bug in LCT): ${(e as Error).message}`));
                resolved = undefined;
            }
        }
    }
    const located = issues.map((i) => locate(i, opts.locate, legacy ? raw : undefined));
    const ok = countErrors(located) === 0;
    return { ok, issues: sortIssues(located), legacy, ...(ok && plan ? { plan } : {}), ...(ok && resolved ? { resolved } : {}) };
}

/** Validates plan text (YAML or JSON). Throws PlanInputError when the text cannot be a plan. */
export function checkPlanText(text: string, opts: CheckOptions & { file?: string } = {}): PlanCheck {
    const { value, locate } = parsePlanText(text, opts.file);
    return checkPlanValue(value, { ...opts, locate });
}

/** Validates a plan file. Throws PlanInputError when the file cannot be a plan. */
export function checkPlanFile(file: string, opts: CheckOptions = {}): PlanCheck {
    return checkPlanText(readPlanFile(file), { ...opts, file });
}

/** Rules registered by other capabilities (e.g. hardening's user-data size check). */
const extraRules: PlanRule[] = [];
export function registerPlanRule(rule: PlanRule): void {
    if (!extraRules.some((r) => r.id === rule.id)) extraRules.push(rule);
}

/** The rules registered so far (for tools that run rules one by one, such as bench/plan-validate.ts). */
export function registeredPlanRules(): readonly PlanRule[] {
    return extraRules;
}

function countErrors(issues: readonly PlanIssue[]): number {
    return issues.filter((i) => i.severity === "error").length;
}

/**
 * Plan-rule issues for the parts of a schema-invalid plan that are fine (see salvage.ts), at
 * document paths. Issues touching what was set aside are dropped (the schema's issue says it
 * better), and so are rules about relations when a referable part was set aside.
 */
function salvagedIssues(
    value: unknown,
    rules: readonly PlanRule[],
    apply: (rule: PlanRule, ctx: { plan: ClusterPlan; catalog: CatalogIndex }) => PlanIssue[],
    catalog: CatalogIndex,
): PlanIssue[] {
    const partial = salvage(value, clusterPlan);
    if (!partial) return [];
    const referableRemoved = partial.removed.some((p) => REFERABLE.test(p));
    const within = (inner: string, outer: string) => inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
    return (
        rules
            .filter((r) => r.phase === "plan" && !(r.wholePlan && referableRemoved))
            .flatMap((r) => apply(r, { plan: partial.plan, catalog }))
            .map((i) => ({ ...i, path: partial.originalPath(i.path), message: rewritePaths(i.message, partial.originalPath) }))
            // About something removed, or about what held it ("give soaEmail" once soaEmail is gone): dropped.
            .filter((i) => !partial.removed.some((p) => within(i.path, p) || within(p, i.path)))
            // About a stand-in value itself: dropped; its group is still judged.
            .filter((i) => !partial.replaced.some((p) => within(i.path, p)))
    );
}

/** Parts of a plan that references point at: regions, groups, their names and roles, client networks. */
const REFERABLE = /^(regions(\[\d+\](\.(region|nodeGroups)(\[\d+\](\.(name|role))?)?)?)?|exposure(\.clientCidrs(\[\d+\])?)?)$/;

function locate(issue: PlanIssue & { legacyPath?: boolean }, locator: Locator | undefined, legacyRaw: unknown): PlanIssue {
    const { legacyPath, ...rest } = issue;
    let segments = parsePath(issue.path);
    if (legacyRaw !== undefined && !legacyPath) {
        // Name the legacy document's own keys (nodes, datacenter, plan, distribution).
        const toLegacy = (p: string) => formatPath(toLegacyPath(parsePath(p), legacyRaw));
        segments = toLegacyPath(segments, legacyRaw);
        rest.path = formatPath(segments);
        rest.message = rewritePaths(rest.message, toLegacy);
        // The suggestion was drawn from the current format's keys; a legacy plan's typo aims at legacy ones.
        if (issue.rule === "schema.unknown-key" && !rest.message.includes("did you mean")) rest.message += legacyKeySuggestion(segments);
    }
    if (!locator || !issue.path) return rest;
    const pos = locator(segments, { key: issue.rule === "schema.unknown-key" });
    return pos ? { ...rest, line: pos.line, column: pos.column } : rest;
}
