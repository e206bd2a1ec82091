import { catalogFromApi, ApiImage, ApiRegion, ApiType } from "./from-api";
import type { Catalog } from "./types";

/** Reads /regions, /linode/types and /images through the API client and builds a catalogue. */
export async function refreshCatalog(opts: { env: NodeJS.ProcessEnv; previous: Catalog; now?: Date }): Promise<Catalog> {
    const { createLinodeClient } = require("../linode-api") as typeof import("../linode-api");
    const client = createLinodeClient({ env: opts.env });
    const [regions, types, images] = await Promise.all([
        client.list<ApiRegion>("/regions"),
        client.list<ApiType>("/linode/types"),
        client.list<ApiImage>("/images"),
    ]);
    const date = (opts.now ?? new Date()).toISOString().slice(0, 10);
    return catalogFromApi({ regions, types, images }, opts.previous, { date, source: `Linode API ${client.endpoint.baseUrl}, read ${date}` });
}
