/** The offline Linode catalogue: what validation, cost and the simulator know about Linode. */

export interface CatalogRegion {
    id: string;
    label: string;
    country: string;
    /** As the API spells them: "VPCs", "Block Storage", "NodeBalancers", "Metadata", … */
    capabilities: string[];
    siteType: string;
    maxLinodesPerPlacementGroup: number;
    /** Fixed per-region number: the second octet of LCT's default VPC subnet (10.<n>.0.0/16). */
    vpcIndex: number;
}

export interface Price {
    monthly: number | null;
    hourly: number | null;
}

export interface CatalogType {
    id: string;
    label: string;
    class: string;
    vcpus: number;
    memoryMb: number;
    diskMb: number;
    transferGb: number;
    price: Price;
    regionPrices: Array<{ id: string } & Price>;
    backupsMonthly: number | null;
}

export interface CatalogImage {
    id: string;
    label: string;
    vendor: string;
    capabilities: string[];
    deprecated: boolean;
    /** End of life (YYYY-MM-DD), when known. */
    eol?: string;
}

export interface CatalogPrices {
    volumeGbMonthly: number;
    volumeGbHourly: number;
    volumeRegionGbMonthly: Record<string, number>;
    nodeBalancerMonthly: number;
    nodeBalancerHourly: number;
    nodeBalancerRegionMonthly: Record<string, number>;
}

export interface Catalog {
    source: string;
    /** Date of the data (YYYY-MM-DD). */
    date: string;
    regions: CatalogRegion[];
    types: CatalogType[];
    images: CatalogImage[];
    prices: CatalogPrices;
}

export const CAP_VPC = "VPCs";
export const CAP_BLOCK_STORAGE = "Block Storage";
export const CAP_NODEBALANCERS = "NodeBalancers";
export const CAP_METADATA = "Metadata";
export const CAP_PLACEMENT_GROUP = "Placement Group";
export const CAP_CLOUD_FIREWALL = "Cloud Firewall";
export const IMAGE_CAP_CLOUD_INIT = "cloud-init";
