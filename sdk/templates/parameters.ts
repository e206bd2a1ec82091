import { z } from "zod";
import { indexCatalog, type CatalogIndex } from "../catalog/catalog-index";
import type { Catalog } from "../catalog/types";
import { parseCidr } from "../network/cidr";
import { didYouMean } from "../plan/did-you-mean";
import { quote } from "../plan/issues";
import type { ParameterSpec, TemplateFile } from "./format";

/**
 * Parameter values: coerced from strings (`--set brokers=5`, Pulumi config) by their declared
 * type, validated with zod — the library the plan schema uses — against the spec and the
 * catalogue, every problem reported at once, each naming the parameter and what is allowed.
 */

export type ParameterValue = number | boolean | string | string[];
export type ParameterValues = Record<string, ParameterValue>;

export interface ParameterIssue {
    parameter: string;
    message: string;
}

/** Overrides a template refused; `message` lists every issue, one per line. */
export class TemplateParameterError extends Error {
    constructor(
        public readonly template: string,
        public readonly issues: readonly ParameterIssue[],
    ) {
        super(issues.map((i) => `${template}: ${i.parameter ? `${i.parameter}: ` : ""}${i.message}`).join("\n"));
        this.name = "TemplateParameterError";
    }
}

/** What a parameter accepts, in words: "3–9, odd", "one of cluster, sentinel". */
export function describeAllowed(spec: ParameterSpec): string {
    switch (spec.type) {
        case "integer":
            return [`${spec.min}–${spec.max}`, ...(spec.odd ? ["odd"] : []), ...(spec.multipleOf ? [`a multiple of ${spec.multipleOf}`] : [])].join(", ");
        case "boolean":
            return "true or false";
        case "string":
            return spec.patternDescription ?? (spec.pattern ? `matching ${spec.pattern}` : "any text") + (spec.maxLength ? `, at most ${spec.maxLength} characters` : "");
        case "enum":
            return `one of ${spec.values.join(", ")}`;
        case "region":
            return `a catalogue region${withCapabilities(spec.capabilities)}`;
        case "regions": {
            const count = spec.maxItems === undefined ? `${spec.minItems} or more` : spec.minItems === spec.maxItems ? `${spec.minItems}` : `${spec.minItems}–${spec.maxItems}`;
            return `${count} distinct catalogue regions${withCapabilities(spec.capabilities)}, comma-separated`;
        }
        case "linode-type":
            return spec.classes ? `a catalogue type of class ${spec.classes.join(" or ")}` : "a catalogue type";
        case "image":
            return "a catalogue image (or private/<id>)";
        case "cidrs":
            return `${spec.minItems === 0 ? "zero" : spec.minItems === 1 ? "one" : spec.minItems} or more networks (CIDR), comma-separated`;
    }
}

const withCapabilities = (caps: readonly string[] | undefined): string => (caps && caps.length > 0 ? ` with ${caps.join(", ")}` : "");

/** Turns a string (command line, Pulumi config) into the parameter's type; other values pass unchanged. */
export function coerceParameter(spec: ParameterSpec, raw: unknown): unknown {
    if (typeof raw !== "string") return raw;
    const text = raw.trim();
    switch (spec.type) {
        case "integer":
            return /^[+-]?\d+$/.test(text) ? Number(text) : raw;
        case "boolean":
            return text === "true" ? true : text === "false" ? false : raw;
        case "regions":
        case "cidrs":
            return text === "" ? [] : text.split(",").map((s) => s.trim());
        default:
            return raw;
    }
}

const shown = (v: unknown): string => (typeof v === "string" ? quote(v) : JSON.stringify(v) ?? String(v));

/** The zod schema of one parameter's value. Messages say what is allowed and what was given. */
export function parameterSchema(spec: ParameterSpec, catalog: CatalogIndex): z.ZodType<ParameterValue> {
    const allowed = describeAllowed(spec);
    // "(allowed: 3–9, odd; a KRaft quorum stays available while a majority of the voters is up)"
    const range = `(allowed: ${allowed}${spec.type === "integer" && spec.reason ? `; ${spec.reason}` : ""})`;
    switch (spec.type) {
        case "integer":
            return z
                .int({ error: (iss) => `must be a whole number ${range}, got ${shown(iss.input)}` })
                .min(spec.min, { error: (iss) => `must be at least ${spec.min} ${range}, got ${shown(iss.input)}` })
                .max(spec.max, { error: (iss) => `must be at most ${spec.max} ${range}, got ${shown(iss.input)}` })
                .refine((n) => !spec.odd || n % 2 === 1, { error: (iss) => `must be odd ${range}, got ${shown(iss.input)}` })
                .refine((n) => spec.multipleOf === undefined || n % spec.multipleOf === 0, {
                    error: (iss) => `must be a multiple of ${spec.multipleOf} ${range}, got ${shown(iss.input)}`,
                });
        case "boolean":
            return z.boolean({ error: (iss) => `must be true or false, got ${shown(iss.input)}` });
        case "string": {
            let s = z.string({ error: (iss) => `must be text, got ${shown(iss.input)}` });
            if (spec.maxLength !== undefined) s = s.max(spec.maxLength, { error: (iss) => `must be at most ${spec.maxLength} characters, got ${shown(iss.input)}` });
            if (spec.pattern !== undefined) {
                const re = new RegExp(`^(?:${spec.pattern})$`);
                s = s.regex(re, { error: (iss) => `must be ${allowed}, got ${shown(iss.input)}` });
            }
            return s;
        }
        case "enum":
            return z.enum(spec.values as [string, ...string[]], {
                error: (iss) => `must be ${allowed}, got ${shown(iss.input)}${typeof iss.input === "string" ? didYouMean(iss.input, spec.values) : ""}`,
            });
        case "region":
            return regionId(spec.capabilities, catalog);
        case "regions": {
            let list = z
                .array(regionId(spec.capabilities, catalog), { error: (iss) => `must be a list of regions (${allowed}), got ${shown(iss.input)}` })
                .min(spec.minItems, { error: (iss) => `needs at least ${spec.minItems} region(s) (allowed: ${allowed}), got ${(iss.input as unknown[]).length}` });
            if (spec.maxItems !== undefined) list = list.max(spec.maxItems, { error: (iss) => `takes at most ${spec.maxItems} regions (allowed: ${allowed}), got ${(iss.input as unknown[]).length}` });
            return list.refine((l) => new Set(l).size === l.length, { error: (iss) => `lists a region twice: ${shown(iss.input)}` });
        }
        case "linode-type":
            return z.string({ error: (iss) => `must be a Linode type id, got ${shown(iss.input)}` }).superRefine((id, ctx) => {
                const t = catalog.type(id);
                const candidates = catalog.catalog.types.filter((x) => !spec.classes || spec.classes.includes(x.class)).map((x) => x.id);
                if (!t) ctx.addIssue({ code: "custom", message: `unknown Linode type ${quote(id)}${didYouMean(id, candidates)}; see lct catalog types` });
                else if (spec.classes && !spec.classes.includes(t.class)) {
                    ctx.addIssue({ code: "custom", message: `${id} is a ${t.class} type; this role needs ${allowed}: ${candidates.join(", ")}` });
                }
            });
        case "image":
            return z.string({ error: (iss) => `must be an image id, got ${shown(iss.input)}` }).superRefine((id, ctx) => {
                if (id.startsWith("private/") || catalog.image(id)) return;
                ctx.addIssue({ code: "custom", message: `unknown image ${quote(id)}${didYouMean(id, catalog.catalog.images.map((i) => i.id))}; see lct catalog images` });
            });
        case "cidrs":
            return z
                .array(
                    z.string().refine((c) => parseCidr(c) !== undefined, { error: (iss) => `${shown(iss.input)} is not a network (CIDR) like 203.0.113.0/24` }),
                    { error: (iss) => `must be a list of networks, got ${shown(iss.input)}` },
                )
                .min(spec.minItems, { error: `needs at least ${spec.minItems} network(s)` });
    }
}

function regionId(caps: readonly string[] | undefined, catalog: CatalogIndex): z.ZodType<string> {
    return z.string({ error: (iss) => `must be a region id, got ${shown(iss.input)}` }).superRefine((id, ctx) => {
        const region = catalog.region(id);
        const able = catalog.catalog.regions.filter((r) => (caps ?? []).every((c) => r.capabilities.includes(c))).map((r) => r.id);
        if (!region) {
            ctx.addIssue({ code: "custom", message: `unknown region ${quote(id)}${didYouMean(id, able)}; see lct catalog regions` });
            return;
        }
        const missing = (caps ?? []).filter((c) => !region.capabilities.includes(c));
        if (missing.length > 0) {
            ctx.addIssue({ code: "custom", message: `region ${id} has no ${missing.join(", ")}, which this template needs; regions that have: ${able.join(", ")}` });
        }
    });
}

/**
 * The parameter values of a rendering: defaults with the overrides applied. Throws
 * TemplateParameterError listing every unknown parameter and every refused value.
 */
export function resolveParameters(template: TemplateFile, overrides: Readonly<Record<string, unknown>>, catalog: Catalog): ParameterValues {
    const index = indexCatalog(catalog);
    const names = Object.keys(template.parameters);
    const issues: ParameterIssue[] = [];
    for (const key of Object.keys(overrides)) {
        if (!(key in template.parameters)) {
            issues.push({ parameter: key, message: `unknown parameter${didYouMean(key, names)}; ${template.name} takes: ${names.join(", ")}` });
        }
    }
    const values: ParameterValues = {};
    for (const [name, spec] of Object.entries(template.parameters)) {
        const given = Object.prototype.hasOwnProperty.call(overrides, name);
        const raw = given ? coerceParameter(spec, overrides[name]) : spec.default;
        const parsed = parameterSchema(spec, index).safeParse(raw);
        if (parsed.success) values[name] = parsed.data;
        else {
            // One message per parameter (the first): later checks repeat the same complaint.
            const first = parsed.error.issues[0]!;
            const where = first.path.length > 0 && typeof first.path[0] === "number" ? `item ${first.path[0] + 1}: ` : "";
            issues.push({ parameter: name, message: `${where}${first.message}${given ? "" : " (the template's default; a bug in the template)"}` });
        }
    }
    if (issues.length > 0) throw new TemplateParameterError(template.name, issues);
    return values;
}
