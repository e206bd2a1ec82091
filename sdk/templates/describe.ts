import { bundledCatalog } from "../catalog/load";
import type { Catalog } from "../catalog/types";
import { estimateCost } from "../cost/estimate";
import { checkPlanValue } from "../plan/check";
import { formatPorts } from "../network/ports";
import type { ResolvedPlan } from "../plan/resolved";
import { offeredBootstrap } from "./bootstrap";
import type { TemplateFile } from "./format";
import { describeAllowed, type ParameterValue } from "./parameters";
import { renderTemplate } from "./render";

/** What `lct templates show` prints: the template with its defaults rendered and resolved. */
export interface TemplateDescription {
    name: string;
    title: string;
    description: string;
    version: string;
    wiring: string[];
    parameters: Array<{ name: string; type: string; default: ParameterValue; allowed: string; description: string }>;
    roles: Array<{
        role: string;
        title: string;
        description: string;
        quorum?: "majority";
        /** With the default parameters. */
        nodes: number;
        groups: string[];
        types: string[];
        /** Per node, e.g. "data 500 GB /var/lib/kafka". */
        storage: string[];
        ports: { members: string[]; clients: string[]; balancer: string[] };
        bootstrap: { available: boolean; summary: string };
    }>;
    /** The default rendering: size and cost. */
    defaults: { nodes: number; regions: string[]; loadBalancers: number; monthlyUsd: number | null; warnings: string[] };
}

export function describeTemplate(t: TemplateFile, catalog: Catalog = bundledCatalog): TemplateDescription {
    const rendered = renderTemplate(t, {}, { catalog });
    const check = checkPlanValue(rendered.plan, { catalog });
    if (!check.ok || !check.resolved) {
        const first = check.issues.find((i) => i.severity === "error");
        throw new Error(`template ${t.name}: its default plan is invalid (a bug in the template): ${first?.path}: ${first?.message}`);
    }
    const plan = check.resolved;
    return {
        name: t.name,
        title: t.title,
        description: t.description.trim(),
        version: t.version,
        wiring: t.wiring,
        parameters: Object.entries(t.parameters).map(([name, spec]) => ({ name, type: spec.type, default: spec.default, allowed: describeAllowed(spec), description: spec.description })),
        roles: Object.entries(t.roles).map(([role, spec]) => {
            const groups = plan.groups.filter((g) => g.role === role);
            const bootstrap = offeredBootstrap(t.parameters, role);
            return {
                role,
                title: spec.title,
                description: spec.description.trim(),
                ...(spec.quorum ? { quorum: spec.quorum } : {}),
                nodes: groups.reduce((n, g) => n + g.count, 0),
                groups: groups.map((g) => g.key),
                types: [...new Set(groups.map((g) => g.type))],
                storage: [...new Set(groups.flatMap((g) => g.storage.map((s) => `${s.name} ${s.sizeGb} GB ${s.mountPath}`)))],
                ports: { members: spec.ports.members.map(String), clients: spec.ports.clients.map(String), balancer: spec.ports.balancer.map(String) },
                bootstrap: bootstrap ? { available: true, summary: bootstrap.summary } : { available: false, summary: spec.noBootstrap ?? "none" },
            };
        }),
        defaults: {
            nodes: plan.nodes.length,
            regions: plan.regions.map((r) => r.id),
            loadBalancers: plan.loadBalancers.length,
            monthlyUsd: estimateCost(plan, catalog).total.monthly,
            warnings: check.issues.filter((i) => i.severity === "warning").map((i) => `${i.path}: ${i.message}`),
        },
    };
}

/** The ports a resolved group's services open, as `9093` or `4567/udp` (for tests and docs). */
export function servicePorts(plan: ResolvedPlan, groupKey: string): string[] {
    const g = plan.groups.find((x) => x.key === groupKey);
    return (g?.services ?? []).flatMap((s) => formatPorts(s.ports).split(", ").map((p) => (s.protocol === "udp" ? `${p}/udp` : p)));
}
