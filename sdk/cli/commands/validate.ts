import type { Command } from "commander";
import { formatIssue } from "../../plan/issues";
import type { CliContext } from "../context";
import { CliError, EXIT_INVALID } from "../io";
import { checkPlanArgument, PlanOptions } from "../plan-argument";
import { plural } from "../render/format";

export function register(program: Command, ctx: CliContext): void {
    program
        .command("validate")
        .description("check a plan and report every problem with its path (exit 0 valid, 1 invalid, 2 unusable input)")
        .argument("<plan>", 'plan file (YAML or JSON), or "-" for standard input')
        .option("--json", "machine-readable result")
        .option("--catalog <file>", "use this Linode catalogue instead of the bundled one (or set LCT_CATALOG)")
        .action(async (plan: string, opts: PlanOptions & { json?: boolean }) => {
            const { check, file } = await checkPlanArgument(plan, opts, ctx).catch((e: unknown) => {
                // Machines reading --json get an answer for unusable input too (the exit code stays 2).
                if (opts.json && e instanceof CliError) {
                    ctx.io.out(JSON.stringify({ file: plan === "-" ? "<stdin>" : plan, valid: false, usable: false, error: e.message }, null, 2));
                }
                throw e;
            });
            const errors = check.issues.filter((i) => i.severity === "error").length;
            const warnings = check.issues.length - errors;
            if (opts.json) {
                ctx.io.out(
                    JSON.stringify(
                        {
                            file,
                            valid: check.ok,
                            legacy: check.legacy,
                            errors,
                            warnings,
                            issues: check.issues,
                            ...(check.resolved
                                ? { nodes: check.resolved.nodes.length, groups: check.resolved.groups.length, regions: check.resolved.regions.length }
                                : {}),
                        },
                        null,
                        2,
                    ),
                );
            } else {
                for (const issue of check.issues) ctx.io.out(formatIssue(issue, file));
                const legacy = check.legacy ? " (original LinodeTool format, upgraded)" : "";
                if (check.ok && check.resolved) {
                    const r = check.resolved;
                    ctx.io.out(
                        `${file}: valid${legacy} — ${plural(r.nodes.length, "node")} in ${plural(r.groups.length, "group")} across ${plural(r.regions.length, "region")}` +
                            (warnings ? ` (${plural(warnings, "warning")})` : ""),
                    );
                } else {
                    ctx.io.out(`${file}: invalid${legacy} — ${plural(errors, "error")}${warnings ? `, ${plural(warnings, "warning")}` : ""}`);
                }
            }
            if (!check.ok) ctx.setExitCode(EXIT_INVALID);
        });
}
