import type { Command } from "commander";
import { formatIssue } from "../../plan/issues";
import type { CliContext } from "../context";
import { CliError, EXIT_INVALID, EXIT_USAGE } from "../io";
import { checkPlanArgument, PlanOptions } from "../plan-argument";
import { progressReporter } from "../progress";

/** Plans this large show build progress. */
const PROGRESS_FROM_NODES = 200;

export function register(program: Command, ctx: CliContext): void {
    program
        .command("preview")
        .description("offline preview: the resources the stack would create, who may reach what, and the cost — no account, no network")
        .argument("<plan>", 'plan file (YAML or JSON), a bundled template name (lct templates list), or "-" for standard input')
        .option("--json", "machine-readable preview (resources with inputs, secrets redacted)")
        .option("--diagram <file>", "write a topology picture: .mmd (Mermaid), .svg, or .html")
        .option("--all", "list every resource (default: long runs of one type are shortened)")
        .option("--catalog <file>", "use this Linode catalogue instead of the bundled one (or set LCT_CATALOG)")
        .action(async (plan: string, opts: PlanOptions & { json?: boolean; diagram?: string; all?: boolean }) => {
            const { check, file, catalog } = await checkPlanArgument(plan, opts, ctx);
            if (!check.ok || !check.resolved) {
                for (const issue of check.issues) ctx.io.err(formatIssue(issue, file));
                ctx.io.err(`${file}: invalid; nothing to preview (lct validate ${plan})`);
                ctx.setExitCode(EXIT_INVALID);
                return;
            }
            const resolved = check.resolved;
            const [{ runPreview }, report, { topology, renderMermaid, renderSvg, renderHtml }, { needsAdminPrivateKey }] = await Promise.all([
                import("../../preview/run-preview.js"),
                import("../../preview/report.js"),
                import("../../preview/topology.js"),
                import("../../preview/preview-args.js"),
            ]);
            const warnings = [...check.issues];
            const needsKey = needsAdminPrivateKey(resolved);
            if (needsKey) {
                warnings.push({
                    severity: "warning",
                    rule: "preview.member-sync",
                    path: "defaults.sshKeys",
                    message: "the plan gives its own SSH keys and has members known only after creation: deploying needs the admin private key (lct:adminPrivateKey) for member sync",
                });
            }
            const progress = resolved.nodes.length >= PROGRESS_FROM_NODES ? progressReporter(ctx.io, "building the resource tree") : undefined;
            let run;
            try {
                run = await runPreview(resolved, {
                    catalog,
                    ...(progress ? { onProgress: (e: { phase: string; done: number; total: number }) => e.phase === "groups" && progress.update(e.done, e.total) } : {}),
                    ...(needsKey ? { args: { adminPrivateKey: "[provided at deploy time]" } } : {}),
                });
            } finally {
                progress?.stop();
            }
            const rep = report.previewReport(run, catalog, warnings);
            if (opts.diagram) {
                const t = topology(resolved);
                const fs = require("node:fs") as typeof import("node:fs");
                const path = require("node:path") as typeof import("node:path");
                const out = path.resolve(ctx.io.cwd, opts.diagram);
                const ext = path.extname(out).toLowerCase();
                const text =
                    ext === ".mmd" || ext === ".mermaid"
                        ? renderMermaid(t)
                        : ext === ".svg"
                          ? renderSvg(t)
                          : ext === ".html" || ext === ".htm"
                            ? renderHtml(resolved, t, { matrix: report.renderFirewallMatrixText(rep), cost: report.renderCostTable(rep.cost) })
                            : undefined;
                if (text === undefined) throw new CliError(`--diagram ${opts.diagram}: use a .mmd, .svg or .html file name`, EXIT_USAGE);
                try {
                    fs.writeFileSync(out, text);
                } catch (e) {
                    throw new CliError(`cannot write ${opts.diagram}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, EXIT_USAGE);
                }
                ctx.io.err(`wrote ${opts.diagram}`);
            }
            if (opts.json) ctx.io.out(JSON.stringify(report.previewJson(run, rep), null, 2));
            else ctx.io.out(report.renderPreviewText(run, rep, { maxRun: opts.all ? Infinity : 6 }));
        });
}
