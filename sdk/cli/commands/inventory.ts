/**
 * `lct inventory query|export|ansible|ssh-config|hosts|bundle`: the cluster inventory from a
 * stack export (`--stack-export <file|->`), a stack through the Automation API (`--stack`),
 * the live Linode API (`--live`) or a plan (`--plan`, no addresses), queried and exported.
 * Registration is light; the work is required inside the actions.
 *
 * Exit codes: 0 done; 1 a malformed query (or an invalid plan); 2 unusable input (no source,
 * unreadable or non-JSON export, no Pulumi CLI, API trouble).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
// Imported statically (not require()d in the actions) so the commands also run under vitest,
// whose module runner cannot require() TypeScript. None of it loads Pulumi: the Automation
// API is required only when --stack is used (sdk/automation).
import { readStackDeployment } from "../../automation/read-stack";
import { clusterAddress } from "../../inventory/addresses";
import * as ansible from "../../inventory/ansible";
import { archiveFormatOf, packBundle } from "../../inventory/archive";
import { buildBundle } from "../../inventory/bundle";
import { buildInventory } from "../../inventory/build";
import { HOSTS_ADDRESS_KINDS, renderHostsFile } from "../../inventory/hosts-file";
import { renderInventoryJson } from "../../inventory/json-export";
import { liveInventories } from "../../inventory/live";
import { parseQuery, type QueryExpr, QuerySyntaxError, selectorPredicate } from "../../inventory/query";
import { guardExport, SecretLeakError } from "../../inventory/secrets";
import { selectNodes } from "../../inventory/select";
import { renderSshConfig } from "../../inventory/ssh-config";
import { parseStackExport, readStackExport, StackExportError } from "../../inventory/stack-export";
import type { ClusterInventory } from "../../inventory/types";
import { createLinodeClient } from "../../linode-api/client";
import { isLinodeApiError } from "../../linode-api/errors";
import { formatIssue } from "../../plan/issues";
import type { CliContext } from "../context";
import { CliError, EXIT_INVALID, EXIT_USAGE } from "../io";
import { checkPlanArgument } from "../plan-argument";

export interface SourceOptions {
    stackExport?: string;
    stack?: string;
    backend?: string;
    cwd?: string;
    live?: boolean;
    plan?: string;
    catalog?: string;
    cluster?: string;
    user?: string;
}

interface Loaded {
    inventories: ClusterInventory[];
    warnings: string[];
}

const SOURCE_HELP = "choose where the inventory comes from: --stack-export <file|->, --stack <name>, --live or --plan <file>";

function addSourceOptions(cmd: Command): Command {
    return cmd
        .option("--stack-export <file>", 'a `pulumi stack export` JSON file, or "-" for standard input')
        .option("--stack <name>", "a stack created by `lct up`, or of the project in --cwd, read through the Automation API (needs the pulumi CLI)")
        .option("--backend <url>", "where the --stack state is kept (default: PULUMI_BACKEND_URL, else file://~/.lct/state, as for lct up)")
        .option("--cwd <dir>", "the Pulumi project folder of --stack when it is your own program (default: LCT's root stack project)")
        .option("--live", "the live Linode API (LINODE_TOKEN, LINODE_URL): instances found by their tags")
        .option("--plan <file>", "a plan file: the planned inventory (VPC addresses only; no public addresses or ids)")
        .option("--catalog <file>", "Linode catalogue for --plan (default: the bundled one)")
        .option("--cluster <name>", "only this cluster (same as adding `and cluster=<name>` to the query)")
        .option("--user <name>", "SSH user instead of the cluster's admin user");
}

/** Parses the query (and --cluster) before any source is touched: a typo costs no API call. */
function parseSelector(query: string | undefined, opts: SourceOptions): QueryExpr | undefined {
    let expr: QueryExpr | undefined;
    if (query !== undefined && query.trim() !== "") {
        try {
            expr = parseQuery(query);
        } catch (e) {
            if (e instanceof QuerySyntaxError) throw new CliError(e.message, EXIT_INVALID);
            throw e;
        }
    }
    if (opts.cluster) {
        const c: QueryExpr = { kind: "cmp", field: "cluster", op: "=", value: opts.cluster };
        expr = expr ? { kind: "and", items: [c, expr] } : c;
    }
    return expr;
}

function resolvePath(ctx: CliContext, file: string): string {
    return path.resolve(ctx.io.cwd, file);
}

async function loadSource(opts: SourceOptions, ctx: CliContext, selector: QueryExpr | undefined, wholeClusters: boolean): Promise<Loaded> {
    const chosen = [opts.stackExport !== undefined, opts.stack !== undefined, opts.live === true, opts.plan !== undefined].filter(Boolean).length;
    if (chosen === 0) throw new CliError(`no inventory source: ${SOURCE_HELP}`, EXIT_USAGE);
    if (chosen > 1) throw new CliError(`one inventory source at a time: ${SOURCE_HELP}`, EXIT_USAGE);
    const user = opts.user ? { defaultUser: opts.user } : {};

    if (opts.stackExport !== undefined) {
        const source = opts.stackExport === "-" ? "<stdin>" : opts.stackExport;
        let text: string;
        try {
            text = opts.stackExport === "-" ? await ctx.io.readStdin() : fs.readFileSync(resolvePath(ctx, opts.stackExport), "utf8");
        } catch (e) {
            throw new CliError(`cannot read the stack export ${source}: ${(e as Error).message}`, EXIT_USAGE);
        }
        try {
            const r = parseStackExport(text, { source, ...user });
            return { inventories: r.inventories, warnings: r.warnings };
        } catch (e) {
            if (e instanceof StackExportError) throw new CliError(e.message, EXIT_USAGE);
            throw e;
        }
    }

    if (opts.stack !== undefined) {
        const doc = await readStackDeployment(opts.stack, { ...(opts.backend ? { backend: opts.backend } : {}), ...(opts.cwd ? { workDir: resolvePath(ctx, opts.cwd) } : {}) }, ctx);
        try {
            const r = readStackExport(doc, { source: `stack ${opts.stack}`, ...user });
            return { inventories: r.inventories, warnings: r.warnings };
        } catch (e) {
            if (e instanceof StackExportError) throw new CliError(e.message, EXIT_USAGE);
            throw e;
        }
    }

    if (opts.live) {
        if (!ctx.io.env.LINODE_TOKEN?.trim()) {
            throw new CliError("no Linode API token: set LINODE_TOKEN (against `lct sim`, any value works: LINODE_TOKEN=anything)", EXIT_USAGE);
        }
        try {
            const client = createLinodeClient({ env: ctx.io.env });
            const r = await liveInventories(client, { ...(selector ? { query: selector } : {}), wholeClusters, ...(opts.user ? { user: opts.user } : {}) });
            return { inventories: r.inventories, warnings: r.warnings };
        } catch (e) {
            if (isLinodeApiError(e, 401)) throw new CliError("the Linode API refused the token (401 Invalid Token); check LINODE_TOKEN", EXIT_USAGE);
            throw new CliError(`live query failed: ${(e as Error)?.message ?? String(e)}`, EXIT_USAGE);
        }
    }

    // --plan: the planned inventory, without anything only Linode knows.
    const { check, file } = await checkPlanArgument(opts.plan!, opts.catalog ? { catalog: opts.catalog } : {}, ctx);
    if (!check.ok || !check.resolved) {
        for (const issue of check.issues) ctx.io.err(formatIssue(issue, file));
        throw new CliError(`${file}: invalid plan; fix the errors above (lct validate ${opts.plan})`, EXIT_INVALID);
    }
    const inv = buildInventory(check.resolved, { nodes: {}, volumes: {}, loadBalancers: {} });
    return { inventories: [opts.user ? { ...inv, adminUser: opts.user } : inv], warnings: ["--plan: planned inventory; public addresses and ids are unknown until the cluster exists"] };
}

function warn(ctx: CliContext, warnings: readonly string[]): void {
    for (const w of warnings) ctx.io.err(`warning: ${w}`);
}

/** Writes an export to --output (after the secret check), or prints it. */
function emit(ctx: CliContext, what: string, text: string, output: string | undefined, mode = 0o644): void {
    try {
        guardExport(what, text);
    } catch (e) {
        if (e instanceof SecretLeakError) throw new CliError(e.message, EXIT_USAGE);
        throw e;
    }
    if (output === undefined || output === "-") {
        ctx.io.out(text.endsWith("\n") ? text.slice(0, -1) : text);
        return;
    }
    const file = resolvePath(ctx, output);
    try {
        fs.writeFileSync(file, text, { mode });
        fs.chmodSync(file, mode);
    } catch (e) {
        throw new CliError(`cannot write ${output}: ${(e as Error).message}`, EXIT_USAGE);
    }
    ctx.io.err(`wrote ${what} to ${output}`);
}

function selectedCount(inventories: readonly ClusterInventory[], selector: QueryExpr | undefined): number {
    return selectNodes(inventories, selector).length;
}

type QueryFormat = "table" | "json" | "labels";
type ExportFormat = "yaml" | "ini" | "json" | "script";

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
    if (!(allowed as readonly string[]).includes(value)) throw new CliError(`${what} must be one of ${allowed.join(", ")}, not "${value}"`, EXIT_USAGE);
    return value as T;
}

export function register(program: Command, ctx: CliContext): void {
    const inventory = program
        .command("inventory")
        .description("query a cluster's nodes and export them: Ansible (YAML, INI, dynamic), SSH config, /etc/hosts, JSON, bundles");

    addSourceOptions(
        inventory
            .command("query <query>")
            .description('nodes matching a query, e.g. "role=kafka-broker and region=us-east" (fields: tag role group region label type cluster name image index id; and, or, not, parentheses; * globs)')
            .option("--format <format>", "table, json or labels", "table"),
    ).action(async (query: string, opts: SourceOptions & { format: string }) => {
        const format = oneOf<QueryFormat>(opts.format, ["table", "json", "labels"], "--format");
        const selector = parseSelector(query, opts);
        const loaded = await loadSource(opts, ctx, selector, false);
        warn(ctx, loaded.warnings);
        const match = selectorPredicate(selector);
        const rows = loaded.inventories.flatMap((inv) => inv.nodes.filter((n) => match(n, inv.cluster)).map((n) => ({ cluster: inv.cluster, ...n })));
        if (format === "json") {
            emit(ctx, "the matching nodes", JSON.stringify(rows, null, 2), undefined);
        } else if (format === "labels") {
            if (rows.length > 0) ctx.io.out(rows.map((r) => r.label).join("\n"));
        } else if (rows.length > 0) {
            const header = ["LABEL", "CLUSTER", "ROLE", "GROUP", "TYPE", "PUBLIC", "CLUSTER-IP"];
            const table = rows.map((r) => [r.label, r.cluster, r.role, r.group, r.type, r.publicIpv4 ?? "-", clusterAddress(r) ?? "-"]);
            const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
            const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
            ctx.io.out([line(header), ...table.map(line)].join("\n"));
        }
        if (rows.length === 0) ctx.io.err("no nodes match");
    });

    addSourceOptions(
        inventory
            .command("export [query]")
            .description("an Ansible inventory (YAML or INI), LCT's inventory JSON, or an executable dynamic-inventory script")
            .option("--format <format>", "yaml, ini, json or script", "yaml")
            .option("-o, --output <file>", "write to a file instead of standard output (scripts are made executable)")
            .option("--no-wiring", "leave out the stacks' wiring vars (quorum voters, seeds …)"),
    ).action(async (query: string | undefined, opts: SourceOptions & { format: string; output?: string; wiring: boolean }) => {
        const format = oneOf<ExportFormat>(opts.format, ["yaml", "ini", "json", "script"], "--format");
        const selector = parseSelector(query, opts);
        const loaded = await loadSource(opts, ctx, selector, true);
        warn(ctx, loaded.warnings);
        if (format === "json") {
            emit(ctx, "the inventory JSON", renderInventoryJson(loaded.inventories, selector), opts.output);
            return;
        }
        const model = ansible.buildAnsibleModel(loaded.inventories, { ...(selector ? { selector } : {}), wiring: opts.wiring, ...(opts.user ? { user: opts.user } : {}) });
        warn(ctx, model.warnings);
        if (Object.keys(model.hostvars).length === 0) ctx.io.err("warning: no nodes match; the inventory is empty");
        const header = `Generated by lct inventory export${query ? ` "${query}"` : ""}; ${Object.keys(model.hostvars).length} host(s).`;
        if (format === "yaml") emit(ctx, "the Ansible YAML inventory", ansible.renderAnsibleYaml(model, header), opts.output);
        else if (format === "ini") emit(ctx, "the Ansible INI inventory", ansible.renderAnsibleIni(model, header), opts.output);
        else emit(ctx, "the dynamic inventory script", ansible.renderInventoryScript(model, header), opts.output, 0o755);
    });

    addSourceOptions(
        inventory
            .command("ansible [query]")
            .description(
                "act as an Ansible dynamic inventory (--list, --host <name>); with no option set, the source and query come from " +
                    "LCT_STACK_EXPORT, LCT_STACK (+ LCT_CWD), LCT_LIVE=1 or LCT_PLAN, and LCT_QUERY / LCT_CLUSTER",
            )
            .option("--list", "every group and host with its vars (what Ansible asks for)")
            .option("--host <name>", "one host's vars")
            .option("--no-wiring", "leave out the stacks' wiring vars"),
    ).action(async (query: string | undefined, opts: SourceOptions & { list?: boolean; host?: string; wiring: boolean }) => {
        if (!opts.list && opts.host === undefined) throw new CliError("say --list or --host <name> (this is how Ansible calls a dynamic inventory)", EXIT_USAGE);
        const env = ctx.io.env;
        const fromEnv: SourceOptions = {
            ...opts,
            ...(opts.stackExport ?? env.LCT_STACK_EXPORT ? { stackExport: opts.stackExport ?? env.LCT_STACK_EXPORT } : {}),
            ...(opts.stack ?? env.LCT_STACK ? { stack: opts.stack ?? env.LCT_STACK } : {}),
            ...(opts.cwd ?? env.LCT_CWD ? { cwd: opts.cwd ?? env.LCT_CWD } : {}),
            ...(opts.live || env.LCT_LIVE === "1" || env.LCT_LIVE === "true" ? { live: true } : {}),
            ...(opts.plan ?? env.LCT_PLAN ? { plan: opts.plan ?? env.LCT_PLAN } : {}),
            ...(opts.cluster ?? env.LCT_CLUSTER ? { cluster: opts.cluster ?? env.LCT_CLUSTER } : {}),
        };
        const selector = parseSelector(query ?? env.LCT_QUERY, fromEnv);
        const loaded = await loadSource(fromEnv, ctx, selector, true);
        warn(ctx, loaded.warnings);
        const model = ansible.buildAnsibleModel(loaded.inventories, { ...(selector ? { selector } : {}), wiring: opts.wiring, ...(opts.user ? { user: opts.user } : {}) });
        warn(ctx, model.warnings);
        const out = opts.list ? ansible.ansibleListJson(model) : ansible.ansibleHostJson(model, opts.host!);
        emit(ctx, "the dynamic inventory", JSON.stringify(out, null, 2), undefined);
    });

    addSourceOptions(
        inventory
            .command("ssh-config [query]")
            .description("~/.ssh/config blocks, one Host per node (ProxyJump through the bastion when the plan names one)")
            .option("--identity-file <path>", "IdentityFile for every host")
            .option("--alias-prefix <prefix>", "prepend to every Host alias")
            .option("-o, --output <file>", "write to a file instead of standard output"),
    ).action(async (query: string | undefined, opts: SourceOptions & { identityFile?: string; aliasPrefix?: string; output?: string }) => {
        const selector = parseSelector(query, opts);
        const loaded = await loadSource(opts, ctx, selector, false);
        warn(ctx, loaded.warnings);
        const r = renderSshConfig(loaded.inventories, {
            ...(selector ? { selector } : {}),
            ...(opts.user ? { user: opts.user } : {}),
            ...(opts.identityFile ? { identityFile: opts.identityFile } : {}),
            ...(opts.aliasPrefix ? { aliasPrefix: opts.aliasPrefix } : {}),
        });
        warn(ctx, r.warnings);
        if (selectedCount(loaded.inventories, selector) === 0) ctx.io.err("no nodes match");
        emit(ctx, "the SSH config", r.text, opts.output);
    });

    addSourceOptions(
        inventory
            .command("hosts [query]")
            .description("an /etc/hosts block: address, label, hostname and DNS name of each node")
            .option("--address <kind>", "public, private, vpc, cluster (VPC → private → public) or ipv6", "public")
            .option("-o, --output <file>", "write to a file instead of standard output"),
    ).action(async (query: string | undefined, opts: SourceOptions & { address: string; output?: string }) => {
        const address = oneOf(opts.address, HOSTS_ADDRESS_KINDS, "--address");
        const selector = parseSelector(query, opts);
        const loaded = await loadSource(opts, ctx, selector, false);
        warn(ctx, loaded.warnings);
        const r = renderHostsFile(loaded.inventories, { ...(selector ? { selector } : {}), address });
        warn(ctx, r.warnings);
        if (selectedCount(loaded.inventories, selector) === 0) ctx.io.err("no nodes match");
        emit(ctx, "the hosts block", r.text, opts.output);
    });

    addSourceOptions(
        inventory
            .command("bundle [query]")
            .description("a Craton-style bundle (ansible.cfg + hosts/ with group_vars/ and host_vars/) for a group or a query, as .tgz or .zip")
            .requiredOption("-o, --output <file>", "the archive to write: <name>.tgz, <name>.tar.gz or <name>.zip")
            .option("--group <group>", 'only this group (name, or "<region>/<name>"); combined with the query by "and"')
            .option("--name <name>", "the folder inside the archive (default <cluster>-inventory)")
            .option("--no-wiring", "leave out the stacks' wiring vars"),
    ).action(async (query: string | undefined, opts: SourceOptions & { output: string; group?: string; name?: string; wiring: boolean }) => {
        const format = archiveFormatOf(opts.output);
        if (!format) throw new CliError(`--output must end in .tgz, .tar.gz or .zip, not "${opts.output}"`, EXIT_USAGE);
        let selector = parseSelector(query, opts);
        if (opts.group) {
            const g: QueryExpr = { kind: "cmp", field: "group", op: "=", value: opts.group };
            selector = selector ? { kind: "and", items: [selector, g] } : g;
        }
        const loaded = await loadSource(opts, ctx, selector, true);
        warn(ctx, loaded.warnings);
        let bundle: ReturnType<typeof buildBundle>;
        try {
            bundle = buildBundle(loaded.inventories, {
                ...(selector ? { selector } : {}),
                wiring: opts.wiring,
                ...(opts.user ? { user: opts.user } : {}),
                ...(opts.name ? { name: opts.name } : {}),
                description: [query, opts.group ? `group ${opts.group}` : undefined].filter(Boolean).join(", ") || undefined,
            });
            for (const f of bundle.files) guardExport(`bundle file ${f.path}`, f.content);
        } catch (e) {
            if (e instanceof SecretLeakError) throw new CliError(e.message, EXIT_USAGE);
            throw new CliError((e as Error).message, EXIT_USAGE);
        }
        warn(ctx, bundle.model.warnings);
        const hosts = Object.keys(bundle.model.hostvars).length;
        if (hosts === 0) throw new CliError("no nodes match; no bundle written", EXIT_INVALID);
        const data = await packBundle(bundle.files, format);
        try {
            fs.writeFileSync(resolvePath(ctx, opts.output), data, { mode: 0o644 });
        } catch (e) {
            throw new CliError(`cannot write ${opts.output}: ${(e as Error).message}`, EXIT_USAGE);
        }
        ctx.io.err(`wrote ${opts.output}: ${bundle.name}/ with ${hosts} host(s), ${bundle.model.groups.length} group(s)`);
    });
}
