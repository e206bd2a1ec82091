import { describe, expect, it } from "vitest";
import { bundledCatalog } from "../../sdk/catalog/load";
import type { Catalog } from "../../sdk/catalog/types";
import { estimateCost, typePrice } from "../../sdk/cost/estimate";
import { planTotals } from "../../sdk/plan/totals";
import { resolve } from "../plan/helpers";

/**
 * Expected figures are worked out from the catalogue's unit prices (linode-api.md §21): each
 * comment shows the arithmetic.
 */

function plan(region: string): any {
    return {
        name: "cost",
        exposure: { adminCidrs: ["203.0.113.0/24"] },
        regions: [
            {
                region,
                nodeGroups: [
                    { name: "web", type: "g6-standard-2", count: 3 },
                    { name: "db", type: "g6-dedicated-4", count: 2, storage: [{ name: "data", sizeGb: 100, mountPath: "/data" }, { name: "wal", sizeGb: 50, mountPath: "/wal" }] },
                ],
            },
        ],
        loadBalancers: [{ name: "front", region, listeners: [{ port: 80, target: { group: "web", port: 8080 } }] }],
    };
}

describe("cost estimate", () => {
    it("prices compute, volumes and NodeBalancers at list prices", () => {
        const r = resolve(plan("us-ord"));
        const cost = estimateCost(r, bundledCatalog);
        expect(cost.groups).toEqual([
            // 3 × $24/month, 3 × $0.036/hour.
            { group: "us-ord/web", nodes: 3, perNode: { monthly: 24, hourly: 0.036 }, compute: { monthly: 72, hourly: 0.108 }, volumesGb: 0, volumes: { monthly: 0, hourly: 0 }, total: { monthly: 72, hourly: 0.108 } },
            // 2 × $72; 2 × 150 GB × $0.10 = $30 ($0.00015/GB-hour → $0.045).
            { group: "us-ord/db", nodes: 2, perNode: { monthly: 72, hourly: 0.108 }, compute: { monthly: 144, hourly: 0.216 }, volumesGb: 300, volumes: { monthly: 30, hourly: 0.045 }, total: { monthly: 174, hourly: 0.261 } },
        ]);
        expect(cost.loadBalancers).toEqual([{ name: "front", region: "us-ord", cost: { monthly: 10, hourly: 0.015 } }]);
        // 72 + 174 + 10.
        expect(cost.total).toEqual({ monthly: 256, hourly: 0.384 });
        expect(cost.unpriced).toEqual([]);
        expect(cost.catalogDate).toBe("2026-07-01");
    });

    it("uses the region price overrides (br-gru ≈ +40 %)", () => {
        const cost = estimateCost(resolve(plan("br-gru")), bundledCatalog);
        // web 3 × $33.60; db 2 × $100.80 + 300 GB × $0.14; NodeBalancer $14.
        expect(cost.groups.map((g) => g.total.monthly)).toEqual([100.8, 243.6]);
        expect(cost.loadBalancers[0]!.cost.monthly).toBe(14);
        expect(cost.total.monthly).toBe(358.4);
        expect(typePrice(bundledCatalog.types.find((t) => t.id === "g6-nanode-1")!, "id-cgk")).toEqual({ monthly: 6, hourly: 0.009 });
        expect(typePrice(bundledCatalog.types.find((t) => t.id === "g6-nanode-1")!, "us-ord")).toEqual({ monthly: 5, hourly: 0.0075 });
    });

    it("keeps an unknown price unknown in every total that includes it, and names it", () => {
        const catalog: Catalog = {
            ...bundledCatalog,
            types: [...bundledCatalog.types, { ...bundledCatalog.types[0]!, id: "g8-dedicated-4-2", price: { monthly: null, hourly: 0.07 }, regionPrices: [] }],
        };
        const p = plan("us-ord");
        p.regions[0].nodeGroups[0].type = "g8-dedicated-4-2";
        const cost = estimateCost(resolve(p, { catalog }), catalog);
        expect(cost.groups[0]!.total).toEqual({ monthly: null, hourly: 0.21 });
        expect(cost.total).toEqual({ monthly: null, hourly: 0.486 });
        expect(cost.unpriced).toEqual(["us-ord/web (g8-dedicated-4-2)"]);
    });
});

describe("plan totals", () => {
    it("adds up vCPUs, memory, disk and block storage from the catalogue's specs", () => {
        // web: 3 × (2 vCPU, 4 GB, 80 GB); db: 2 × (4 vCPU, 8 GB, 160 GB).
        expect(planTotals(resolve(plan("us-ord")), bundledCatalog)).toEqual({
            regions: 1,
            groups: 2,
            nodes: 5,
            vcpus: 14,
            memoryGb: 28,
            diskGb: 560,
            volumes: 4,
            blockStorageGb: 300,
            loadBalancers: 1,
        });
    });
});
