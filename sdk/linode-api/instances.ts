/**
 * Instance calls LCT makes often, written once so that the provider, `lct cluster` and tests
 * ask the API the same few, cheap questions.
 */
import type { LinodeClient, RequestOptions } from "./client";
import { anyOf, tagFilter } from "./filter";
import type { LinodeInstance } from "./types";

/** Ids per filtered list request; keeps the X-Filter header well under proxy header limits. */
const IDS_PER_QUERY = 100;

/**
 * The instances with these ids, in one filtered list request per 100 ids (not one GET per
 * node). Ids that do not exist are simply absent from the result.
 */
export async function listInstancesByIds(
    client: LinodeClient,
    ids: readonly number[],
    opts: RequestOptions = {},
): Promise<LinodeInstance[]> {
    const unique = [...new Set(ids)];
    const found: LinodeInstance[] = [];
    for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
        const chunk = unique.slice(i, i + IDS_PER_QUERY);
        found.push(...(await client.list<LinodeInstance>("/linode/instances", { ...opts, filter: anyOf("id", chunk) })));
    }
    return found;
}

export function listInstancesByTag(client: LinodeClient, tag: string, opts: RequestOptions = {}): Promise<LinodeInstance[]> {
    return client.list<LinodeInstance>("/linode/instances", { ...opts, filter: tagFilter(tag) });
}

// Power actions are safe to repeat: a second boot of a booting Linode is refused as busy or
// ignored, never doubled. Marking them idempotent lets the client retry them after a 500 or a
// dropped connection.
export function bootInstance(client: LinodeClient, id: number, opts: RequestOptions = {}): Promise<unknown> {
    return client.post(`/linode/instances/${id}/boot`, {}, { idempotent: true, ...opts });
}

export function shutdownInstance(client: LinodeClient, id: number, opts: RequestOptions = {}): Promise<unknown> {
    return client.post(`/linode/instances/${id}/shutdown`, {}, { idempotent: true, ...opts });
}

export function rebootInstance(client: LinodeClient, id: number, opts: RequestOptions = {}): Promise<unknown> {
    return client.post(`/linode/instances/${id}/reboot`, {}, { idempotent: true, ...opts });
}
