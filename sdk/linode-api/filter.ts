/**
 * Builders for the `X-Filter` header (JSON). Only fields the API marks filterable may appear;
 * the API answers 400 "Cannot filter on <field>" otherwise.
 */

export type XFilter = { [key: string]: unknown };

/** Objects carrying the tag (equality on an array field means "contains"). */
export function tagFilter(tag: string): XFilter {
    return { tags: tag };
}

/** Objects whose `field` equals any of `values`. */
export function anyOf(field: string, values: readonly (string | number)[]): XFilter {
    return { "+or": values.map((v) => ({ [field]: v })) };
}

/** Objects matching every filter. */
export function allOf(...filters: XFilter[]): XFilter {
    return { "+and": filters };
}

export function ordered(filter: XFilter, orderBy: string, order: "asc" | "desc" = "asc"): XFilter {
    return { ...filter, "+order_by": orderBy, "+order": order };
}

export function encodeFilter(filter: XFilter): string {
    return JSON.stringify(filter);
}
