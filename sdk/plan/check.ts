import { indexCatalog } from "../catalog/catalog-index";
import { bundledCatalog } from "../catalog/load";
import type { Catalog } from "../catalog/types";
import { error, parsePath, PlanIssue, sortIssues } from "./issues";
import { isLegacyPlan, toLegacyPath, upgradeLegacyPlan } from "./legacy";
import { normalize } from "./normalize/normalize";
import type { Locator } from "./parse-text";
import { parsePlanText } from "./parse-text";
import { readPlanFile } from "./read-source";
import type { ResolvedPlan } from "./resolved";
import { PLAN_RULES, PlanRule } from "./rules";
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
        const up = upgradeLegacyPlan(raw as Record<string, unknown>);
        issues.push(...up.issues.map((i) => ({ ...i, legacyPath: true })));
        value = up.plan;
    }
    const run = <T>(rule: PlanRule, ctx: T) => {
        try {
            issues.push(...(rule.check as (c: T) => PlanIssue[])(ctx));
        } catch (e) {
            issues.push(error("internal", "", `rule ${rule.id} failed (a bug in LCT): ${(e as Error).message}`));
        }
    };
    for (const rule of rules) if (rule.phase === "raw") run(rule, { raw: value, catalog });

    const parsed = clusterPlan.safeParse(value);
    let plan: ClusterPlan | undefined;
    let resolved: ResolvedPlan | undefined;
    if (!parsed.success) {
        issues.push(...schemaIssues(parsed.error.issues, clusterPlan, value));
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
    const located = issues.map((i) => locate(i, opts.locate, legacy));
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

function countErrors(issues: readonly PlanIssue[]): number {
    return issues.filter((i) => i.severity === "error").length;
}

function locate(issue: PlanIssue & { legacyPath?: boolean }, locator: Locator | undefined, legacy: boolean): PlanIssue {
    const { legacyPath, ...rest } = issue;
    if (!locator || !issue.path) return rest;
    const segments = parsePath(issue.path);
    const pos = locator(legacy && !legacyPath ? toLegacyPath(segments) : segments, { key: issue.rule === "schema.unknown-key" });
    return pos ? { ...rest, line: pos.line, column: pos.column } : rest;
}
