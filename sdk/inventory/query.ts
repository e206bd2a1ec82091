/**
 * The node query language: `role=kafka-broker and region=us-east`, `tag=env-prod or not
 * group=bastion`, `label=shop-us-ord-web-*`.
 *
 *   query      := or
 *   or         := and ("or" and)*
 *   and        := unary ("and" unary)*
 *   unary      := "not" unary | "(" or ")" | comparison
 *   comparison := field ("=" | "==" | "!=") value
 *   value      := bare word (no spaces or parentheses) | "double-quoted" | 'single-quoted'
 *
 * Keywords and field names are case-insensitive; values are not. `*` in a value matches any
 * run of characters. A bare value runs to the next space or parenthesis, so tag values such as
 * `lct:role=kafka` need no quotes. Pure: parsing and evaluation touch nothing else.
 */
import { closest } from "../plan/did-you-mean";
import { matchesFilter, type NodeFilter } from "./filter";
import type { InventoryNode } from "./types";

export const QUERY_FIELDS = ["tag", "role", "group", "region", "label", "type", "cluster", "name", "image", "index", "id"] as const;
export type QueryField = (typeof QUERY_FIELDS)[number];
export type QueryOp = "=" | "!=";

export type QueryExpr =
    | { kind: "cmp"; field: QueryField; op: QueryOp; value: string }
    | { kind: "and"; items: QueryExpr[] }
    | { kind: "or"; items: QueryExpr[] }
    | { kind: "not"; item: QueryExpr };

/** A malformed query: `position` is the 0-based offset of the problem in `query`. */
export class QuerySyntaxError extends Error {
    constructor(
        public readonly reason: string,
        public readonly query: string,
        public readonly position: number,
    ) {
        super(`malformed query at column ${position + 1}: ${reason}\n  ${query}\n  ${" ".repeat(position)}^`);
        this.name = "QuerySyntaxError";
    }
}

const KEYWORDS = new Set(["and", "or", "not"]);
const FIELD_SET = new Set<string>(QUERY_FIELDS);
const isSpace = (c: string | undefined): boolean => c === " " || c === "\t" || c === "\n" || c === "\r";
const isWordChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_\-.:]/.test(c);

/** Parses a query; throws QuerySyntaxError with the position of the first problem. */
export function parseQuery(text: string): QueryExpr {
    let pos = 0;
    const fail = (reason: string, at = pos): never => {
        throw new QuerySyntaxError(reason, text, Math.min(at, text.length));
    };
    const skipSpace = (): void => {
        while (isSpace(text[pos])) pos++;
    };
    /** The identifier-like word at the cursor, without consuming it. */
    const peekWord = (): string => {
        let end = pos;
        while (isWordChar(text[end])) end++;
        return text.slice(pos, end);
    };
    const describeHere = (): string => {
        if (pos >= text.length) return "the end of the query";
        const w = peekWord();
        return w ? `"${w}"` : `"${text[pos]}"`;
    };
    const keywordAt = (kw: string): boolean => {
        const w = peekWord();
        return w.toLowerCase() === kw;
    };

    const parseOr = (): QueryExpr => {
        const items = [parseAnd()];
        for (;;) {
            skipSpace();
            if (!keywordAt("or")) break;
            pos += 2;
            items.push(parseAnd());
        }
        return items.length === 1 ? items[0]! : { kind: "or", items };
    };

    const parseAnd = (): QueryExpr => {
        const items = [parseUnary()];
        for (;;) {
            skipSpace();
            if (!keywordAt("and")) break;
            pos += 3;
            items.push(parseUnary());
        }
        return items.length === 1 ? items[0]! : { kind: "and", items };
    };

    const parseUnary = (): QueryExpr => {
        skipSpace();
        if (pos >= text.length) fail('expected a condition such as "role=web"');
        if (text[pos] === "(") {
            const open = pos++;
            const inner = parseOr();
            skipSpace();
            if (text[pos] !== ")") fail(`expected ")" to close the "(" at column ${open + 1}, found ${describeHere()}`);
            pos++;
            return inner;
        }
        if (text[pos] === ")") fail('unexpected ")": nothing is open here');
        if (keywordAt("not")) {
            pos += 3;
            return { kind: "not", item: parseUnary() };
        }
        return parseComparison();
    };

    const parseComparison = (): QueryExpr => {
        const start = pos;
        const word = peekWord();
        if (!word) fail(`expected a field name (${QUERY_FIELDS.join(", ")}), found ${describeHere()}`);
        const lower = word.toLowerCase();
        if (KEYWORDS.has(lower)) fail(`expected a condition such as "role=web", found the keyword "${word}"`);
        if (!FIELD_SET.has(lower)) {
            const hint = closest(lower, QUERY_FIELDS);
            fail(`unknown field "${word}"${hint ? `; did you mean "${hint}"?` : ""} (fields: ${QUERY_FIELDS.join(", ")})`, start);
        }
        pos += word.length;
        skipSpace();
        let op: QueryOp;
        if (text.startsWith("!=", pos)) {
            op = "!=";
            pos += 2;
        } else if (text.startsWith("==", pos)) {
            op = "=";
            pos += 2;
        } else if (text[pos] === "=") {
            op = "=";
            pos += 1;
        } else {
            op = fail(`expected "=" or "!=" after "${word}", found ${describeHere()}`);
        }
        skipSpace();
        const valueAt = pos;
        const value = parseValue(word, op);
        const field = lower as QueryField;
        if (field === "index" && !/^\d+$/.test(value)) fail(`index takes a whole number, not "${value}"`, valueAt);
        return { kind: "cmp", field, op, value };
    };

    const parseValue = (field: string, op: QueryOp): string => {
        const quote = text[pos];
        if (quote === '"' || quote === "'") {
            const open = pos++;
            let out = "";
            for (;;) {
                const c = text[pos];
                if (c === undefined) fail(`unterminated ${quote === '"' ? "double" : "single"}-quoted value (opened at column ${open + 1})`, open);
                pos++;
                if (c === quote) break;
                if (c === "\\") {
                    const next = text[pos];
                    if (next === undefined) fail("a backslash must be followed by a character", pos - 1);
                    out += next;
                    pos++;
                    continue;
                }
                out += c;
            }
            if (out === "") fail(`empty value for "${field}${op}"`, open);
            return out;
        }
        const start = pos;
        while (pos < text.length && !isSpace(text[pos]) && text[pos] !== "(" && text[pos] !== ")") pos++;
        const value = text.slice(start, pos);
        if (value === "") fail(`expected a value after "${field}${op}"`);
        return value;
    };

    const expr = parseOr();
    skipSpace();
    if (pos < text.length) {
        if (text[pos] === ")") fail('unexpected ")": nothing is open here');
        fail(`expected "and", "or" or the end of the query, found ${describeHere()}`);
    }
    return expr;
}

/** A value as written back into a query: bare when that parses back the same, else quoted. */
function formatValue(value: string): string {
    if (/^[^\s()"'\\]+$/.test(value)) return value;
    return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** Canonical text of a query (parses back to the same expression). */
export function formatQuery(expr: QueryExpr): string {
    const wrap = (e: QueryExpr, parentKind: "and" | "or" | "not"): string => {
        const s = formatQuery(e);
        // Same-kind nesting keeps its parentheses so that the text parses back to the same tree.
        const needs = (parentKind === "not" || parentKind === "and") && (e.kind === "and" || e.kind === "or");
        return needs ? `(${s})` : s;
    };
    switch (expr.kind) {
        case "cmp":
            return `${expr.field}${expr.op}${formatValue(expr.value)}`;
        case "not":
            return `not ${wrap(expr.item, "not")}`;
        case "and":
            return expr.items.map((i) => wrap(i, "and")).join(" and ");
        case "or":
            // An `or` nested directly in an `or` would re-parse flattened; keep its parentheses.
            return expr.items.map((i) => (i.kind === "or" ? `(${formatQuery(i)})` : wrap(i, "or"))).join(" or ");
    }
}

/** A compiled string matcher: exact unless the pattern holds `*`. No per-call regex building. */
export function globMatcher(pattern: string): (value: string | undefined) => boolean {
    if (!pattern.includes("*")) return (v) => v === pattern;
    const parts = pattern.split("*");
    const first = parts[0]!;
    const last = parts[parts.length - 1]!;
    const middle = parts.slice(1, -1).filter((p) => p !== "");
    const minLength = parts.reduce((n, p) => n + p.length, 0);
    return (v) => {
        if (v === undefined || v.length < minLength || !v.startsWith(first) || !v.endsWith(last)) return false;
        let at = first.length;
        const end = v.length - last.length;
        for (const m of middle) {
            const i = v.indexOf(m, at);
            if (i < 0 || i + m.length > end) return false;
            at = i + m.length;
        }
        return true;
    };
}

/** What a query is evaluated against: an inventory node and the cluster it belongs to. */
export type NodePredicate = (node: InventoryNode, cluster?: string) => boolean;

const CLUSTER_TAG = "lct:cluster=";
function clusterOf(node: InventoryNode, cluster: string | undefined): string | undefined {
    if (cluster !== undefined) return cluster;
    const t = node.tags.find((x) => x.startsWith(CLUSTER_TAG));
    return t === undefined ? undefined : t.slice(CLUSTER_TAG.length);
}

function compileCmp(field: QueryField, value: string): NodePredicate {
    const m = globMatcher(value);
    switch (field) {
        case "tag":
            return (n) => n.tags.some(m);
        case "group":
            return (n) => m(n.group) || m(n.groupName);
        case "index": {
            const want = Number(value);
            return (n) => n.index === want;
        }
        case "cluster":
            return (n, c) => m(clusterOf(n, c));
        case "role":
            return (n) => m(n.role);
        case "region":
            return (n) => m(n.region);
        case "label":
            return (n) => m(n.label);
        case "type":
            return (n) => m(n.type);
        case "name":
            return (n) => m(n.name);
        case "image":
            return (n) => m(n.image);
        case "id":
            return (n) => m(n.id);
    }
}

/** Compiles a query (text or parsed) into a predicate; text is parsed first (and may throw). */
export function compileQuery(query: string | QueryExpr): NodePredicate {
    const expr = typeof query === "string" ? parseQuery(query) : query;
    switch (expr.kind) {
        case "cmp": {
            const p = compileCmp(expr.field, expr.value);
            return expr.op === "=" ? p : (n, c) => !p(n, c);
        }
        case "not": {
            const p = compileQuery(expr.item);
            return (n, c) => !p(n, c);
        }
        case "and": {
            const ps = expr.items.map(compileQuery);
            return (n, c) => ps.every((p) => p(n, c));
        }
        case "or": {
            const ps = expr.items.map(compileQuery);
            return (n, c) => ps.some((p) => p(n, c));
        }
    }
}

/** A structured filter as a query expression (every field given must match). */
export function filterToQuery(f: NodeFilter): QueryExpr | undefined {
    const items: QueryExpr[] = [];
    const tags = f.tag === undefined ? [] : Array.isArray(f.tag) ? f.tag : [f.tag];
    for (const t of tags) items.push({ kind: "cmp", field: "tag", op: "=", value: t });
    for (const field of ["role", "group", "region", "label", "type"] as const) {
        const v = f[field];
        if (v !== undefined) items.push({ kind: "cmp", field, op: "=", value: v });
    }
    if (items.length === 0) return undefined;
    return items.length === 1 ? items[0] : { kind: "and", items };
}

/** A query string, a parsed query, or a structured filter. */
export type NodeSelector = string | QueryExpr | NodeFilter;

function isQueryExpr(s: object): s is QueryExpr {
    const kind = (s as { kind?: unknown }).kind;
    return kind === "cmp" || kind === "and" || kind === "or" || kind === "not";
}

/** The predicate of any selector; undefined or an empty filter selects every node. */
export function selectorPredicate(selector: NodeSelector | undefined): NodePredicate {
    if (selector === undefined) return () => true;
    if (typeof selector === "string") return selector.trim() === "" ? () => true : compileQuery(selector);
    if (isQueryExpr(selector)) return compileQuery(selector);
    // Object filters keep their own (exact, glob-free) semantics.
    return (n) => matchesFilter(n, selector);
}
