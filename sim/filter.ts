/**
 * X-Filter semantics (legacy spec §Filtering and Sorting, plus what clients are recorded to
 * send): keys ANDed; `+and`/`+or` arrays of nested filters; `+gt/+gte/+lt/+lte` comparisons
 * (numbers, or strings such as `created` timestamps); `+contains` substring; `+neq`;
 * `+order_by`/`+order`; dotted keys (`entity.id`). Equality on an array field (tags) means
 * "the array contains the value". Keys that are not filterable are refused with the API's
 * "Cannot filter on <key>".
 */

export class FilterError extends Error {
    readonly field = "X-Filter";
}

export type Order = "asc" | "desc";

export interface CompiledFilter {
    matches(item: unknown): boolean;
    orderBy?: string;
    order: Order;
}

type Predicate = (item: unknown) => boolean;

const COMPARATORS = ["+gt", "+gte", "+lt", "+lte", "+contains", "+neq"] as const;
type Comparator = (typeof COMPARATORS)[number];

/** Reads `a.b.c` from an object; undefined when any step is missing. */
export function fieldValue(item: unknown, path: string): unknown {
    let cur: unknown = item;
    for (const step of path.split(".")) {
        if (cur === null || typeof cur !== "object") return undefined;
        cur = (cur as Record<string, unknown>)[step];
    }
    return cur;
}

export function compileXFilter(raw: unknown, filterable: readonly string[]): CompiledFilter {
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        throw new FilterError("X-Filter must be a JSON object");
    }
    const allowed = new Set(filterable);
    const top = raw as Record<string, unknown>;
    let orderBy: string | undefined;
    let order: Order = "asc";
    if ("+order_by" in top) {
        const v = top["+order_by"];
        if (typeof v !== "string") throw new FilterError("+order_by must be a string");
        if (!allowed.has(v)) throw new FilterError(`Cannot filter on ${v}`);
        orderBy = v;
    }
    if ("+order" in top) {
        const v = top["+order"];
        if (v !== "asc" && v !== "desc") throw new FilterError('+order must be "asc" or "desc"');
        order = v;
    }
    const predicate = compileObject(top, allowed);
    return { matches: predicate, ...(orderBy === undefined ? {} : { orderBy }), order };
}

function compileObject(obj: Record<string, unknown>, allowed: Set<string>): Predicate {
    const parts: Predicate[] = [];
    for (const [key, value] of Object.entries(obj)) {
        if (key === "+order_by" || key === "+order") continue;
        if (key === "+and" || key === "+or") {
            if (!Array.isArray(value)) throw new FilterError(`${key} must be an array of filters`);
            const subs = value.map((v) => {
                if (v === null || typeof v !== "object" || Array.isArray(v)) {
                    throw new FilterError(`${key} must be an array of filters`);
                }
                return compileObject(v as Record<string, unknown>, allowed);
            });
            parts.push(key === "+and" ? (it) => subs.every((p) => p(it)) : (it) => subs.some((p) => p(it)));
            continue;
        }
        if (key.startsWith("+")) throw new FilterError(`Unknown filter operator ${key}`);
        if (!allowed.has(key)) throw new FilterError(`Cannot filter on ${key}`);
        parts.push(compileField(key, value));
    }
    return (it) => parts.every((p) => p(it));
}

function compileField(key: string, cond: unknown): Predicate {
    if (cond === null || typeof cond !== "object") return (it) => equalsOrContains(fieldValue(it, key), cond);
    if (Array.isArray(cond)) throw new FilterError(`Filter value for ${key} must not be an array`);
    const ops = Object.entries(cond as Record<string, unknown>);
    if (ops.length === 0) throw new FilterError(`Empty filter for ${key}`);
    const checks = ops.map(([op, operand]): Predicate => {
        if (!(COMPARATORS as readonly string[]).includes(op)) throw new FilterError(`Unknown filter operator ${op}`);
        return compileComparator(key, op as Comparator, operand);
    });
    return (it) => checks.every((c) => c(it));
}

function compileComparator(key: string, op: Comparator, operand: unknown): Predicate {
    switch (op) {
        case "+contains":
            if (typeof operand !== "string") throw new FilterError(`+contains on ${key} needs a string`);
            return (it) => {
                const v = fieldValue(it, key);
                if (Array.isArray(v)) return v.some((x) => typeof x === "string" && x.includes(operand));
                return typeof v === "string" && v.includes(operand);
            };
        case "+neq":
            return (it) => !equalsOrContains(fieldValue(it, key), operand);
        default: {
            if (typeof operand !== "number" && typeof operand !== "string") {
                throw new FilterError(`${op} on ${key} needs a number or a string`);
            }
            return (it) => {
                const v = fieldValue(it, key);
                if (typeof v !== typeof operand) return false;
                const c = compareScalars(v as number | string, operand);
                return op === "+gt" ? c > 0 : op === "+gte" ? c >= 0 : op === "+lt" ? c < 0 : c <= 0;
            };
        }
    }
}

function equalsOrContains(value: unknown, wanted: unknown): boolean {
    if (Array.isArray(value)) return value.some((v) => scalarEquals(v, wanted));
    return scalarEquals(value, wanted);
}

function scalarEquals(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    // JSON clients sometimes send ids as strings; the API compares them as numbers.
    if (typeof a === "number" && typeof b === "string") return b.trim() !== "" && Number(b) === a;
    if (typeof a === "string" && typeof b === "number") return a.trim() !== "" && Number(a) === b;
    return false;
}

function compareScalars(a: number | string, b: number | string): number {
    if (a < b) return -1;
    if (a > b) return 1;
    return 0;
}

/**
 * Filters and orders. Without `+order_by` the collection keeps its own order (creation order;
 * the catalogue's order for types, as the API lists them), or `fallback` when given.
 */
export function applyXFilter<T>(
    items: readonly T[],
    filter: CompiledFilter | undefined,
    fallback?: { orderBy: string; order: Order },
): T[] {
    const kept = filter ? items.filter((it) => filter.matches(it)) : [...items];
    const orderBy = filter?.orderBy ?? fallback?.orderBy;
    if (orderBy === undefined) return kept;
    const order = filter?.orderBy ? filter.order : (fallback?.order ?? "asc");
    const sign = order === "desc" ? -1 : 1;
    return kept
        .map((it, i) => ({ it, i }))
        .sort((x, y) => {
            const c = compareForSort(fieldValue(x.it, orderBy), fieldValue(y.it, orderBy));
            return c !== 0 ? sign * c : x.i - y.i;
        })
        .map((x) => x.it);
}

function compareForSort(a: unknown, b: unknown): number {
    if (a === b) return 0;
    if (a === undefined || a === null) return -1;
    if (b === undefined || b === null) return 1;
    if (typeof a === typeof b && (typeof a === "number" || typeof a === "string" || typeof a === "boolean")) {
        return a < (b as typeof a) ? -1 : 1;
    }
    return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}
