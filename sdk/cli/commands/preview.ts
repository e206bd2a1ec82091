import type { Command } from "commander";
import type { BuildProgressListener } from "../../components/batching";
import { formatIssue } from "../../plan/issues";
import type { PreviewStackSettings } from "../../preview/preview-args";
import type { PreviewPhase } from "../../preview/run-preview";
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
        // What the stack's config would set (lct:memberSync, lct:readiness; --power is lct:power in both modes).
        .option("--member-sync <mode>", "auto or off, as lct:memberSync (lct node create deploys with off)")
        .option("--readiness", "add the NodeReadiness gates, as lct:readiness: true")
        // Offline only: the stack program always validates against the bundled catalogue.
        .option("--catalog <file>", "use this Linode catalogue instead of the bundled one (or set LCT_CATALOG)");
    // --json and --catalog serve both modes; the lifecycle options only --live.
    planOptions(lifecycleOptions(cmd, "machine-readable output: the preview with every resource and its inputs, secrets redacted (with --live: the summary)")).action(
        async (plan: string, opts: PreviewCliOptions) => {
            checkPreviewMode(opts.live === true, opts);
            if (opts.live) {
                const { livePreview } = await import("../../automation/commands.js");
                await livePreview(plan, opts, ctx);
                return;
            }
            const diagram = opts.diagram !== undefined ? diagramKind(opts.diagram) : undefined;
            const settings = stackSettings(opts);
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
            const [{ runPreview }, report, { topology, renderMermaid, renderSvg, renderHtml }, { needsAdminPrivateKey, stackArgs }] = await Promise.all([
                import("../../preview/run-preview.js"),
                import("../../preview/report.js"),
                import("../../preview/topology.js"),
                import("../../preview/preview-args.js"),
            ]);
            const warnings = [...check.issues];
            const needsKey = needsAdminPrivateKey(resolved, settings.memberSync);
            if (needsKey) {
                warnings.push({
                    severity: "warning",
                    rule: "preview.member-sync",
                    path: "defaults.sshKeys",
                    message: "the plan gives its own SSH keys and has members known only after creation: deploying needs the admin private key (lct:adminPrivateKey) for member sync",
                });
            }
            const large = resolved.nodes.length >= PROGRESS_FROM_NODES;
            const progress = large ? buildProgress(ctx, resolved.nodes.length) : undefined;
            let run;
            try {
                run = await runPreview(resolved, {
                    catalog,
                    ...(opts.stack !== undefined ? { name: opts.stack } : {}),
                    ...(progress ?? {}),
                    args: { ...stackArgs(settings), ...(needsKey ? { adminPrivateKey: "[provided at deploy time]" } : {}) },
                });
            } finally {
                progress?.stop();
            }
            if (large) ctx.io.err(`writing the report (${run.resources.length} resources)`);
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
            // pulumi fails an update whose program logged an error: so does its preview.
            const logged = rep.warnings.filter((w) => w.rule === "program.log" && w.severity === "error").length;
            if (logged > 0) {
                ctx.io.err(`the stack program logged ${logged} error${logged === 1 ? "" : "s"} (under Warnings): pulumi up would fail`);
                ctx.setExitCode(EXIT_INVALID);
            }
        },
    );
}

type PreviewCliOptions = PlanOptions & {
    json?: boolean;
    diagram?: string;
    all?: boolean;
    live?: boolean;
    stack?: string;
    power?: string;
    memberSync?: string;
    readiness?: boolean;
} & Record<string, unknown>;

/** --power / --member-sync / --readiness: checked before any work, as the root stack checks its config. */
function stackSettings(opts: PreviewCliOptions): PreviewStackSettings {
    if (opts.power !== undefined && opts.power !== "running" && opts.power !== "stopped") throw new CliError(`--power must be "running" or "stopped", not "${opts.power}"`, EXIT_USAGE);
    if (opts.memberSync !== undefined && opts.memberSync !== "auto" && opts.memberSync !== "off") {
        throw new CliError(`--member-sync must be "auto" or "off", not "${opts.memberSync}"`, EXIT_USAGE);
    }
    return {
        ...(opts.power !== undefined ? { power: opts.power as "running" | "stopped" } : {}),
        ...(opts.memberSync !== undefined ? { memberSync: opts.memberSync as "auto" | "off" } : {}),
        ...(opts.readiness ? { readiness: true } : {}),
    };
}

/**
 * Progress of a large preview on stderr: nodes as they are built (a bar on a terminal, else a
 * line each quarter), then a line as each later phase starts — the cluster-wide resources and
 * Pulumi settling every registration take about a third of the time, with no node to count.
 */
function buildProgress(ctx: CliContext, total: number): { onProgress: BuildProgressListener; onPhase: (p: PreviewPhase) => void; stop(): void } {
    const nodes = progressReporter(ctx.io, "building the resource tree (nodes)");
    // Node groups report every 100 nodes and at their end: progress counts nodes over all groups.
    const nodesDone = new Map<string, number>();
    let stopped = false;
    const stop = () => {
        if (!stopped) nodes.stop();
        stopped = true;
    };
    return {
        onProgress: (e) => {
            const group = /^nodes of (.+)$/.exec(e.phase)?.[1];
            if (group === undefined || stopped) return;
            nodesDone.set(group, e.done);
            nodes.update([...nodesDone.values()].reduce((a, b) => a + b, 0), total);
        },
        onPhase: (p) => {
            stop();
            ctx.io.err(
                p.phase === "cluster"
                    ? `building the resource tree: firewalls, NodeBalancers, DNS, member sync and power (${p.resources} resources so far)`
                    : `settling ${p.resources} resources (Pulumi resolves every registration and output)`,
            );
        },
        stop,
    };
}

/** The picture a --diagram file name asks for; checked before any work. */
function diagramKind(file: string): "mermaid" | "svg" | "html" {
    const ext = /\.[^./\\]+$/.exec(file)?.[0]?.toLowerCase();
    if (ext === ".mmd" || ext === ".mermaid") return "mermaid";
    if (ext === ".svg") return "svg";
    if (ext === ".html" || ext === ".htm") return "html";
    throw new CliError(`--diagram ${file}: use a .mmd, .svg or .html file name`, EXIT_USAGE);
}
