import { resolveCatalog } from "../catalog/load";
import type { Catalog } from "../catalog/types";
import { checkPlanText, checkPlanValue, PlanCheck } from "../plan/check";
// Plans made from a template with `bootstrap: true` carry per-role first-boot steps.
import "../templates/register-bootstrap";
// Registers hardening's plan rules (the 65,535-byte user-data limit) with every plan check.
import "../hardening";
import { PlanInputError } from "../plan/input-error";
import { decodePlanBytes, MAX_PLAN_BYTES, readPlanFile } from "../plan/read-source";
import type { CliContext } from "./context";
import { CliError, EXIT_USAGE } from "./io";
import type { TemplateFile } from "../templates/format";
import { isTemplateName, loadTemplate, looksLikeTemplate, parseTemplateText, TemplateFormatError } from "../templates/load";
import { TemplateParameterError } from "../templates/parameters";
import { renderTemplate } from "../templates/render";

/** Options every plan-reading command accepts. */
export interface PlanOptions {
    catalog?: string;
}

export function catalogFor(opts: PlanOptions, ctx: CliContext): Catalog {
    try {
        return resolveCatalog({ ...(opts.catalog ? { file: opts.catalog } : {}), env: ctx.io.env });
    } catch (e) {
        throw new CliError((e as Error).message, EXIT_USAGE);
    }
}

/**
 * Reads the plan named on the command line — a file, "-" for standard input, or the name of a
 * bundled template (rendered with its default parameters) — and checks it.
 */
export async function checkPlanArgument(arg: string, opts: PlanOptions, ctx: CliContext): Promise<{ check: PlanCheck; file: string; catalog: Catalog }> {
    const catalog = catalogFor(opts, ctx);
    if (isBundledTemplate(arg, ctx)) return { check: renderedCheck(() => loadTemplate(arg), catalog), file: arg, catalog };
    const file = arg === "-" ? "<stdin>" : arg;
    try {
        // Bytes, not text: decoding is where UTF-16, binary data and bad UTF-8 are recognised.
        const text = arg === "-" ? decodePlanBytes(await ctx.io.readStdinBytes(MAX_PLAN_BYTES), file) : readPlanFile(resolvePath(arg, ctx), file);
        // A template file (yours, or templates/<name>.yaml) is checked as the plan its defaults render.
        if (looksLikeTemplate(text)) {
            const where = arg === "-" ? undefined : resolvePath(arg, ctx);
            const template = () => parseTemplateText(text, file, where === undefined ? undefined : require("node:path").basename(where).replace(/\.ya?ml$/, ""));
            return { check: renderedCheck(template, catalog), file, catalog };
        }
        return { check: checkPlanText(text, { file, catalog }), file, catalog };
    } catch (e) {
        if (e instanceof PlanInputError) throw new CliError(e.located, EXIT_USAGE);
        throw e;
    }
}

function resolvePath(arg: string, ctx: CliContext): string {
    return require("node:path").resolve(ctx.io.cwd, arg);
}

/** A bare name that is not a file in the working directory but a bundled template. */
function isBundledTemplate(arg: string, ctx: CliContext): boolean {
    const fs = require("node:fs") as typeof import("node:fs");
    return arg !== "-" && isTemplateName(arg) && !fs.existsSync(resolvePath(arg, ctx));
}

/** A template's default plan, checked like a file (no line numbers: the plan is rendered). */
function renderedCheck(template: () => TemplateFile, catalog: Catalog): PlanCheck {
    try {
        return checkPlanValue(renderTemplate(template(), {}, { catalog }).plan, { catalog });
    } catch (e) {
        // A template that does not load or whose defaults do not render: say which and stop.
        if (e instanceof TemplateParameterError || e instanceof TemplateFormatError) throw new CliError(e.message, EXIT_USAGE);
        throw e;
    }
}
