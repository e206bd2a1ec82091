import type { Catalog } from "../catalog/types";
import { money } from "../cli/render/format";
import { CostEstimate, estimateCost } from "../cost/estimate";
import type { PlanIssue } from "../plan/issues";
import { planTotals, PlanTotals } from "../plan/totals";
import { firewallMatrix, MatrixRow, renderFirewallMatrix } from "./firewall-matrix";
import { isUnknown, withoutSecrets } from "./mock-runtime";
import { countByType, renderResourceTree, resourceTree } from "./resource-tree";
import { shortType } from "./resource-summary";
import type { PreviewRun } from "./run-preview";

export interface PreviewReport {
    cluster: string;
    totals: PlanTotals;
    resourceCounts: Array<[string, number]>;
    resourceTotal: number;
    firewall: MatrixRow[];
    cost: CostEstimate;
    warnings: PlanIssue[];
}

export function previewReport(run: PreviewRun, catalog: Catalog, warnings: PlanIssue[]): PreviewReport {
    return {
        cluster: run.plan.name,
        totals: planTotals(run.plan, catalog),
        resourceCounts: countByType(run.resources),
        resourceTotal: run.resources.length,
        firewall: firewallMatrix(run.plan),
        cost: estimateCost(run.plan, catalog),
        warnings,
    };
}

export function renderCostTable(cost: CostEstimate): string {
    const rows = [
        ...cost.groups.map((g) => [g.group, `${g.nodes} node${g.nodes === 1 ? "" : "s"}`, money(g.compute), g.volumesGb ? `+ ${g.volumesGb} GB volumes ${money(g.volumes)}` : ""]),
        ...cost.loadBalancers.map((l) => [`NodeBalancer ${l.name}`, l.region, money(l.cost), ""]),
    ];
    const w = (i: number) => Math.max(...rows.map((r) => r[i]!.length));
    return [
        ...rows.map((r) => `  ${r[0]!.padEnd(w(0))}  ${r[1]!.padEnd(w(1))}  ${r[2]!.padEnd(w(2))}  ${r[3]}`.trimEnd()),
        `  total: ${money(cost.total)}${cost.unpriced.length ? ` — no price for ${cost.unpriced.join(", ")}` : ""} (catalogue of ${cost.catalogDate}; hourly billing is capped at the monthly price)`,
    ].join("\n");
}

export function renderFirewallMatrixText(report: PreviewReport): string {
    return renderFirewallMatrix(report.firewall);
}

/** The human-readable preview. */
export function renderPreviewText(run: PreviewRun, report: PreviewReport, opts: { maxRun: number }): string {
    const t = report.totals;
    return [
        `Preview of cluster "${report.cluster}": ${t.nodes} nodes in ${t.groups} groups across ${t.regions} regions (no Linode API was called)`,
        "",
        `Resources the stack would create: ${report.resourceTotal}`,
        ...report.resourceCounts.map(([type, n]) => `  ${String(n).padStart(6)}  ${type}`),
        "",
        renderResourceTree(resourceTree(run.resources), opts),
        "",
        "Who may reach what (Cloud Firewall and host firewall; everything else is dropped):",
        renderFirewallMatrix(report.firewall),
        "",
        "Cost:",
        renderCostTable(report.cost),
        ...(report.warnings.length ? ["", "Warnings:", ...report.warnings.map((w) => `  ${w.path ? `${w.path}: ` : ""}${w.message}`)] : []),
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
            inputs: showUnknowns(withoutSecrets(r.inputs)),
        })),
    };
}

/** Values the provider computes at create time, spelled out for readers of the JSON. */
function showUnknowns(v: unknown): unknown {
    if (isUnknown(v)) return "(known after create)";
    if (Array.isArray(v)) return v.map(showUnknowns);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, showUnknowns(x)]));
    return v;
}
