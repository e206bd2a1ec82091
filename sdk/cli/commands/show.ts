import type { Command } from "commander";
import { estimateCost } from "../../cost/estimate";
import { formatIssue } from "../../plan/issues";
import { planTotals } from "../../plan/totals";
import type { CliContext } from "../context";
import { EXIT_INVALID } from "../io";
import { checkPlanArgument, PlanOptions } from "../plan-argument";
import { renderShow } from "../render/show";

export function register(program: Command, ctx: CliContext): void {
    program
        .command("show")
        .description("show the resolved plan: regions, groups, nodes, volumes, ports, totals and monthly cost")
        .argument("<plan>", 'plan file (YAML or JSON), or "-" for standard input')
        .option("--json", "the fully resolved plan, totals and cost as JSON")
        .option("--all-nodes", "list every node (default: the first 3 of each group)")
        .option("--catalog <file>", "use this Linode catalogue instead of the bundled one (or set LCT_CATALOG)")
        .action(async (plan: string, opts: PlanOptions & { json?: boolean; allNodes?: boolean }) => {
            const { check, file, catalog } = await checkPlanArgument(plan, opts, ctx);
            const resolved = check.resolved;
            if (!check.ok || !resolved) {
                ctx.setExitCode(EXIT_INVALID);
                if (opts.json) {
                    // Machine readers get JSON either way: the same shape as `lct validate --json`.
                    const errors = check.issues.filter((i) => i.severity === "error").length;
                    const result = { file, valid: false, legacy: check.legacy, errors, warnings: check.issues.length - errors, issues: check.issues };
                    ctx.io.out(JSON.stringify(result, null, 2));
                    return;
                }
                for (const issue of check.issues) ctx.io.err(formatIssue(issue, file));
                ctx.io.err(`${file}: invalid; fix the errors above (lct validate ${plan})`);
                return;
            }
            const totals = planTotals(resolved, catalog);
            const cost = estimateCost(resolved, catalog);
            if (opts.json) {
                ctx.io.out(JSON.stringify({ plan: resolved, totals, cost, warnings: check.issues }, null, 2));
                return;
            }
            for (const issue of check.issues) ctx.io.err(formatIssue(issue, file));
            ctx.io.out(renderShow(resolved, catalog, totals, cost, { nodesPerGroup: opts.allNodes ? Infinity : 3 }));
        });
}
