/**
 * Regions, types and images the simulator serves: LCT's offline catalogue (`sdk/catalog`) in
 * the API's shapes. Fields the catalogue does not know (resolvers, image sizes, network_out)
 * are left out rather than invented; the spec makes none of them required.
 */
import { bundledCatalog, type Catalog } from "../sdk/catalog";

export interface SimCatalog {
    regions: Array<Record<string, unknown> & { id: string; capabilities: string[] }>;
    types: Array<Record<string, unknown> & { id: string; memory: number; disk: number; vcpus: number; transfer: number; gpus: number }>;
    images: Array<Record<string, unknown> & { id: string; capabilities: string[] }>;
}

const HOURS_PER_MONTH = 730;

export function catalogToApi(catalog: Catalog): SimCatalog {
    return {
        regions: catalog.regions.map((r) => ({
            id: r.id,
            label: r.label,
            country: r.country,
            capabilities: [...r.capabilities],
            status: "ok",
            // The real API spells it site_type; spec 4.189.0 says site-type (see docs).
            site_type: r.siteType,
            placement_group_limits: { maximum_linodes_per_pg: r.maxLinodesPerPlacementGroup, maximum_pgs_per_customer: null },
        })),
        types: catalog.types.map((t) => {
            const backupsMonthly = t.backupsMonthly ?? 0;
            return {
                id: t.id,
                label: t.label,
                class: t.class,
                vcpus: t.vcpus,
                memory: t.memoryMb,
                disk: t.diskMb,
                transfer: t.transferGb,
                gpus: t.class === "gpu" ? Number(/-(\d+)$/.exec(t.id)?.[1] ?? 1) : 0,
                successor: null,
                price: { hourly: t.price.hourly ?? 0, monthly: t.price.monthly ?? 0 },
                region_prices: t.regionPrices.map((p) => ({ id: p.id, hourly: p.hourly ?? 0, monthly: p.monthly ?? 0 })),
                addons: {
                    backups: {
                        price: { hourly: round4(backupsMonthly / HOURS_PER_MONTH), monthly: backupsMonthly },
                        region_prices: [],
                    },
                },
            };
        }),
        images: catalog.images.map((i) => ({
            id: i.id,
            label: i.label,
            vendor: i.vendor,
            deprecated: i.deprecated,
            is_public: true,
            status: "available",
            type: "manual",
            created_by: "linode",
            capabilities: [...i.capabilities],
            eol: i.eol ? `${i.eol}T04:00:00` : null,
            tags: [],
        })),
    };
}

/** The seam: the simulator's default data is the catalogue LCT ships. */
export function defaultSimCatalog(): SimCatalog {
    return catalogToApi(bundledCatalog);
}

function round4(n: number): number {
    return Math.round(n * 10_000) / 10_000;
}
