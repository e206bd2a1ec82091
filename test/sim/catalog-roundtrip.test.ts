/**
 * The simulator serves LCT's catalogue in the API's shapes well enough that `lct catalog
 * refresh` (which reads /regions, /linode/types and /images through the client) rebuilds the
 * same catalogue from it.
 */
import { describe, expect, it } from "vitest";
import { bundledCatalog } from "../../sdk/catalog";
import { refreshCatalog } from "../../sdk/catalog/refresh";
import { startSimulator } from "../../sim";

describe("catalogue round trip through the simulator", () => {
    it("refreshCatalog against the simulator returns the bundled regions, types and images", async () => {
        const sim = await startSimulator();
        try {
            const c = await refreshCatalog({ env: { LINODE_URL: sim.url }, previous: bundledCatalog });
            expect(c.regions).toEqual(bundledCatalog.regions);
            expect(c.types).toEqual(bundledCatalog.types);
            expect(c.images).toEqual(bundledCatalog.images);
            // Public endpoints, no token: one request each, no pagination needed at page_size 500.
            expect(sim.stats().byEndpoint).toEqual({ "GET /regions": 1, "GET /linode/types": 1, "GET /images": 1 });
        } finally {
            await sim.close();
        }
    });
});
