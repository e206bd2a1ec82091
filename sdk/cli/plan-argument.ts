import { resolveCatalog } from "../catalog/load";
import type { Catalog } from "../catalog/types";
import { checkPlanText, PlanCheck } from "../plan/check";
import { PlanInputError } from "../plan/input-error";
import { decodePlanBytes, MAX_PLAN_BYTES, readPlanFile } from "../plan/read-source";
import type { CliContext } from "./context";
import { CliError, EXIT_USAGE } from "./io";

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

/** Reads the plan named on the command line ("-" = standard input) and checks it. */
export async function checkPlanArgument(arg: string, opts: PlanOptions, ctx: CliContext): Promise<{ check: PlanCheck; file: string; catalog: Catalog }> {
    const catalog = catalogFor(opts, ctx);
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
