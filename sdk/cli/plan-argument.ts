import { resolveCatalog } from "../catalog/load";
import type { Catalog } from "../catalog/types";
import { checkPlanText, PlanCheck } from "../plan/check";
// Registers hardening's plan rules (the 65,535-byte user-data limit) with every plan check.
import "../hardening";
import { PlanInputError } from "../plan/input-error";
import { decodePlanBytes, MAX_PLAN_BYTES, readPlanFile } from "../plan/read-source";
import type { CliContext } from "./context";
import { CliError, EXIT_USAGE } from "./io";
import { TEMPLATES_DIR } from "../stack/template-source";

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
 * bundled template — and checks it.
 */
export async function checkPlanArgument(arg: string, opts: PlanOptions, ctx: CliContext): Promise<{ check: PlanCheck; file: string; catalog: Catalog }> {
    const catalog = catalogFor(opts, ctx);
    const template = bundledTemplateFile(arg, ctx);
    if (template) arg = template;
    const file = arg === "-" ? "<stdin>" : arg;
    try {
        // Bytes, not text: decoding is where UTF-16, binary data and bad UTF-8 are recognised.
        const text = arg === "-" ? decodePlanBytes(await ctx.io.readStdinBytes(MAX_PLAN_BYTES), file) : readPlanFile(resolvePath(arg, ctx), file);
        return { check: checkPlanText(text, { file, catalog }), file, catalog };
    } catch (e) {
        if (e instanceof PlanInputError) throw new CliError(e.located, EXIT_USAGE);
        throw e;
    }
}

function resolvePath(arg: string, ctx: CliContext): string {
    return require("node:path").resolve(ctx.io.cwd, arg);
}

/** A bare name that is not a file but a bundled template resolves to that template's plan. */
function bundledTemplateFile(arg: string, ctx: CliContext): string | undefined {
    const fs = require("node:fs") as typeof import("node:fs");
    const path = require("node:path") as typeof import("node:path");
    if (arg === "-" || !/^[a-z0-9][a-z0-9-]*$/.test(arg) || fs.existsSync(path.resolve(ctx.io.cwd, arg))) return undefined;
    const file = path.join(TEMPLATES_DIR, `${arg}.yaml`);
    return fs.existsSync(file) ? path.relative(ctx.io.cwd, file) || file : undefined;
}
