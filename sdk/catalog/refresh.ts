// Imported statically: vitest's module runner cannot require() TypeScript, and the client loads no packages.
import { createLinodeClient } from "../linode-api/client";
import { catalogFromApi, ApiImage, ApiRegion, ApiType } from "./from-api";
import type { Catalog } from "./types";

/** Reads /regions, /linode/types and /images through the API client and builds a catalogue. */
export async function refreshCatalog(opts: { env: NodeJS.ProcessEnv; previous: Catalog; now?: Date }): Promise<Catalog> {
    const client = createLinodeClient({ env: opts.env });
    const [regions, types, images] = await Promise.all([
        client.list<ApiRegion>("/regions"),
        client.list<ApiType>("/linode/types"),
        client.list<ApiImage>("/images"),
    ]);
    const date = (opts.now ?? new Date()).toISOString().slice(0, 10);
    return catalogFromApi({ regions, types, images }, opts.previous, { date, source: `Linode API ${client.endpoint.baseUrl}, read ${date}` });
}
