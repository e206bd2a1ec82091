import { indexCatalog } from "../../catalog/catalog-index";
import type { Catalog } from "../../catalog/types";
import type { CostEstimate } from "../../cost/estimate";
import type { PlanTotals } from "../../plan/totals";
import type { ResolvedPlan } from "../../plan/resolved";
import { gb, money, plural, ports, sources } from "./format";
import { renderTree, TreeNode } from "./tree";

/** The `lct show` text: the resolved plan as a tree with ports and totals. */
export function renderShow(
    plan: ResolvedPlan,
    catalog: Catalog,
    totals: PlanTotals,
    cost: CostEstimate,
    opts: { nodesPerGroup: number },
): string {
    const cat = indexCatalog(catalog);
    const allGroups = plan.groups.map((g) => g.key);
    const groupCost = new Map(cost.groups.map((c) => [c.group, c]));
    const regions: TreeNode[] = plan.regions.map((r) => ({
        label: `${r.id} (${r.label}) · ${r.vpc ? `VPC ${r.vpc.subnet}` : "private IPv4"}`,
        children: r.groups.map((key) => {
            const g = plan.groups.find((x) => x.key === key)!;
            const t = cat.type(g.type);
            const spec = t ? ` (${t.vcpus} vCPU, ${gb(t.memoryMb / 1024)})` : "";
            const nodeNames = g.nodes.slice(0, opts.nodesPerGroup);
            const nodes: TreeNode[] = nodeNames.map((name) => {
                const n = plan.nodes.find((x) => x.name === name)!;
                const vols = plan.volumes.filter((v) => v.node === name).map((v) => `${v.storageName} ${v.sizeGb} GB → ${v.mountPath}`);
                return { label: [n.name, n.vpcIp, n.fqdn, ...vols].filter(Boolean).join("  ") };
            });
            if (g.nodes.length > nodeNames.length) nodes.push({ label: `… ${g.nodes.length - nodeNames.length} more (--all-nodes)` });
            const access = plan.access
                .filter((a) => a.group === key)
                .map((a) => ({ label: `${a.name === a.purpose ? a.name : `${a.purpose} ${a.name}`} ${ports(a.ports, a.protocol)} ← ${sources(a.sources, allGroups)}` }));
            const c = groupCost.get(key);
            return {
                label:
                    `${g.name}  role ${g.role} · ${g.count} × ${g.type}${spec} · ${g.image} · boot ${g.bootOrder}` +
                    ` · ${g.hardening.profile}/${g.configMethod}${g.antiAffinity ? " · anti-affinity" : ""}${c ? ` · ${money(c.total)}` : ""}`,
                children: [...nodes, { label: "access", children: access }],
            };
        }),
    }));
    const lbs: TreeNode[] = plan.loadBalancers.map((lb) => ({
        label: `NodeBalancer ${lb.name} (${lb.region})`,
        children: lb.listeners.map((l) => ({
            label: `:${l.port} ${l.protocol} ${l.algorithm} → ${l.target.group}:${l.target.port} (${l.nodes.length} node${l.nodes.length === 1 ? "" : "s"}, check ${l.check.type}${l.check.path ? ` ${l.check.path}` : ""})`,
        })),
    }));
    const tree = renderTree({
        label: `${plan.name}${plan.description ? ` — ${plan.description}` : ""}`,
        children: [...regions, ...lbs, ...(plan.dns ? [{ label: `DNS ${plan.dns.domain}: ${plan.dns.records.length} A records` }] : [])],
    });
    const lines = [
        tree,
        "",
        `Totals: ${plural(totals.nodes, "node")} in ${plural(totals.groups, "group")} and ${plural(totals.regions, "region")} · ${plural(totals.vcpus, "vCPU")} · ${gb(totals.memoryGb)} memory · ${gb(totals.diskGb)} disk · ${plural(totals.volumes, "volume")}, ${gb(totals.blockStorageGb)} block storage · ${plural(totals.loadBalancers, "NodeBalancer")}`,
        `Cost: ${money(cost.total)} (catalogue of ${cost.catalogDate}${cost.unpriced.length ? `; no price for ${cost.unpriced.join(", ")}` : ""})`,
    ];
    return lines.join("\n");
}
