import type { z } from "zod";
import { didYouMean } from "./did-you-mean";
import { formatPath, PathSegment, PlanIssue, quote } from "./issues";

type Issue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

/** Turns zod's issues into plan issues: one per problem, with friendly wording and suggestions. */
export function schemaIssues(issues: readonly Issue[], root: AnySchema, raw: unknown): PlanIssue[] {
    const out: PlanIssue[] = [];
    for (const issue of issues) {
        const path = issue.path as PathSegment[];
        if (issue.code === "unrecognized_keys") {
            const known = objectKeysAt(root, path);
            for (const key of issue.keys) {
                out.push({
                    severity: "error",
                    rule: "schema.unknown-key",
                    path: formatPath([...path, key]),
                    message: `unknown key ${quote(key)}${didYouMean(key, known)}`,
                });
            }
            continue;
        }
        out.push({ severity: "error", rule: "schema", path: formatPath(path), message: describe(issue, valueAt(raw, path)) });
    }
    return out;
}

function describe(issue: Issue, value: unknown): string {
    switch (issue.code) {
        case "invalid_type":
            if (value === undefined) return "is required";
            return `must be ${article(issue.expected)} (found ${kindOf(value)})`;
        case "invalid_value":
            if (typeof value === "string") {
                const options = issue.values.map(String);
                return `${quote(value)} is not one of ${options.map((o) => `"${o}"`).join(", ")}${didYouMean(value, options)}`;
            }
            return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")} (found ${kindOf(value)})`;
        case "too_big":
        case "too_small": {
            // zod's own wording ("Too big: expected number to be <=65535") only where the schema has none.
            if (!/^Too (big|small)/.test(issue.message)) return issue.message;
            const limit = issue.code === "too_big" ? issue.maximum : issue.minimum;
            const word = issue.code === "too_big" ? (issue.inclusive === false ? "less than" : "at most") : issue.inclusive === false ? "more than" : "at least";
            const unit = issue.origin === "string" ? " characters" : issue.origin === "array" || issue.origin === "set" ? " entries" : "";
            return `must be ${word} ${String(limit)}${unit} (found ${unit ? (Array.isArray(value) ? value.length : String(value).length) : kindOf(value)})`;
        }
        default:
            return issue.message.startsWith("Invalid input") && value !== undefined
                ? `${issue.message} (found ${kindOf(value)})`
                : issue.message;
    }
}

const NOUNS: Record<string, string> = {
    array: "a list",
    object: "a mapping",
    string: "a string",
    number: "a number",
    int: "a whole number",
    boolean: "true or false",
};

function article(expected: string): string {
    return NOUNS[expected] ?? expected;
}

export function kindOf(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "a list";
    if (typeof value === "object") return "a mapping";
    if (typeof value === "string") return value.length > 40 ? "a string" : `"${value}"`;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return typeof value;
}

export function valueAt(raw: unknown, path: readonly PathSegment[]): unknown {
    let v: unknown = raw;
    for (const seg of path) {
        if (v === null || typeof v !== "object") return undefined;
        v = (v as Record<string | number, unknown>)[seg];
    }
    return v;
}

/** The keys an object schema at `path` accepts, walking through wrappers, arrays and unions. */
export function objectKeysAt(root: AnySchema, path: readonly PathSegment[]): string[] {
    let current: AnySchema[] = [root];
    for (const seg of path) {
        current = current.flatMap((s) => childSchemas(unwrap(s), seg));
    }
    return [...new Set(current.flatMap((s) => shapeKeys(unwrap(s))))];
}

function def(s: AnySchema): { type: string } & Record<string, unknown> {
    return (s as unknown as { _zod: { def: { type: string } & Record<string, unknown> } })._zod.def;
}

function unwrap(s: AnySchema): AnySchema {
    let cur = s;
    for (;;) {
        const d = def(cur);
        if (["optional", "default", "nullable", "prefault", "readonly", "catch"].includes(d.type)) cur = d.innerType as AnySchema;
        else if (d.type === "pipe") cur = d.in as AnySchema;
        else return cur;
    }
}

function childSchemas(s: AnySchema, seg: PathSegment): AnySchema[] {
    const d = def(s);
    if (d.type === "union") return (d.options as AnySchema[]).flatMap((o) => childSchemas(unwrap(o), seg));
    if (d.type === "array" && typeof seg === "number") return [d.element as AnySchema];
    if (d.type === "object" && typeof seg === "string") {
        const child = (d.shape as Record<string, AnySchema>)[seg];
        return child ? [child] : [];
    }
    return [];
}

function shapeKeys(s: AnySchema): string[] {
    const d = def(s);
    if (d.type === "object") return Object.keys(d.shape as object);
    if (d.type === "union") return (d.options as AnySchema[]).flatMap((o) => shapeKeys(unwrap(o)));
    return [];
}
