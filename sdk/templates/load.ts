import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { didYouMean } from "../plan/did-you-mean";
import { checkTemplateBody } from "./check-body";
import { templateFile, type TemplateFile } from "./format";
import { describeAllowed, parameterSchema } from "./parameters";
import { indexCatalog } from "../catalog/catalog-index";
import { bundledCatalog } from "../catalog/load";
import { packagePath } from "../plan/package-root";

/** Bundled templates live in templates/ at the package root, one YAML file each. */
export const TEMPLATES_DIR = packagePath("templates");

const NAME = /^[a-z][a-z0-9-]*$/;

/** A template file that is not a valid template: a bug in the template, reported with its file. */
export class TemplateFormatError extends Error {
    constructor(
        public readonly file: string,
        public readonly problems: readonly string[],
    ) {
        super(`${file}: not a valid LCT template:\n${problems.map((p) => `  ${p}`).join("\n")}`);
        this.name = "TemplateFormatError";
    }
}

/** No bundled template of that name. */
export class UnknownTemplateError extends Error {
    constructor(
        public readonly template: string,
        public readonly known: readonly string[],
    ) {
        super(`unknown template "${template}"${didYouMean(template, known)}; bundled templates: ${known.join(", ")} (lct templates list)`);
        this.name = "UnknownTemplateError";
    }
}

/** Names of the templates in a directory, sorted. */
export function templateNames(dir = TEMPLATES_DIR): string[] {
    return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".yaml"))
        .map((f) => f.slice(0, -".yaml".length))
        .filter((n) => NAME.test(n))
        .sort();
}

/** Whether `name` is a bundled template (no file access for names that cannot be one). */
export function isTemplateName(name: string, dir = TEMPLATES_DIR): boolean {
    return NAME.test(name) && fs.existsSync(path.join(dir, `${name}.yaml`));
}

/** Reads and checks one template by name. */
export function loadTemplate(name: string, dir = TEMPLATES_DIR): TemplateFile {
    if (!isTemplateName(name, dir)) throw new UnknownTemplateError(name, templateNames(dir));
    return readTemplateFile(path.join(dir, `${name}.yaml`));
}

/** Every template in the directory, checked. */
export function loadTemplates(dir = TEMPLATES_DIR): TemplateFile[] {
    return templateNames(dir).map((n) => loadTemplate(n, dir));
}

/**
 * Parses and checks a template file: the format, the name against the file name, each
 * parameter's default against its own rules and the bundled catalogue, and every reference
 * and condition in the plan body.
 */
export function readTemplateFile(file: string): TemplateFile {
    return parseTemplateText(fs.readFileSync(file, "utf8"), file, path.basename(file, ".yaml"));
}

/**
 * Whether a document is a template rather than a plan (so `lct validate my-template.yaml`
 * can render it): top-level `parameters`, `roles` and a `plan` mapping, no `regions`. The
 * text test first, so plans are not parsed twice.
 */
export function looksLikeTemplate(text: string): boolean {
    if (!/^plan:/m.test(text) || !/^parameters:/m.test(text) || !/^roles:/m.test(text)) return false;
    try {
        const v = parse(text) as Record<string, unknown> | null;
        return typeof v === "object" && v !== null && !Array.isArray(v) && typeof v.plan === "object" && v.plan !== null && !("regions" in v);
    } catch {
        return false;
    }
}

/** A template from text read elsewhere; `file` names it in messages; `expectName`, when given, must be its name. */
export function parseTemplateText(text: string, file: string, expectName?: string): TemplateFile {
    let raw: unknown;
    try {
        raw = parse(text);
    } catch (e) {
        throw new TemplateFormatError(file, [`not valid YAML: ${(e as Error).message.split("\n")[0]}`]);
    }
    const parsed = templateFile.safeParse(raw);
    if (!parsed.success) {
        throw new TemplateFormatError(
            file,
            // A bad record key (a parameter or role name) reports "Invalid key": say why instead.
            parsed.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${(i.code === "invalid_key" ? i.issues[0]?.message : undefined) ?? i.message}`),
        );
    }
    const t = parsed.data;
    const problems: string[] = [];
    if (expectName !== undefined && t.name !== expectName) problems.push(`name: "${t.name}" must match the file name "${expectName}"`);
    const catalog = indexCatalog(bundledCatalog);
    for (const [name, spec] of Object.entries(t.parameters)) {
        const ok = parameterSchema(spec, catalog).safeParse(spec.default);
        if (!ok.success) {
            const message = ok.error.issues[0]!.message;
            problems.push(`parameters.${name}.default: ${message}${message.includes("allowed:") ? "" : ` (allowed: ${describeAllowed(spec)})`}`);
        }
    }
    for (const [role, spec] of Object.entries(t.roles)) {
        // A port is member-only or client-facing, never both (it may also be a NodeBalancer target).
        const clients = new Set(spec.ports.clients.map(String));
        const both = spec.ports.members.map(String).filter((p) => clients.has(p));
        if (both.length > 0) problems.push(`roles.${role}.ports: ${both.join(", ")} listed as both member-only and client-facing`);
    }
    problems.push(...checkTemplateBody(t.plan, t.parameters));
    if (problems.length > 0) throw new TemplateFormatError(file, problems);
    return t;
}
