import { indexCatalog } from "../catalog/catalog-index";
import type { Catalog, CatalogType } from "../catalog/types";
import type { ResolvedPlan } from "../plan/resolved";

/** Money per month and per hour; null where the catalogue has no price (e.g. newer GPU types). */
export interface Money {
    monthly: number | null;
    hourly: number | null;
}

export interface GroupCost {
    group: string;
    nodes: number;
    perNode: Money;
    compute: Money;
    volumesGb: number;
    volumes: Money;
    total: Money;
}

export interface CostEstimate {
    groups: GroupCost[];
    loadBalancers: Array<{ name: string; region: string; cost: Money }>;
    total: Money;
    /** Items priced as unknown, named for the reader. */
    unpriced: string[];
    catalogDate: string;
}

/** Linode bills hourly up to the monthly cap; the estimate shows both (catalogue prices, region overrides). */
export function estimateCost(plan: ResolvedPlan, catalog: Catalog): CostEstimate {
    const cat = indexCatalog(catalog);
    const unpriced: string[] = [];
    const groups = plan.groups.map((g): GroupCost => {
        const type = cat.type(g.type);
        const perNode = type ? typePrice(type, g.region) : { monthly: null, hourly: null };
        if (perNode.monthly === null) unpriced.push(`${g.key} (${g.type})`);
        const volumesGb = g.storage.reduce((s, v) => s + v.sizeGb, 0) * g.count;
        const gbMonthly = catalog.prices.volumeRegionGbMonthly[g.region] ?? catalog.prices.volumeGbMonthly;
        const gbHourly = catalog.prices.volumeGbHourly * (gbMonthly / catalog.prices.volumeGbMonthly);
        const compute = scale(perNode, g.count);
        const volumes = { monthly: round(volumesGb * gbMonthly), hourly: round(volumesGb * gbHourly, 5) };
        return { group: g.key, nodes: g.count, perNode, compute, volumesGb, volumes, total: add(compute, volumes) };
    });
    const loadBalancers = plan.loadBalancers.map((lb) => {
        const monthly = catalog.prices.nodeBalancerRegionMonthly[lb.region] ?? catalog.prices.nodeBalancerMonthly;
        const hourly = catalog.prices.nodeBalancerHourly * (monthly / catalog.prices.nodeBalancerMonthly);
        return { name: lb.name, region: lb.region, cost: { monthly, hourly: round(hourly, 5) } };
    });
    const total = [...groups.map((g) => g.total), ...loadBalancers.map((l) => l.cost)].reduce(add, { monthly: 0, hourly: 0 });
    return { groups, loadBalancers, total, unpriced, catalogDate: catalog.date };
}

export function typePrice(type: CatalogType, region: string): Money {
    const override = type.regionPrices.find((p) => p.id === region);
    return override ? { monthly: override.monthly, hourly: override.hourly } : type.price;
}

function scale(m: Money, n: number): Money {
    return { monthly: m.monthly === null ? null : round(m.monthly * n), hourly: m.hourly === null ? null : round(m.hourly * n, 5) };
}

/** Unknown stays unknown: a total with an unpriced part is not a number. */
function add(a: Money, b: Money): Money {
    return {
        monthly: a.monthly === null || b.monthly === null ? null : round(a.monthly + b.monthly),
        hourly: a.hourly === null || b.hourly === null ? null : round(a.hourly + b.hourly, 5),
    };
}

function round(x: number, digits = 2): number {
    const f = 10 ** digits;
    return Math.round(x * f) / f;
}
