/**
 * The few Linode API v4 object shapes LCT reads. Field names are the API's; only fields LCT
 * uses are typed, the rest stay reachable through the index signature.
 */

/** Spec 4.189.0 status enum, plus `resizing`, which linodego also knows. */
export type InstanceStatus =
    | "running"
    | "offline"
    | "booting"
    | "busy"
    | "rebooting"
    | "shutting_down"
    | "provisioning"
    | "deleting"
    | "migrating"
    | "rebuilding"
    | "cloning"
    | "restoring"
    | "stopped"
    | "billing_suspension"
    | "resizing";

export interface LinodeInstance {
    id: number;
    label: string;
    status: InstanceStatus;
    region: string;
    type: string | null;
    image: string | null;
    tags: string[];
    /** `ipv4[0]` is the public address; a private one, when present, follows. */
    ipv4: string[];
    ipv6: string | null;
    created: string;
    updated: string;
    [field: string]: unknown;
}

/** One page of a collection (`GET` on a list endpoint). */
export interface Page<T> {
    data: T[];
    page: number;
    pages: number;
    results: number;
}

export type EventStatus = "scheduled" | "started" | "finished" | "failed" | "notification";

export interface LinodeEvent {
    id: number;
    action: string;
    created: string;
    status: EventStatus;
    entity: { id: number; label: string; type: string; url: string } | null;
    percent_complete: number | null;
    [field: string]: unknown;
}

export interface LinodeVolume {
    id: number;
    label: string;
    status: "creating" | "active" | "resizing" | "key_rotating";
    size: number;
    region: string;
    linode_id: number | null;
    tags: string[];
    [field: string]: unknown;
}

export interface LinodeRegion {
    id: string;
    label: string;
    country: string;
    capabilities: string[];
    status: string;
    [field: string]: unknown;
}

export interface LinodeTypeInfo {
    id: string;
    label: string;
    class: string;
    vcpus: number;
    memory: number;
    disk: number;
    transfer: number;
    price: { hourly: number | null; monthly: number | null };
    region_prices: Array<{ id: string; hourly: number | null; monthly: number | null }>;
    [field: string]: unknown;
}

export interface LinodeImage {
    id: string;
    label: string;
    vendor: string | null;
    capabilities: string[];
    deprecated: boolean;
    eol: string | null;
    [field: string]: unknown;
}
