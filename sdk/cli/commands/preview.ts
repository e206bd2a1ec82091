import type { Command } from "commander";
import { formatIssue } from "../../plan/issues";
import type { CliContext } from "../context";
import { CliError, EXIT_INVALID, EXIT_USAGE } from "../io";
import { checkPlanArgument, PlanOptions } from "../plan-argument";
import { progressReporter } from "../progress";
import { checkPreviewMode, lifecycleOptions, planOptions } from "./lifecycle";

/** Plans this large show build progress. */
const PROGRESS_FROM_NODES = 200;

export function register(program: Command, ctx: CliContext): void {
    const cmd = program
        .command("preview")
        .description(
            "offline preview: the resources the stack would create, who may reach what, and the cost — no account, no network. " +
                "With --live: `pulumi preview` of a deployed stack through the Automation API",
        )
        .argument("<plan>", 'plan file (YAML or JSON), a bundled template name (lct templates list), or "-" for standard input; with --live: a stack name')
        .option("--diagram <file>", "write a topology picture: .mmd (Mermaid), .svg, or .html")
        .option("--all", "list every resource (default: long runs of one type are shortened)")
        .option("--stack <name>", "name the resources as this stack would (the root stack names its cluster after the stack; default: the plan's name)")
        .option("--live", "preview a stack against Linode through the Automation API (needs the pulumi CLI and a token)")
        // Offline only: the stack program always validates against the bundled catalogue.
        .option("--catalog <file>", "use this Linode catalogue instead of the bundled one (or set LCT_CATALOG)");
    // --json and --catalog serve both modes; the lifecycle options only --live.
    planOptions(lifecycleOptions(cmd, "machine-readable output: the preview with every resource and its inputs, secrets redacted (with --live: the summary)")).action(
        async (plan: string, opts: PlanOptions & { json?: boolean; diagram?: string; all?: boolean; live?: boolean; stack?: string } & Record<string, unknown>) => {
            checkPreviewMode(opts.live === true, opts);
            if (opts.live) {
                const { livePreview } = await import("../../automation/commands.js");
                await livePreview(plan, opts, ctx);
                return;
            }
            const diagram = opts.diagram !== undefined ? diagramKind(opts.diagram) : undefined;
            if (opts.stack !== undefined) {
                const { stackNameProblem } = await import("../../automation/backend.js");
                const problem = stackNameProblem(opts.stack);
                if (problem) throw new CliError(`--stack: ${problem}`, EXIT_USAGE);
            }
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
            const total = resolved.nodes.length;
            const progress = total >= PROGRESS_FROM_NODES ? progressReporter(ctx.io, "building the resource tree (nodes)") : undefined;
            // Node groups report every 100 nodes and at their end: progress counts nodes over all groups.
            const nodesDone = new Map<string, number>();
            const onProgress = (e: { phase: string; done: number; total: number }) => {
                const group = /^nodes of (.+)$/.exec(e.phase)?.[1];
                if (group === undefined || !progress) return;
                nodesDone.set(group, e.done);
                progress.update([...nodesDone.values()].reduce((a, b) => a + b, 0), total);
            };
            let run;
            try {
                run = await runPreview(resolved, {
                    catalog,
                    ...(opts.stack !== undefined ? { name: opts.stack } : {}),
                    ...(progress ? { onProgress } : {}),
                    ...(needsKey ? { args: { adminPrivateKey: "[provided at deploy time]" } } : {}),
                });
            } finally {
                progress?.stop();
            }
            const rep = report.previewReport(run, catalog, warnings);
            if (opts.diagram !== undefined && diagram !== undefined) {
                const t = topology(resolved);
                const fs = require("node:fs") as typeof import("node:fs");
                const path = require("node:path") as typeof import("node:path");
                const out = path.resolve(ctx.io.cwd, opts.diagram);
                const text =
                    diagram === "mermaid"
                        ? renderMermaid(t)
                        : diagram === "svg"
                          ? renderSvg(t)
                          : renderHtml(resolved, t, { matrix: report.renderFirewallMatrixText(rep), cost: report.renderCostTable(rep.cost) });
                try {
                    fs.writeFileSync(out, text);
                } catch (e) {
                    throw new CliError(`cannot write ${opts.diagram}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, EXIT_USAGE);
                }
                ctx.io.err(`wrote ${opts.diagram}`);
            }
            if (opts.json) ctx.io.out(JSON.stringify(report.previewJson(run, rep), null, 2));
            else ctx.io.out(report.renderPreviewText(run, rep, { maxRun: opts.all ? Infinity : 6 }));
        },
    );
}

/** The picture a --diagram file name asks for; checked before any work. */
function diagramKind(file: string): "mermaid" | "svg" | "html" {
    const ext = /\.[^./\\]+$/.exec(file)?.[0]?.toLowerCase();
    if (ext === ".mmd" || ext === ".mermaid") return "mermaid";
    if (ext === ".svg") return "svg";
    if (ext === ".html" || ext === ".htm") return "html";
    throw new CliError(`--diagram ${file}: use a .mmd, .svg or .html file name`, EXIT_USAGE);
}
