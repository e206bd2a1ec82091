import type { Catalog, CatalogImage, CatalogRegion, CatalogType } from "./types";

/** Fast lookups over a catalogue; built once per catalogue object. */
export interface CatalogIndex {
    catalog: Catalog;
    region(id: string): CatalogRegion | undefined;
    type(id: string): CatalogType | undefined;
    image(id: string): CatalogImage | undefined;
}

const cache = new WeakMap<Catalog, CatalogIndex>();

export function indexCatalog(catalog: Catalog): CatalogIndex {
    const hit = cache.get(catalog);
    if (hit) return hit;
    const regions = new Map(catalog.regions.map((r) => [r.id, r]));
    const types = new Map(catalog.types.map((t) => [t.id, t]));
    const images = new Map(catalog.images.map((i) => [i.id, i]));
    const index: CatalogIndex = {
        catalog,
        region: (id) => regions.get(id),
        type: (id) => types.get(id),
        image: (id) => images.get(id),
    };
    cache.set(catalog, index);
    return index;
}

/** Volumes a Linode of this type may attach: RAM in GB, at least 8, at most 64. */
export function maxVolumesPerLinode(type: CatalogType): number {
    return Math.min(64, Math.max(8, Math.floor(type.memoryMb / 1024)));
}
