/**
 * Lists as the API serves them: X-Filter applied, then paginated (`page` from 1, `page_size`
 * 25–500, default 100). A page beyond the last returns the last page, as the legacy spec says
 * for very large page numbers.
 */
import { badRequest } from "./errors";
import { applyXFilter, compileXFilter, FilterError, type Order } from "./filter";
import type { SimRequest } from "./router";

export interface PageBody<T> {
    data: T[];
    page: number;
    pages: number;
    results: number;
}

export function listResponse<T>(
    req: SimRequest,
    items: readonly T[],
    filterable: readonly string[],
    fallback?: { orderBy: string; order: Order },
): PageBody<T> {
    let filtered: T[];
    try {
        const compiled = req.filter === undefined ? undefined : compileXFilter(parseFilterHeader(req.filter), filterable);
        filtered = applyXFilter(items, compiled, fallback);
    } catch (e) {
        if (e instanceof FilterError) throw badRequest(e.message, e.field);
        throw e;
    }
    return paginate(filtered, req.query);
}

function parseFilterHeader(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        throw new FilterError("X-Filter is not valid JSON");
    }
}

export function paginate<T>(items: readonly T[], query: URLSearchParams): PageBody<T> {
    const pageSize = intParam(query, "page_size", 100);
    if (pageSize < 25 || pageSize > 500) throw badRequest("Must be between 25 and 500", "page_size");
    const requested = intParam(query, "page", 1);
    if (requested < 1) throw badRequest("Must be 1 or more", "page");
    const pages = Math.max(1, Math.ceil(items.length / pageSize));
    const page = Math.min(requested, pages);
    return { data: items.slice((page - 1) * pageSize, page * pageSize), page, pages, results: items.length };
}

function intParam(query: URLSearchParams, name: string, fallback: number): number {
    const raw = query.get(name);
    if (raw === null || raw === "") return fallback;
    if (!/^\d+$/.test(raw)) throw badRequest("Must be an integer", name);
    return Number(raw);
}
