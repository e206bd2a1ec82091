import type { Command } from "commander";
import type { Catalog } from "../../catalog/types";
import { checkPlanValue } from "../../plan/check";
import { formatIssue } from "../../plan/issues";
import { bootstrapScripts, BootstrapError, ROLE_BOOTSTRAPS } from "../../templates/bootstrap";
import { describeTemplate, type TemplateDescription } from "../../templates/describe";
import { loadTemplate, loadTemplates, TemplateFormatError, UnknownTemplateError } from "../../templates/load";
import { TemplateParameterError } from "../../templates/parameters";
import { renderPlanYaml } from "../../templates/plan-yaml";
import { renderTemplate, type RenderedTemplate } from "../../templates/render";
import { parseSetArguments, SetArgumentError } from "../../templates/set-arguments";
import type { CliContext } from "../context";
import { CliError, EXIT_INVALID, EXIT_USAGE } from "../io";
import { catalogFor, type PlanOptions } from "../plan-argument";

/** `lct templates list|show|init|bootstrap`: the bundled cluster templates (docs/templates.md). */
export function register(program: Command, ctx: CliContext): void {
    const templates = program.command("templates").description("bundled cluster templates: Kafka, Spark, Hadoop, Cassandra, … (lct templates list)");
    const collect = (value: string, previous: string[]) => [...previous, value];

    templates
        .command("list")
        .description("the bundled templates, with their default size and cost")
        .option("--json", "as JSON")
        .option("--catalog <file>", "price with this catalogue (or set LCT_CATALOG)")
        .action((opts: PlanOptions & { json?: boolean }) => {
            const catalog = catalogFor(opts, ctx);
            const all = guarded(() => loadTemplates().map((t) => describeTemplate(t, catalog)));
            if (opts.json) {
                ctx.io.out(JSON.stringify(all.map((d) => ({ name: d.name, title: d.title, version: d.version, nodes: d.defaults.nodes, regions: d.defaults.regions, monthlyUsd: d.defaults.monthlyUsd })), null, 2));
                return;
            }
            const width = Math.max(...all.map((d) => d.name.length));
            for (const d of all) {
                const cost = d.defaults.monthlyUsd === null ? "price unknown" : `$${Math.round(d.defaults.monthlyUsd)}/month`;
                ctx.io.out(`${d.name.padEnd(width)}  ${String(d.defaults.nodes).padStart(3)} nodes  ${cost.padStart(12)}  ${d.title}`);
            }
            ctx.io.out(`(${all.length} templates, default sizes; lct templates show <name> for roles, ports and parameters)`);
        });

    templates
        .command("show")
        .description("a template's roles, node counts, ports (member-only and client-facing), parameters and wiring")
        .argument("<name>", "template name (lct templates list)")
        .option("--json", "as JSON")
        .option("--catalog <file>", "check and price with this catalogue (or set LCT_CATALOG)")
        .action((name: string, opts: PlanOptions & { json?: boolean }) => {
            const catalog = catalogFor(opts, ctx);
            const d = guarded(() => describeTemplate(loadTemplate(name), catalog));
            if (opts.json) ctx.io.out(JSON.stringify(d, null, 2));
            else ctx.io.out(renderDescription(d));
        });

    templates
        .command("init")
        .description("render a template into a plan (YAML on standard output): lct templates init kafka --set brokers=5 > plan.yaml")
        .argument("<name>", "template name (lct templates list)")
        .option("--set <key=value>", "override a parameter (repeatable; lists comma-separated: --set regions=us-ord,us-iad)", collect, [])
        .option("-o, --output <file>", "write the plan to this file instead")
        .option("--catalog <file>", "check regions and types against this catalogue (or set LCT_CATALOG)")
        .action((name: string, opts: PlanOptions & { set: string[]; output?: string }) => {
            const r = renderChecked(name, opts, ctx);
            if (!r) return;
            const yaml = renderPlanYaml(r.rendered);
            if (opts.output === undefined || opts.output === "-") {
                ctx.io.out(yaml.endsWith("\n") ? yaml.slice(0, -1) : yaml);
                return;
            }
            const fs = require("node:fs") as typeof import("node:fs");
            const path = require("node:path") as typeof import("node:path");
            try {
                fs.writeFileSync(path.resolve(ctx.io.cwd, opts.output), yaml);
            } catch (e) {
                throw new CliError(`cannot write ${opts.output}: ${(e as Error).message}`, EXIT_USAGE);
            }
            ctx.io.err(`wrote ${opts.output}: ${r.nodes} nodes from template ${name} (lct validate ${opts.output})`);
        });

    templates
        .command("bootstrap")
        .description(`the first-boot software scripts of a template's nodes (roles with a bundled bootstrap: ${[...ROLE_BOOTSTRAPS.keys()].join(", ")})`)
        .argument("<name>", "template name (lct templates list)")
        .option("--set <key=value>", "override a parameter (repeatable)", collect, [])
        .option("--node <name>", "print this node's script (e.g. zookeeper-us-ord-zookeeper-1)")
        .option("--out-dir <dir>", "write every script to <dir>/<node>.sh")
        .option("--catalog <file>", "check regions and types against this catalogue (or set LCT_CATALOG)")
        .action((name: string, opts: PlanOptions & { set: string[]; node?: string; outDir?: string }) => {
            const r = renderChecked(name, opts, ctx);
            if (!r) return;
            let scripts;
            try {
                scripts = bootstrapScripts(r.resolved);
            } catch (e) {
                if (e instanceof BootstrapError) throw new CliError(`${name}: ${e.message}`, EXIT_INVALID);
                throw e;
            }
            if (scripts.length === 0) throw new CliError(`${name}: no role of this template has a bundled bootstrap (lct templates show ${name})`, EXIT_INVALID);
            if (opts.node !== undefined) {
                const s = scripts.find((x) => x.node === opts.node);
                if (!s) throw new CliError(`no bootstrap script for node ${opts.node}; nodes with one: ${scripts.map((x) => x.node).join(", ")}`, EXIT_USAGE);
                ctx.io.out(s.script.endsWith("\n") ? s.script.slice(0, -1) : s.script);
                return;
            }
            if (opts.outDir === undefined) throw new CliError(`give --node <name> or --out-dir <dir>; nodes with a script: ${scripts.map((x) => x.node).join(", ")}`, EXIT_USAGE);
            const fs = require("node:fs") as typeof import("node:fs");
            const path = require("node:path") as typeof import("node:path");
            const dir = path.resolve(ctx.io.cwd, opts.outDir);
            fs.mkdirSync(dir, { recursive: true });
            for (const s of scripts) {
                const file = path.join(dir, `${s.node}.sh`);
                fs.writeFileSync(file, s.script, { mode: 0o700 });
                fs.chmodSync(file, 0o700);
            }
            ctx.io.out(`wrote ${scripts.length} scripts to ${opts.outDir} (${[...new Set(scripts.map((s) => s.role))].join(", ")}); run each on its node as root`);
        });
}

/** Template errors as one clear message each; a bad template name or file is a usage error. */
function guarded<T>(fn: () => T): T {
    try {
        return fn();
    } catch (e) {
        if (e instanceof UnknownTemplateError || e instanceof TemplateFormatError) throw new CliError(e.message, EXIT_USAGE);
        throw e;
    }
}

/**
 * Renders with the --set overrides and validates the plan. Refused overrides and an invalid
 * plan are printed (every issue) and end with exit code 1; nothing is written then.
 */
function renderChecked(name: string, opts: PlanOptions & { set: string[] }, ctx: CliContext): { rendered: RenderedTemplate; resolved: NonNullable<ReturnType<typeof checkPlanValue>["resolved"]>; nodes: number } | undefined {
    const catalog: Catalog = catalogFor(opts, ctx);
    let overrides: Record<string, string>;
    try {
        overrides = parseSetArguments(opts.set);
    } catch (e) {
        if (e instanceof SetArgumentError) throw new CliError(e.message, EXIT_USAGE);
        throw e;
    }
    let rendered: RenderedTemplate;
    try {
        rendered = guarded(() => renderTemplate(loadTemplate(name), overrides, { catalog }));
    } catch (e) {
        if (!(e instanceof TemplateParameterError)) throw e;
        for (const issue of e.issues) ctx.io.err(`error: ${name}: ${issue.parameter ? `${issue.parameter}: ` : ""}${issue.message}`);
        ctx.io.err(`${name}: ${e.issues.length} parameter problem(s); see lct templates show ${name}`);
        ctx.setExitCode(EXIT_INVALID);
        return undefined;
    }
    const check = checkPlanValue(rendered.plan, { catalog });
    const where = `${name} (rendered)`;
    for (const issue of check.issues) ctx.io.err(formatIssue(issue, where));
    if (!check.ok || !check.resolved) {
        ctx.io.err(`${where}: the rendered plan is invalid; nothing written`);
        ctx.setExitCode(EXIT_INVALID);
        return undefined;
    }
    return { rendered, resolved: check.resolved, nodes: check.resolved.nodes.length };
}

/** `lct templates show` as text. */
export function renderDescription(d: TemplateDescription): string {
    const out: string[] = [];
    out.push(`${d.name} ${d.version} — ${d.title}`, "");
    out.push(...wrap(d.description, 96), "");
    const cost = d.defaults.monthlyUsd === null ? "price unknown" : `$${d.defaults.monthlyUsd.toFixed(2)}/month`;
    out.push(`Default size: ${d.defaults.nodes} nodes in ${d.defaults.regions.join(", ")}${d.defaults.loadBalancers ? `, ${d.defaults.loadBalancers} NodeBalancer(s)` : ""}; ${cost}`, "");
    out.push("Roles (default counts):");
    for (const r of d.roles) {
        out.push(`  ${r.role} — ${r.title}: ${r.nodes} node(s)${r.quorum ? " (majority quorum: odd, at least 3)" : ""}${r.types.length ? `, ${r.types.join(", ")}` : ""}`);
        if (r.storage.length) out.push(`      storage:       ${r.storage.join("; ")}`);
        if (r.ports.members.length) out.push(`      member-only:   ${r.ports.members.join(", ")}`);
        if (r.ports.clients.length) out.push(`      client-facing: ${r.ports.clients.join(", ")}`);
        if (r.ports.balancer.length) out.push(`      NodeBalancer:  ${r.ports.balancer.join(", ")}`);
        out.push(`      bootstrap:     ${r.bootstrap.available ? r.bootstrap.summary : `none — ${r.bootstrap.summary}`}`);
    }
    out.push("", "Parameters (--set name=value):");
    const width = Math.max(...d.parameters.map((p) => p.name.length));
    for (const p of d.parameters) {
        const def = Array.isArray(p.default) ? p.default.join(",") : String(p.default);
        out.push(`  ${p.name.padEnd(width)}  ${p.description} Default ${def}; ${p.allowed}.`);
    }
    if (d.wiring.length) out.push("", `Inventory wiring: ${d.wiring.join(", ")} (lct inventory export adds their group vars; docs/inventory.md)`);
    out.push("", `Start: lct templates init ${d.name} > plan.yaml && lct validate plan.yaml`);
    return out.join("\n");
}

function wrap(text: string, width: number): string[] {
    const lines: string[] = [];
    let line = "";
    for (const word of text.split(/\s+/)) {
        if (line && line.length + 1 + word.length > width) {
            lines.push(line);
            line = word;
        } else line = line ? `${line} ${word}` : word;
    }
    if (line) lines.push(line);
    return lines;
}
