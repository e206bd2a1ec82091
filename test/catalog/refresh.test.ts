import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundledCatalog, readCatalogFile } from "../../sdk/catalog/load";
import { refreshCatalog } from "../../sdk/catalog/refresh";
import { memoryIO } from "../../sdk/cli/io";
import { runCli } from "../../sdk/cli/main";
import { catalogToApi } from "../../sim/catalog";
import { RunningSimulator, startSimulator } from "../../sim";
import { tempDir } from "../plan/helpers";

/**
 * `lct catalog refresh` against the Linode API simulator on 127.0.0.1, serving the bundled
 * catalogue plus one new region, with a changed price — so the test can tell a refreshed
 * catalogue from the bundled one.
 */
describe("lct catalog refresh", () => {
    const tmp = tempDir();
    let sim: RunningSimulator;

    beforeAll(async () => {
        const api = catalogToApi(bundledCatalog);
        api.regions.push({ id: "zz-new", label: "Newtown, ZZ", country: "zz", capabilities: ["Linodes", "Cloud Firewall", "Metadata", "VPCs"], site_type: "core", placement_group_limits: null });
        const nanode = api.types.find((t) => t.id === "g6-nanode-1")!;
        nanode.price = { hourly: 0.009, monthly: 6 };
        sim = await startSimulator({ token: "secret-token", catalog: api, rateLimits: false });
    });
    afterAll(async () => {
        await sim?.close();
        tmp.cleanup();
    });

    async function lct(args: string[], env: NodeJS.ProcessEnv) {
        const io = memoryIO({ env, cwd: tmp.dir });
        const code = await runCli(args, io);
        return { code, stdout: io.stdout(), stderr: io.stderr() };
    }

    it("reads /regions, /linode/types and /images from LINODE_URL with the token and writes the catalogue", async () => {
        const out = path.join(tmp.dir, "fresh.json");
        const r = await lct(["catalog", "refresh", "--out", out], { LINODE_URL: sim.url, LINODE_TOKEN: "secret-token" });
        const today = new Date().toISOString().slice(0, 10);
        expect(r).toEqual({ code: 0, stdout: `wrote ${out}: 35 regions, 37 types, 34 images (${today})\n`, stderr: "" });
        const fresh = readCatalogFile(out);
        expect(fresh.source).toBe(`Linode API ${sim.url}/v4, read ${today}`);
        // Existing regions keep their VPC numbers; the new one gets the next.
        for (const b of bundledCatalog.regions) expect(fresh.regions.find((x) => x.id === b.id)?.vpcIndex, b.id).toBe(b.vpcIndex);
        expect(fresh.regions.find((x) => x.id === "zz-new")).toMatchObject({ label: "Newtown, ZZ", vpcIndex: 35, maxLinodesPerPlacementGroup: 5 });
        expect(fresh.types.find((t) => t.id === "g6-nanode-1")!.price).toEqual({ monthly: 6, hourly: 0.009 });
        expect(fresh.images.find((i) => i.id === "linode/centos7")).toMatchObject({ eol: "2024-06-30", capabilities: ["cloud-init"] });
        const requested = sim.requests().map((q) => `${q.method} ${q.path} ${q.status}`);
        expect(requested).toEqual(expect.arrayContaining(["GET /regions 200", "GET /linode/types 200", "GET /images 200"]));
    });

    it("writes to the user catalogue by default, which later commands then use", async () => {
        const xdg = path.join(tmp.dir, "config");
        const env = { LINODE_URL: sim.url, LINODE_TOKEN: "secret-token", XDG_CONFIG_HOME: xdg };
        expect((await lct(["catalog", "refresh"], env)).code).toBe(0);
        expect(fs.existsSync(path.join(xdg, "lct", "catalog.json"))).toBe(true);
        const plan = path.join(tmp.dir, "zz.yaml");
        fs.writeFileSync(plan, "name: demo\nexposure: { adminCidrs: [203.0.113.0/24] }\nregions:\n  - region: zz-new\n    nodeGroups: [{ name: web, count: 1 }]\n");
        expect(await lct(["validate", plan], { XDG_CONFIG_HOME: xdg })).toEqual({ code: 0, stdout: `${plan}: valid — 1 node in 1 group across 1 region\n`, stderr: "" });
        const regions = await lct(["catalog", "regions"], { XDG_CONFIG_HOME: xdg });
        expect(regions.stdout).toContain("zz-new");
        expect(regions.stdout.trim().split("\n").at(-1)).toBe(`(35 regions; catalogue of ${new Date().toISOString().slice(0, 10)})`);
    });

    it("keeps the VPC numbers of the catalogue it replaces", async () => {
        const out = path.join(tmp.dir, "kept.json");
        // The file being replaced numbered zz-new 77 (say, from an older refresh): that must not move.
        const older = { ...bundledCatalog, regions: [...bundledCatalog.regions, { ...bundledCatalog.regions[0]!, id: "zz-new", vpcIndex: 77 }] };
        fs.writeFileSync(out, JSON.stringify(older));
        expect((await lct(["catalog", "refresh", "--out", out], { LINODE_URL: sim.url, LINODE_TOKEN: "secret-token" })).code).toBe(0);
        expect(readCatalogFile(out).regions.find((r) => r.id === "zz-new")!.vpcIndex).toBe(77);
    });

    it("needs a token, and explains an API that refuses or cannot be reached — exit 2, no stack trace", async () => {
        expect(await lct(["catalog", "refresh", "--out", "x.json"], { LINODE_URL: sim.url })).toEqual({
            code: 2,
            stdout: "",
            stderr: "error: LINODE_TOKEN is not set: create a personal access token in Cloud Manager and export it\n",
        });
        // The catalogue endpoints are public, so a refusal comes from a server that checks anyway.
        const seen: string[] = [];
        const refused = await withServer(
            (req, res) => {
                seen.push(String(req.headers.authorization));
                res.writeHead(401, { "Content-Type": "application/json" });
                res.end(JSON.stringify({ errors: [{ reason: "Invalid Token" }] }));
            },
            (url) => lct(["catalog", "refresh", "--out", "x.json"], { LINODE_URL: url, LINODE_TOKEN: "wrong-token" }),
        );
        expect(seen.length).toBeGreaterThan(0);
        expect(new Set(seen)).toEqual(new Set(["Bearer wrong-token"]));
        expect(refused.code).toBe(2);
        expect(refused.stderr).toMatch(/^error: .*401.*Invalid Token/);
        expect(refused.stderr).not.toContain("wrong-token");
        const badUrl = await lct(["catalog", "refresh", "--out", "x.json"], { LINODE_URL: "127.0.0.1:1", LINODE_TOKEN: "x" });
        expect(badUrl.code).toBe(2);
        expect(badUrl.stderr).toMatch(/^error: LINODE_URL "127\.0\.0\.1:1" .*\n$/);
        for (const r of [refused, badUrl]) expect(r.stderr).not.toMatch(/^\s+at /m);
        expect(fs.existsSync(path.join(tmp.dir, "x.json"))).toBe(false);
    });

    it("refuses to write an answer that would not make a usable catalogue", async () => {
        const api = catalogToApi(bundledCatalog);
        const out = path.join(tmp.dir, "empty.json");
        // A server answering with no regions at all.
        const r = await withServer(
            (req, res) => {
                res.writeHead(200, { "Content-Type": "application/json" });
                const data = req.url?.startsWith("/v4/regions") ? [] : req.url?.startsWith("/v4/linode/types") ? api.types : api.images;
                res.end(JSON.stringify({ data, page: 1, pages: 1, results: data.length }));
            },
            (url) => lct(["catalog", "refresh", "--out", out], { LINODE_URL: url, LINODE_TOKEN: "x" }),
        );
        expect(r.code).toBe(2);
        expect(r.stderr).toBe(`error: the API's answer does not make a usable catalogue (regions: Too small: expected array to have >=1 items); ${out} is unchanged\n`);
        expect(fs.existsSync(out)).toBe(false);
    });

    it("is available to code as refreshCatalog, dated by the caller's clock", async () => {
        const fresh = await refreshCatalog({ env: { LINODE_URL: sim.url, LINODE_TOKEN: "secret-token" }, previous: bundledCatalog, now: new Date("2031-02-03T10:00:00Z") });
        expect(fresh.date).toBe("2031-02-03");
        expect(fresh.regions).toHaveLength(35);
    });
});

/** Runs `fn` against a throw-away HTTP server on 127.0.0.1. */
async function withServer<T>(handler: http.RequestListener, fn: (url: string) => Promise<T>): Promise<T> {
    const server = http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
        return await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
    }
}
