import { afterEach, describe, expect, it } from "vitest";
import { findTool, requireTool } from "../support/tools";

describe("requireTool (real-tool test gate)", () => {
    const saved = process.env.LCT_REQUIRE_TOOLS;
    afterEach(() => {
        if (saved === undefined) delete process.env.LCT_REQUIRE_TOOLS;
        else process.env.LCT_REQUIRE_TOOLS = saved;
    });

    it("in CI a missing tool fails, naming the Debian package", () => {
        process.env.LCT_REQUIRE_TOOLS = "1";
        expect(() => requireTool("lct-no-such-tool", "lct-no-such-package")).toThrow(/lct-no-such-tool not found: install the Debian package "lct-no-such-package"/);
    });

    it("elsewhere a missing tool gives a visible skip reason", () => {
        delete process.env.LCT_REQUIRE_TOOLS;
        expect(requireTool("lct-no-such-tool", "lct-no-such-package")).toEqual({ skip: expect.stringContaining('"lct-no-such-package"') });
    });

    it("finds tools on PATH and in the sbin directories", () => {
        expect(findTool("sh")).toMatch(/\/sh$/);
        expect(requireTool("sh", "dash")).toEqual({ path: findTool("sh") });
    });
});
