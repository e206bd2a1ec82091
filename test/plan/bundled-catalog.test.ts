import { describe, expect, it } from "vitest";
import bundledJson from "../../sdk/catalog/bundled.json";
import { bundledCatalog, catalogSchema } from "../../sdk/catalog/load";

// sdk/catalog/load.ts no longer parses the bundled catalogue at every start (for `lct`'s start-up time): this does.
describe("the bundled catalogue", () => {
    it("is exactly what the catalogue schema makes of it (nothing stripped, defaulted or rejected)", () => {
        expect(catalogSchema.parse(bundledJson)).toStrictEqual(bundledJson);
        expect(bundledCatalog).toBe(bundledJson);
    });
});
