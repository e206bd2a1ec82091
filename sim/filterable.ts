/**
 * Fields X-Filter accepts per collection: the `x-linode-filterable` markers of the legacy spec
 * 4.176.0 (spec 4.189.0 dropped them). A conformance test re-reads the spec to keep these in
 * step. Regions and tags carry no markers, so any filter on them is refused.
 */
export const FILTERABLE = {
    instances: ["label", "region", "image", "group", "tags", "id", "ipv4"],
    events: ["id", "action", "created", "entity.id", "entity.type", "read"],
    volumes: ["label", "tags"],
    types: ["label", "disk", "class", "network_out", "memory", "transfer", "vcpus", "gpus"],
    images: ["label", "deprecated", "is_public", "size", "type", "vendor", "status"],
    firewalls: ["id", "label", "created", "updated", "tags"],
    nodebalancers: ["label", "region", "ipv4", "tags"],
    regions: [],
    tags: [],
} as const satisfies Record<string, readonly string[]>;
