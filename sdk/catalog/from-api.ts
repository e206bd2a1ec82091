import { bundledCatalog } from "./load";
import type { Catalog, CatalogImage, CatalogRegion, CatalogType } from "./types";

/** The fields LCT reads from GET /regions, /linode/types and /images (linode-api.md §12). */
export interface ApiRegion {
    id: string;
    label: string;
    country: string;
    capabilities: string[];
    site_type?: string;
    placement_group_limits?: { maximum_linodes_per_pg?: number | null } | null;
}
export interface ApiType {
    id: string;
    label: string;
    class: string;
    vcpus: number;
    memory: number;
    disk: number;
    transfer: number;
    price: { hourly: number | null; monthly: number | null };
    region_prices?: Array<{ id: string; hourly: number | null; monthly: number | null }>;
    addons?: { backups?: { price?: { monthly?: number | null } } };
}
export interface ApiImage {
    id: string;
    label: string;
    vendor: string | null;
    capabilities?: string[];
    deprecated?: boolean;
    eol?: string | null;
    is_public?: boolean;
}

/**
 * Builds a catalogue from live API answers. Region VPC indexes are kept from the previous
 * catalogue and, for regions it lacks, from the bundled one (default VPC subnets must never
 * move, even when a region was missing from an earlier answer); new regions get fresh numbers.
 */
export function catalogFromApi(
    api: { regions: ApiRegion[]; types: ApiType[]; images: ApiImage[] },
    previous: Catalog,
    opts: { date: string; source: string },
): Catalog {
    const known = new Map([...bundledCatalog.regions, ...previous.regions].map((r) => [r.id, r.vpcIndex]));
    let next = Math.max(0, ...known.values());
    const regions: CatalogRegion[] = [...api.regions]
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((r) => ({
            id: r.id,
            label: r.label,
            country: r.country,
            capabilities: [...r.capabilities],
            siteType: r.site_type ?? "core",
            maxLinodesPerPlacementGroup: r.placement_group_limits?.maximum_linodes_per_pg ?? 5,
            vpcIndex: known.get(r.id) ?? (next < 254 ? ++next : 254),
        }));
    const types: CatalogType[] = api.types.map((t) => ({
        id: t.id,
        label: t.label,
        class: t.class,
        vcpus: t.vcpus,
        memoryMb: t.memory,
        diskMb: t.disk,
        transferGb: t.transfer,
        price: { monthly: t.price.monthly, hourly: t.price.hourly },
        regionPrices: (t.region_prices ?? []).map((p) => ({ id: p.id, monthly: p.monthly, hourly: p.hourly })),
        backupsMonthly: t.addons?.backups?.price?.monthly ?? null,
    }));
    const images: CatalogImage[] = api.images
        .filter((i) => i.is_public !== false && i.id.startsWith("linode/"))
        .map((i) => ({
            id: i.id,
            label: i.label,
            vendor: i.vendor ?? "",
            capabilities: [...(i.capabilities ?? [])],
            deprecated: i.deprecated ?? false,
            ...(i.eol ? { eol: i.eol.slice(0, 10) } : {}),
        }))
        .sort((a, b) => a.id.localeCompare(b.id));
    return { source: opts.source, date: opts.date, regions, types, images, prices: previous.prices };
}
