import type { Page } from "./types";

/** The largest page the API serves; fewer, bigger pages spend less of the rate limit. */
export const MAX_PAGE_SIZE = 500;
export const MIN_PAGE_SIZE = 25;

/** Guards against a server whose `pages` keeps growing. */
const MAX_PAGES = 10_000;

/**
 * Fetches every page of a collection in order and concatenates the data. Stops at the last
 * page the server announces, or early on an empty page.
 */
export async function collectPages<T>(fetchPage: (page: number) => Promise<Page<T>>): Promise<T[]> {
    const all: T[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
        const p = await fetchPage(page);
        if (!p || !Array.isArray(p.data)) {
            throw new Error(`page ${page} is not a paginated response (no "data" array)`);
        }
        all.push(...p.data);
        const pages = Number.isInteger(p.pages) ? p.pages : 1;
        if (page >= pages || p.data.length === 0) return all;
    }
    throw new Error(`collection has more than ${MAX_PAGES} pages`);
}

export function clampPageSize(size: number | undefined): number {
    if (size === undefined || !Number.isFinite(size)) return MAX_PAGE_SIZE;
    return Math.min(MAX_PAGE_SIZE, Math.max(MIN_PAGE_SIZE, Math.round(size)));
}
