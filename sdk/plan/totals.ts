import { indexCatalog } from "../catalog/catalog-index";
import type { Catalog } from "../catalog/types";
import type { ResolvedPlan } from "./resolved";

export interface PlanTotals {
    regions: number;
    groups: number;
    nodes: number;
    vcpus: number;
    memoryGb: number;
    diskGb: number;
    volumes: number;
    blockStorageGb: number;
    loadBalancers: number;
}

/** Capacity totals of a resolved plan, from catalogue specs. */
export function planTotals(plan: ResolvedPlan, catalog: Catalog): PlanTotals {
    const cat = indexCatalog(catalog);
    let vcpus = 0;
    let memoryMb = 0;
    let diskMb = 0;
    for (const g of plan.groups) {
        const t = cat.type(g.type);
        vcpus += (t?.vcpus ?? 0) * g.count;
        memoryMb += (t?.memoryMb ?? 0) * g.count;
        diskMb += (t?.diskMb ?? 0) * g.count;
    }
    return {
        regions: plan.regions.length,
        groups: plan.groups.length,
        nodes: plan.nodes.length,
        vcpus,
        memoryGb: memoryMb / 1024,
        diskGb: diskMb / 1024,
        volumes: plan.volumes.length,
        blockStorageGb: plan.volumes.reduce((s, v) => s + v.sizeGb, 0),
        loadBalancers: plan.loadBalancers.length,
    };
}
