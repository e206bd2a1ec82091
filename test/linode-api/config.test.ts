import { describe, expect, it } from "vitest";
import { resolveApiEndpoint, resolveToken } from "../../sdk/linode-api/config";

describe("resolveApiEndpoint (linodego rules: LINODE_URL is the host root)", () => {
    it("defaults to the public API, v4", () => {
        expect(resolveApiEndpoint()).toEqual({ root: "https://api.linode.com", version: "v4", baseUrl: "https://api.linode.com/v4" });
    });
    it("takes LINODE_URL and LINODE_API_VERSION from the environment it is given", () => {
        const e = resolveApiEndpoint({ env: { LINODE_URL: "http://127.0.0.1:8080/", LINODE_API_VERSION: "v4beta" } });
        expect(e.baseUrl).toBe("http://127.0.0.1:8080/v4beta");
    });
    it("keeps a path prefix, as linodego does", () => {
        expect(resolveApiEndpoint({ url: "https://proxy.example/linode" }).baseUrl).toBe("https://proxy.example/linode/v4");
    });
    it("prefers explicit options over the environment", () => {
        const e = resolveApiEndpoint({ url: "http://localhost:9", apiVersion: "v4", env: { LINODE_URL: "http://other:1", LINODE_API_VERSION: "v4beta" } });
        expect(e.baseUrl).toBe("http://localhost:9/v4");
    });
    it("refuses a URL that already ends in a version, naming the variable", () => {
        expect(() => resolveApiEndpoint({ env: { LINODE_URL: "http://127.0.0.1:8080/v4" } })).toThrow(/LINODE_URL .* ends with an API version/);
    });
    it("refuses a URL without scheme or with another protocol", () => {
        expect(() => resolveApiEndpoint({ url: "127.0.0.1:8080" })).toThrow(/http|scheme/);
        expect(() => resolveApiEndpoint({ url: "ftp://x" })).toThrow(/http or https/);
    });
    it("refuses a malformed version", () => {
        expect(() => resolveApiEndpoint({ apiVersion: "4" })).toThrow(/v4 or v4beta/);
    });
});

describe("resolveToken", () => {
    it("uses the explicit token, then LINODE_TOKEN, ignoring blanks", () => {
        expect(resolveToken({ token: "a", env: { LINODE_TOKEN: "b" } })).toBe("a");
        expect(resolveToken({ token: " ", env: { LINODE_TOKEN: "b" } })).toBe("b");
        expect(resolveToken({ env: {} })).toBeUndefined();
    });
});
