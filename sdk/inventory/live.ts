/**
 * Live inventories from the Linode API: instances found with an X-Filter pushed down from the
 * query (see ./xfilter), evaluated again locally, grouped by their LCT tags. Volumes come
 * from one filtered list per cluster. What the API does not say (VPC addresses, mount paths,
 * DNS names) is absent — use a stack export for those.
 */
import type { LinodeClient, RequestOptions } from "../linode-api/client";
import type { XFilter } from "../linode-api/filter";
import type { LinodeInstance, LinodeVolume } from "../linode-api/types";
import { lctTag, readLctTag } from "../naming/tags";
import { assembleInventories, type InstanceFacts, nodeFromInstance, splitIpv4, type VolumeFacts } from "./instances";
import { compileQuery, parseQuery, type QueryExpr } from "./query";
import { queryToXFilter } from "./xfilter";
import type { ClusterInventory } from "./types";

export interface LiveOptions extends Pick<RequestOptions, "signal"> {
    /** Which nodes; every instance of the account when absent. */
    query?: string | QueryExpr;
    /**
     * Return every node of each cluster a selected node belongs to (exports need them: wiring
     * such as quorum voters spans the cluster). The query then still decides the hosts.
     */
    wholeClusters?: boolean;
    /** Look up Block Storage volumes (one request per cluster). Default true. */
    volumes?: boolean;
    /** Admin user to record (the API does not know it); default "ops". */
    user?: string;
}

export interface LiveResult {
    inventories: ClusterInventory[];
    /** The X-Filter sent for the query (undefined: none could be pushed down). */
    filter?: XFilter;
    requests: number;
    warnings: string[];
}

function facts(i: LinodeInstance): InstanceFacts {
    const f: InstanceFacts = { id: String(i.id), label: i.label, region: i.region, tags: [...(i.tags ?? [])], ...splitIpv4(i.ipv4 ?? []) };
    if (i.type) f.type = i.type;
    if (i.image) f.image = i.image;
    if (i.ipv6) f.ipv6 = i.ipv6;
    return f;
}

export async function liveInventories(client: LinodeClient, opts: LiveOptions = {}): Promise<LiveResult> {
    const expr = opts.query === undefined ? undefined : typeof opts.query === "string" ? parseQuery(opts.query) : opts.query;
    const predicate = expr ? compileQuery(expr) : () => true;
    const filter = expr ? queryToXFilter(expr) : undefined;
    const req = { ...(opts.signal ? { signal: opts.signal } : {}) };
    let requests = 0;
    const list = async <T>(path: string, f?: XFilter): Promise<T[]> => {
        requests++;
        return client.list<T>(path, { ...req, ...(f ? { filter: f } : {}) });
    };
    const warnings: string[] = [];
    const found = (await list<LinodeInstance>("/linode/instances", filter)).map(facts);
    // Evaluate the whole query locally: the filter is a superset, and the API's tag matching is not documented.
    const cluster = (f: InstanceFacts): string | undefined => readLctTag(f.tags, "cluster");
    const matching = found.filter((f) => predicate(nodeFromInstance(f), cluster(f)));
    let instances = matching;
    const clusters = [...new Set(matching.map(cluster).filter((c): c is string => c !== undefined))].sort();
    if (opts.wholeClusters) {
        const seen = new Set(matching.map((f) => f.id));
        for (const c of clusters) {
            for (const i of await list<LinodeInstance>("/linode/instances", { tags: lctTag("cluster", c) })) {
                const f = facts(i);
                if (!seen.has(f.id) && cluster(f) === c) {
                    seen.add(f.id);
                    instances = [...instances, f];
                }
            }
        }
    }
    const volumes: VolumeFacts[] = [];
    if (opts.volumes !== false) {
        for (const c of clusters) {
            for (const v of await list<LinodeVolume>("/volumes", { tags: lctTag("cluster", c) })) {
                volumes.push({ id: String(v.id), label: v.label, sizeGb: v.size, ...(v.linode_id ? { linodeId: String(v.linode_id) } : {}) });
            }
        }
    }
    if (instances.some((f) => cluster(f) === undefined)) warnings.push("some Linodes carry no lct:cluster tag; they are listed under the cluster \"(untagged)\"");
    const inventories = assembleInventories([], instances, volumes, { fallbackCluster: "(untagged)", defaultUser: opts.user ?? "ops" });
    return { inventories, ...(filter ? { filter } : {}), requests, warnings };
}
