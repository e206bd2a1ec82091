/**
 * Pushing a query down to the Linode API as an X-Filter on `/linode/instances`. The filter is
 * a superset of the answer — never narrower — and the query is evaluated again on what comes
 * back, so parts the API cannot filter (type, index, "!=", "not", most globs) simply are not
 * sent. Role, group and cluster become LCT tags (`lct:role=…`); equality on the `tags` array
 * means "contains" (see reference/linode-api.md §14). Where a node's field has a fallback (role
 * falls back to the group name, region to the API's region), both are asked for.
 */
import type { XFilter } from "../linode-api/filter";
import { lctTag } from "../naming/tags";
import type { QueryExpr } from "./query";

function cmpFilter(field: string, value: string): XFilter | undefined {
    if (value.includes("*")) {
        if (field !== "label") return undefined;
        // A literal part of the pattern: every match contains it.
        const longest = value.split("*").reduce((a, b) => (b.length > a.length ? b : a), "");
        return longest.length > 0 ? { label: { "+contains": longest } } : undefined;
    }
    switch (field) {
        case "tag":
            return { tags: value };
        case "role":
            // A node without a role tag takes its group's name as its role (nodeFromInstance).
            return { "+or": [{ tags: lctTag("role", value) }, { tags: lctTag("group", value) }] };
        case "cluster":
            return { tags: lctTag("cluster", value) };
        case "group": {
            const slash = value.indexOf("/");
            if (slash < 0) return { tags: lctTag("group", value) };
            return { "+and": [{ region: value.slice(0, slash) }, { tags: lctTag("group", value.slice(slash + 1)) }] };
        }
        case "region":
            // The LCT region tag wins over the API's field when they differ (nodeFromInstance).
            return { "+or": [{ region: value }, { tags: lctTag("region", value) }] };
        case "label":
            return { label: value };
        case "image":
            return { image: value };
        case "id":
            return /^\d+$/.test(value) ? { id: Number(value) } : undefined;
        default:
            return undefined;
    }
}

/** The X-Filter for a query, or undefined when nothing of it can be pushed down. */
export function queryToXFilter(expr: QueryExpr): XFilter | undefined {
    switch (expr.kind) {
        case "cmp":
            return expr.op === "=" ? cmpFilter(expr.field, expr.value) : undefined;
        case "not":
            return undefined;
        case "and": {
            const parts = expr.items.map(queryToXFilter).filter((f): f is XFilter => f !== undefined);
            if (parts.length === 0) return undefined;
            return parts.length === 1 ? parts[0] : { "+and": parts };
        }
        case "or": {
            const parts = expr.items.map(queryToXFilter);
            if (parts.some((f) => f === undefined)) return undefined;
            return { "+or": parts as XFilter[] };
        }
    }
}
