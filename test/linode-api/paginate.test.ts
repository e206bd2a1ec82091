import { describe, expect, it } from "vitest";
import { clampPageSize, collectPages } from "../../sdk/linode-api/paginate";
import type { Page } from "../../sdk/linode-api/types";

function pager(total: number, size: number): { fetchPage: (n: number) => Promise<Page<number>>; asked: number[] } {
    const asked: number[] = [];
    const pages = Math.max(1, Math.ceil(total / size));
    return {
        asked,
        fetchPage: async (n) => {
            asked.push(n);
            const data = Array.from({ length: Math.max(0, Math.min(size, total - (n - 1) * size)) }, (_, i) => (n - 1) * size + i);
            return { data, page: n, pages, results: total };
        },
    };
}

describe("collectPages", () => {
    it("asks each page once, in order, and concatenates", async () => {
        const p = pager(7, 3);
        expect(await collectPages(p.fetchPage)).toEqual([0, 1, 2, 3, 4, 5, 6]);
        expect(p.asked).toEqual([1, 2, 3]);
    });
    it("makes one request for an empty collection", async () => {
        const p = pager(0, 25);
        expect(await collectPages(p.fetchPage)).toEqual([]);
        expect(p.asked).toEqual([1]);
    });
    it("rejects an answer that is not a page", async () => {
        await expect(collectPages(async () => ({}) as Page<number>)).rejects.toThrow(/not a paginated response/);
    });
});

describe("clampPageSize", () => {
    it("keeps the API's 25–500 range and defaults to the largest", () => {
        expect([clampPageSize(undefined), clampPageSize(10), clampPageSize(100), clampPageSize(9999)]).toEqual([500, 25, 100, 500]);
    });
});
