/**
 * Request-field rules from spec 4.189.0 (labels, tags, enums). Each check adds to `Problems`
 * instead of throwing, so one answer lists every mistake.
 */
import type { Problems } from "./errors";

// Spec patterns, verbatim.
export const LINODE_LABEL = /^[a-zA-Z]((?!--|__|\.\.)[a-zA-Z0-9-_.])+$/;
export const VOLUME_LABEL = /^[a-zA-Z]((?!--|__)[a-zA-Z0-9-_])+$/;
export const NODEBALANCER_LABEL = /^[a-zA-Z0-9-_]{3,32}$/;
export const NB_NODE_LABEL = /^[a-zA-Z0-9-_.]{3,32}$/;

export type Body = Record<string, unknown>;

export function asBody(raw: unknown): Body {
    return raw !== null && typeof raw === "object" && !Array.isArray(raw) ? (raw as Body) : {};
}

export function checkLabel(
    p: Problems,
    value: unknown,
    opts: { field?: string; min: number; max: number; pattern: RegExp; required: boolean },
): string | undefined {
    const field = opts.field ?? "label";
    if (value === undefined || value === null) {
        if (opts.required) p.add(field, `${field} is required`);
        return undefined;
    }
    if (typeof value !== "string") {
        p.add(field, `${field} must be a string`);
        return undefined;
    }
    if (value.length < opts.min || value.length > opts.max) {
        p.add(field, `Length must be ${opts.min}-${opts.max} characters`);
        return undefined;
    }
    if (!opts.pattern.test(value)) {
        p.add(field, `${field} must begin with a letter and contain only letters, numbers and the characters allowed here`);
        return undefined;
    }
    return value;
}

/** Tags: an array of strings, each 3–50 characters (spec, Tag label). */
export function checkTags(p: Problems, value: unknown, field = "tags"): string[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((t) => typeof t !== "string")) {
        p.add(field, "tags must be an array of strings");
        return undefined;
    }
    const tags = value as string[];
    for (const t of tags) {
        if (t.length < 3 || t.length > 50) p.add(field, `Tag "${t}" must be 3-50 characters`);
    }
    return [...new Set(tags)];
}

export function checkEnum<T extends string>(p: Problems, field: string, value: unknown, allowed: readonly T[]): T | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
        p.add(field, `${field} must be one of ${allowed.join(", ")}`);
        return undefined;
    }
    return value as T;
}

export function checkInt(
    p: Problems,
    field: string,
    value: unknown,
    opts: { min?: number; max?: number; required?: boolean } = {},
): number | undefined {
    if (value === undefined || value === null) {
        if (opts.required) p.add(field, `${field} is required`);
        return undefined;
    }
    if (typeof value !== "number" || !Number.isInteger(value)) {
        p.add(field, `${field} must be an integer`);
        return undefined;
    }
    if ((opts.min !== undefined && value < opts.min) || (opts.max !== undefined && value > opts.max)) {
        p.add(field, `${field} must be between ${opts.min ?? "-∞"} and ${opts.max ?? "∞"}`);
        return undefined;
    }
    return value;
}

export function checkBool(p: Problems, field: string, value: unknown): boolean | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== "boolean") {
        p.add(field, `${field} must be a boolean`);
        return undefined;
    }
    return value;
}

export function checkString(
    p: Problems,
    field: string,
    value: unknown,
    opts: { min?: number; max?: number; required?: boolean } = {},
): string | undefined {
    if (value === undefined || value === null) {
        if (opts.required) p.add(field, `${field} is required`);
        return undefined;
    }
    if (typeof value !== "string") {
        p.add(field, `${field} must be a string`);
        return undefined;
    }
    if ((opts.min !== undefined && value.length < opts.min) || (opts.max !== undefined && value.length > opts.max)) {
        p.add(field, `${field} must be ${opts.min ?? 0}-${opts.max ?? "any"} characters`);
        return undefined;
    }
    return value;
}
