import type { Catalog } from "../catalog/types";
import { money } from "../cli/render/format";
import { CostEstimate, estimateCost, Money } from "../cost/estimate";
import type { PlanIssue } from "../plan/issues";
import { planTotals, PlanTotals } from "../plan/totals";
import { firewallMatrix, MatrixRow, renderFirewallMatrix } from "./firewall-matrix";
import { isUnknown, withoutSecrets } from "./mock-runtime";
import { programLogIssues } from "./program-logs";
import { countByType, renderResourceTree, resourceTree } from "./resource-tree";
import { shortType } from "./resource-summary";
import type { PreviewRun } from "./run-preview";

export interface PreviewReport {
    cluster: string;
    /** The component (= stack) name the resources are named after. */
    name: string;
    totals: PlanTotals;
    resourceCounts: Array<[string, number]>;
    resourceTotal: number;
    firewall: MatrixRow[];
    cost: CostEstimate;
    /** The plan's warnings, the preview's own, then what the program logged (severity error included). */
    warnings: PlanIssue[];
}

export function previewReport(run: PreviewRun, catalog: Catalog, warnings: PlanIssue[]): PreviewReport {
    return {
        cluster: run.plan.name,
        name: run.name,
        totals: planTotals(run.plan, catalog),
        resourceCounts: countByType(run.resources),
        resourceTotal: run.resources.length,
        firewall: firewallMatrix(run.plan),
        cost: estimateCost(run.plan, catalog),
        warnings: [...warnings, ...programLogIssues(run.logs)],
    };
}

const perMonth = (m: Money) => (m.monthly === null ? "?" : `$${m.monthly.toFixed(2)}`);
const perHour = (m: Money) => (m.hourly === null ? "?" : `$${m.hourly.toFixed(4)}`);

/** Per group (nodes × price, volumes) and per NodeBalancer, monthly and hourly, then the total. */
export function renderCostTable(cost: CostEstimate): string {
    const rows: string[][] = [
        ["", "", "per node", "compute", "volumes", "monthly", "hourly"],
        ...cost.groups.map((g) => [
            g.group,
            `${g.nodes} node${g.nodes === 1 ? "" : "s"}`,
            perMonth(g.perNode),
            perMonth(g.compute),
            g.volumesGb ? `${g.volumesGb} GB ${perMonth(g.volumes)}` : "-",
            perMonth(g.total),
            perHour(g.total),
        ]),
        ...cost.loadBalancers.map((l) => [`NodeBalancer ${l.name}`, l.region, "", "", "", perMonth(l.cost), perHour(l.cost)]),
    ];
    const w = (i: number) => Math.max(...rows.map((r) => r[i]!.length));
    const right = new Set([2, 3, 4, 5, 6]);
    const fmt = (r: string[]) => `  ${r.map((c, i) => (right.has(i) ? c.padStart(w(i)) : c.padEnd(w(i)))).join("  ")}`.trimEnd();
    return [
        ...rows.map(fmt),
        `  total: ${money(cost.total)}${cost.unpriced.length ? ` — no price for ${cost.unpriced.join(", ")}` : ""}`,
        `  (catalogue of ${cost.catalogDate}, region prices applied; Linode bills hourly up to the monthly price)`,
    ].join("\n");
}

export function renderFirewallMatrixText(report: PreviewReport): string {
    return renderFirewallMatrix(report.firewall);
}

/** The human-readable preview. */
export function renderPreviewText(run: PreviewRun, report: PreviewReport, opts: { maxRun: number }): string {
    const t = report.totals;
    return [
        `Preview of cluster "${report.cluster}": ${plural(t.nodes, "node")} in ${plural(t.groups, "group")} across ${plural(t.regions, "region")} (no Linode API was called)`,
        "",
        `Resources the stack would create: ${report.resourceTotal} (named after "${report.name}"; Pulumi also counts the stack itself: ${report.resourceTotal + 1})`,
        ...report.resourceCounts.map(([type, n]) => `  ${String(n).padStart(6)}  ${type}`),
        "",
        renderResourceTree(resourceTree(run.resources), opts),
        "",
        "Who may reach what (Cloud Firewall and host firewall; everything else is dropped):",
        renderFirewallMatrix(report.firewall),
        "",
        "Cost:",
        renderCostTable(report.cost),
        ...(report.warnings.length ? ["", "Warnings:", ...report.warnings.map((w) => `  ${w.severity === "error" ? "error: " : ""}${w.path ? `${w.path}: ` : ""}${w.message}`)] : []),
    ].join("\n");
}

/** Machine-readable preview: resources with their inputs, secrets redacted. */
export function previewJson(run: PreviewRun, report: PreviewReport): unknown {
    const nameOf = new Map(run.resources.map((r) => [r.urn, r.name]));
    return {
        ...report,
        resourceCounts: Object.fromEntries(report.resourceCounts),
        resources: run.resources.map((r) => ({
            type: r.type,
            shortType: shortType(r.type),
            name: r.name,
            parent: nameOf.get(r.parent) ?? null,
            protect: r.protect,
            retainOnDelete: r.retainOnDelete,
            inputs: showUnknowns(withoutSecrets(publicInputs(r.inputs))),
        })),
    };
}

/** Inputs worth showing: a dynamic resource's `__provider` is its serialized code, not configuration. */
function publicInputs(inputs: Record<string, unknown>): Record<string, unknown> {
    if (!("__provider" in inputs)) return inputs;
    const { __provider: _code, ...rest } = inputs;
    return rest;
}

/** Values the provider computes at create time, spelled out for readers of the JSON. */
function showUnknowns(v: unknown): unknown {
    if (isUnknown(v)) return "(known after create)";
    if (Array.isArray(v)) return v.map(showUnknowns);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, showUnknowns(x)]));
    return v;
}

function plural(n: number, noun: string): string {
    return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
