import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { indexCatalog, maxVolumesPerLinode } from "../../sdk/catalog/catalog-index";
import { ApiImage, ApiRegion, ApiType, catalogFromApi } from "../../sdk/catalog/from-api";
import { bundledCatalog, catalogSchema, readCatalogFile, resolveCatalog, userCatalogPath } from "../../sdk/catalog/load";
import type { Catalog } from "../../sdk/catalog/types";
import { tempDir } from "../plan/helpers";

/** Facts from linode-api.md §21 that the bundled catalogue must carry. */
describe("the bundled catalogue", () => {
    const c = bundledCatalog;
    const region = (id: string) => c.regions.find((r) => r.id === id)!;
    const type = (id: string) => c.types.find((t) => t.id === id)!;

    it("passes its own schema and names its source and date", () => {
        expect(catalogSchema.safeParse(c).success).toBe(true);
        expect(c.date).toBe("2026-07-01");
        expect(c.source).toContain("§21");
    });

    it("has the 34 regions of §21.3, VPCs only in the 23 newer ones", () => {
        expect(c.regions).toHaveLength(34);
        const legacy = ["ap-northeast", "ap-south", "ap-southeast", "ap-west", "ca-central", "eu-central", "eu-west", "us-central", "us-east", "us-southeast", "us-west"];
        for (const r of c.regions) {
            expect(r.capabilities, r.id).toEqual(expect.arrayContaining(["Metadata", "Block Storage", "NodeBalancers", "Cloud Firewall", "Placement Group"]));
            expect(r.capabilities.includes("VPCs"), r.id).toBe(!legacy.includes(r.id));
            expect([r.siteType, r.maxLinodesPerPlacementGroup]).toEqual(["core", 5]);
        }
        expect([region("us-ord").label, region("us-east").label, region("br-gru").label]).toEqual(["Chicago, IL", "Newark, NJ", "Sao Paulo, BR"]);
    });

    it("numbers every region's default VPC subnet uniquely", () => {
        const indexes = c.regions.map((r) => r.vpcIndex);
        expect(new Set(indexes).size).toBe(indexes.length);
        expect(indexes.every((i) => i >= 1 && i <= 254)).toBe(true);
    });

    it("has the 37 plan types of §21.1 with specs, prices and the two regional overrides", () => {
        expect(c.types).toHaveLength(37);
        expect(type("g6-nanode-1")).toEqual({
            id: "g6-nanode-1",
            label: "Nanode 1GB",
            class: "nanode",
            vcpus: 1,
            memoryMb: 1024,
            diskMb: 25600,
            transferGb: 1000,
            price: { monthly: 5, hourly: 0.0075 },
            regionPrices: [
                { id: "id-cgk", monthly: 6, hourly: 0.009 },
                { id: "br-gru", monthly: 7, hourly: 0.0105 },
            ],
            backupsMonthly: 2,
        });
        // A sample row per class: [id, vCPU, memory MB, disk MB, $/month, $/hour, id-cgk, br-gru].
        const rows: Array<[string, number, number, number, number, number, number | undefined, number | undefined]> = [
            ["g6-standard-2", 2, 4096, 81920, 24, 0.036, 28.8, 33.6],
            ["g7-highmem-4", 4, 92160, 92160, 240, 0.36, 288, 336],
            ["g6-dedicated-4", 4, 8192, 163840, 72, 0.108, 86.4, 100.8],
            ["g6-dedicated-64", 64, 524288, 7372800, 4608, 6.912, 5529.6, 6451.2],
            ["g1-gpu-rtx6000-2", 16, 65536, 1310720, 2000, 3, undefined, undefined],
            ["g7-premium-8", 8, 16384, 327680, 173, 0.2595, 207.36, 241.92],
        ];
        for (const [id, vcpus, mem, disk, monthly, hourly, cgk, gru] of rows) {
            const t = type(id);
            expect([t.vcpus, t.memoryMb, t.diskMb, t.price.monthly, t.price.hourly], id).toEqual([vcpus, mem, disk, monthly, hourly]);
            expect(t.regionPrices.find((p) => p.id === "id-cgk")?.monthly, id).toBe(cgk);
            expect(t.regionPrices.find((p) => p.id === "br-gru")?.monthly, id).toBe(gru);
        }
    });

    it("has the unit prices of §21.2", () => {
        expect(c.prices).toEqual({
            volumeGbMonthly: 0.1,
            volumeGbHourly: 0.00015,
            volumeRegionGbMonthly: { "id-cgk": 0.12, "br-gru": 0.14 },
            nodeBalancerMonthly: 10,
            nodeBalancerHourly: 0.015,
            nodeBalancerRegionMonthly: { "id-cgk": 12, "br-gru": 14 },
        });
    });

    it("has the public images of §21.4, with cloud-init on all but Kali and Slackware", () => {
        expect(c.images).toHaveLength(34);
        for (const id of ["almalinux10", "alpine3.23", "arch", "centos-stream10", "debian13", "debian12-kube-v1.36.0", "fedora43", "gentoo", "opensuse15.6", "rocky10", "ubuntu25.10", "ubuntu24.04-nvidia"]) {
            expect(c.images.some((i) => i.id === `linode/${id}`), id).toBe(true);
        }
        expect(c.images.filter((i) => !i.capabilities.includes("cloud-init")).map((i) => i.id)).toEqual(["linode/kali", "linode/slackware15.0"]);
        expect(c.images.every((i) => i.id.startsWith("linode/"))).toBe(true);
    });
});

describe("catalogue lookups", () => {
    it("finds regions, types and images by id, building the index once", () => {
        const idx = indexCatalog(bundledCatalog);
        expect(indexCatalog(bundledCatalog)).toBe(idx);
        expect(idx.region("us-ord")?.label).toBe("Chicago, IL");
        expect(idx.type("g6-nanode-1")?.memoryMb).toBe(1024);
        expect(idx.image("linode/debian12")?.vendor).toBe("Debian");
        expect([idx.region("nope"), idx.type("nope"), idx.image("nope")]).toEqual([undefined, undefined, undefined]);
    });

    it("allows RAM-in-GB volumes per Linode, at least 8 and at most 64", () => {
        const type = (memoryMb: number) => ({ ...bundledCatalog.types[0]!, memoryMb });
        expect([1024, 8192, 16384, 65536, 98304, 524288].map((mb) => maxVolumesPerLinode(type(mb)))).toEqual([8, 8, 16, 64, 64, 64]);
        expect(maxVolumesPerLinode(type(12 * 1024))).toBe(12);
    });
});

describe("catalogue files", () => {
    const tmp = tempDir();
    afterAll(() => tmp.cleanup());
    const custom: Catalog = { ...bundledCatalog, source: "custom", date: "2030-01-01" };

    it("reads a catalogue file and explains why one cannot be used", () => {
        expect(readCatalogFile(tmp.file("ok.json", JSON.stringify(custom))).source).toBe("custom");
        expect(() => readCatalogFile(`${tmp.dir}/none.json`)).toThrow(`cannot read catalogue ${tmp.dir}/none.json: ENOENT`);
        expect(() => readCatalogFile(tmp.file("bad.json", "{"))).toThrow(/^catalogue .*bad\.json is not valid JSON: /);
        expect(() => readCatalogFile(tmp.file("shape.json", JSON.stringify({ ...custom, date: "July" })))).toThrow(/^catalogue .*shape\.json is malformed at date: /);
        expect(() => readCatalogFile(tmp.file("norg.json", JSON.stringify({ ...custom, regions: [] })))).toThrow(/malformed at regions: /);
    });

    it("chooses an explicit file, then LCT_CATALOG, then the refreshed user catalogue, then the bundled one", () => {
        const explicit = tmp.file("explicit.json", JSON.stringify({ ...custom, source: "explicit" }));
        const env = tmp.file("env.json", JSON.stringify({ ...custom, source: "env" }));
        const xdg = path.join(tmp.dir, "xdg");
        fs.mkdirSync(path.join(xdg, "lct"), { recursive: true });
        expect(userCatalogPath({ XDG_CONFIG_HOME: xdg })).toBe(path.join(xdg, "lct", "catalog.json"));
        expect(userCatalogPath({ HOME: "/home/ops" })).toBe("/home/ops/.config/lct/catalog.json");
        expect(userCatalogPath({})).toBeUndefined();

        expect(resolveCatalog({ env: { XDG_CONFIG_HOME: xdg } })).toBe(bundledCatalog);
        fs.writeFileSync(path.join(xdg, "lct", "catalog.json"), JSON.stringify({ ...custom, source: "user" }));
        expect(resolveCatalog({ env: { XDG_CONFIG_HOME: xdg } }).source).toBe("user");
        expect(resolveCatalog({ env: { XDG_CONFIG_HOME: xdg, LCT_CATALOG: env } }).source).toBe("env");
        expect(resolveCatalog({ file: explicit, env: { XDG_CONFIG_HOME: xdg, LCT_CATALOG: env } }).source).toBe("explicit");
        expect(resolveCatalog()).toBe(bundledCatalog);
    });
});

/** Answers shaped like the API's (linode-api.md §12, §21), with the fields LCT ignores left in. */
const apiRegions: ApiRegion[] = [
    {
        id: "us-ord",
        label: "Chicago, IL",
        country: "us",
        capabilities: ["Linodes", "Block Storage", "VPCs", "Metadata", "Cloud Firewall", "NodeBalancers", "Placement Group"],
        site_type: "core",
        placement_group_limits: { maximum_linodes_per_pg: 10, maximum_pgs_per_customer: null } as never,
        ...({ status: "ok", resolvers: { ipv4: "172.232.0.17", ipv6: "2600:3c06::f03c:93ff:fe24:5a53" } } as object),
    },
    { id: "zz-new", label: "Newtown, ZZ", country: "zz", capabilities: ["Linodes", "Cloud Firewall"] },
    { id: "aa-new", label: "Aatown, AA", country: "aa", capabilities: ["Linodes"], site_type: "distributed", placement_group_limits: null },
];
const apiTypes: ApiType[] = [
    {
        id: "g6-nanode-1",
        label: "Nanode 1GB",
        class: "nanode",
        vcpus: 1,
        memory: 1024,
        disk: 25600,
        transfer: 1000,
        price: { hourly: 0.0075, monthly: 5 },
        region_prices: [{ id: "id-cgk", hourly: 0.009, monthly: 6 }],
        addons: { backups: { price: { monthly: 2 } } },
        ...({ network_out: 1000, gpus: 0, successor: null } as object),
    },
    { id: "g8-dedicated-4-2", label: "G8 Dedicated 4x2", class: "dedicated", vcpus: 2, memory: 4096, disk: 40960, transfer: 4000, price: { hourly: 0.07, monthly: null } },
];
const apiImages: ApiImage[] = [
    { id: "linode/debian13", label: "Debian 13", vendor: "Debian", capabilities: ["cloud-init", "distributed-sites"], deprecated: false, eol: "2030-06-30T04:00:00", is_public: true },
    { id: "linode/alpine3.20", label: "Alpine 3.20", vendor: null, deprecated: true, eol: null },
    { id: "private/123", label: "golden", vendor: null, is_public: false },
];

describe("catalogFromApi", () => {
    const previous: Catalog = { ...bundledCatalog, regions: [...bundledCatalog.regions, { ...bundledCatalog.regions[0]!, id: "zz-new", vpcIndex: 40 }] };
    const fresh = catalogFromApi({ regions: apiRegions, types: apiTypes, images: apiImages }, previous, { date: "2030-01-02", source: "test" });

    it("maps regions, keeping known VPC numbers and numbering new regions after the highest", () => {
        expect(fresh.regions).toEqual([
            { id: "aa-new", label: "Aatown, AA", country: "aa", capabilities: ["Linodes"], siteType: "distributed", maxLinodesPerPlacementGroup: 5, vpcIndex: 41 },
            {
                id: "us-ord",
                label: "Chicago, IL",
                country: "us",
                capabilities: apiRegions[0]!.capabilities,
                siteType: "core",
                maxLinodesPerPlacementGroup: 10,
                vpcIndex: bundledCatalog.regions.find((r) => r.id === "us-ord")!.vpcIndex,
            },
            { id: "zz-new", label: "Newtown, ZZ", country: "zz", capabilities: ["Linodes", "Cloud Firewall"], siteType: "core", maxLinodesPerPlacementGroup: 5, vpcIndex: 40 },
        ]);
    });

    it("keeps the bundled VPC number of a region the previous catalogue lacked", () => {
        const sparse: Catalog = { ...bundledCatalog, regions: [{ ...bundledCatalog.regions[0]!, id: "zz-new", vpcIndex: 40 }] };
        const next = catalogFromApi({ regions: apiRegions, types: apiTypes, images: apiImages }, sparse, { date: "2030-01-02", source: "test" });
        expect(next.regions.find((r) => r.id === "us-ord")!.vpcIndex).toBe(31);
    });

    it("maps types with prices (unknown stays null) and region overrides", () => {
        expect(fresh.types).toEqual([
            {
                id: "g6-nanode-1",
                label: "Nanode 1GB",
                class: "nanode",
                vcpus: 1,
                memoryMb: 1024,
                diskMb: 25600,
                transferGb: 1000,
                price: { monthly: 5, hourly: 0.0075 },
                regionPrices: [{ id: "id-cgk", monthly: 6, hourly: 0.009 }],
                backupsMonthly: 2,
            },
            {
                id: "g8-dedicated-4-2",
                label: "G8 Dedicated 4x2",
                class: "dedicated",
                vcpus: 2,
                memoryMb: 4096,
                diskMb: 40960,
                transferGb: 4000,
                price: { monthly: null, hourly: 0.07 },
                regionPrices: [],
                backupsMonthly: null,
            },
        ]);
    });

    it("keeps public linode/ images with their cloud-init capability, deprecation and end of life", () => {
        expect(fresh.images).toEqual([
            { id: "linode/alpine3.20", label: "Alpine 3.20", vendor: "", capabilities: [], deprecated: true },
            { id: "linode/debian13", label: "Debian 13", vendor: "Debian", capabilities: ["cloud-init", "distributed-sites"], deprecated: false, eol: "2030-06-30" },
        ]);
    });

    it("dates the result, keeps unit prices, and passes the catalogue schema", () => {
        expect([fresh.source, fresh.date, fresh.prices]).toEqual(["test", "2030-01-02", bundledCatalog.prices]);
        expect(catalogSchema.safeParse(fresh).success).toBe(true);
    });
});
