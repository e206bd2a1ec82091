/**
 * What `lct up | preview --live | refresh | destroy`, `lct node …` and `lct secret …` share:
 * the checks that run before any `pulumi` process (CLI present, names, plan, backend,
 * passphrase, token), opening the session, applying stack config, and reporting.
 *
 * Order matters and is the same everywhere: nothing is created — no state folder, no stack, no
 * file — until every check that can fail without Pulumi has passed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as Auto from "@pulumi/pulumi/automation";
import type { CliContext } from "../cli/context";
import { CliError, EXIT_INVALID, EXIT_USAGE } from "../cli/io";
import { formatIssue } from "../plan/issues";
import { Backend, BackendError, ensureBackendDir, passphraseProblem, resolveBackend, stackNameProblem } from "./backend";
import { diagnosticSummary, formatChanges, OperationReport, shortUrn } from "./operations";
import { findPulumiCli, PulumiCliMissingError } from "./pulumi-cli";
import { projectPath, readStackSettings, type StackSettings } from "../stack/config";
import { lctProjectDir } from "./project";
import { ConfigEntry, PulumiRunError, PulumiSession, StackMissingError } from "./session";

/** Options every lifecycle command takes. */
export interface LifecycleOptions {
    backend?: string;
    secretsProvider?: string;
    quiet?: boolean;
    json?: boolean;
}

/** Config keys of the root stack (docs/components.md). */
export const KEYS = {
    plan: "lct:plan",
    template: "lct:template",
    parameters: "lct:parameters",
    power: "lct:power",
    memberSync: "lct:memberSync",
    adminPrivateKey: "lct:adminPrivateKey",
    adminPublicKeys: "lct:adminPublicKeys",
    token: "linode:token",
} as const;

/** Step 1 of every lifecycle command: stop, before anything else, when there is no `pulumi`. */
export function requirePulumiCli(ctx: CliContext, purpose: string): void {
    if (!findPulumiCli(ctx.io.env)) throw new CliError(new PulumiCliMissingError(purpose).message, EXIT_USAGE);
}

export function requireStackName(name: string): void {
    const p = stackNameProblem(name);
    if (p) throw new CliError(p, EXIT_USAGE);
}

export function chooseBackend(opts: LifecycleOptions, ctx: CliContext): Backend {
    try {
        return resolveBackend(opts.backend, ctx.io.env);
    } catch (e) {
        if (e instanceof BackendError) throw new CliError(e.message, EXIT_USAGE);
        throw e;
    }
}

/** Stops when stack secrets could not be encrypted (or decrypted) with this backend. */
export function requirePassphrase(backend: Backend, opts: LifecycleOptions, ctx: CliContext, purpose: string): void {
    const p = passphraseProblem(backend, ctx.io.env, { cwd: ctx.io.cwd, ...(opts.secretsProvider ? { secretsProvider: opts.secretsProvider } : {}) });
    if (p) throw new CliError(`${purpose}: ${p}`, EXIT_USAGE);
}

/** Creates the state folder if needed, opens the workspace and checks the backend login. */
export async function openSession(
    backend: Backend,
    opts: LifecycleOptions,
    ctx: CliContext,
    purpose: string,
    /** Another Pulumi project than LCT's own root stack. */
    workDir?: string,
): Promise<PulumiSession> {
    try {
        ensureBackendDir(backend);
    } catch (e) {
        if (e instanceof BackendError) throw new CliError(e.message, EXIT_USAGE);
        throw e;
    }
    let session: PulumiSession;
    try {
        session = await PulumiSession.open({
            env: ctx.io.env,
            cwd: ctx.io.cwd,
            backend,
            purpose,
            ...(workDir ? { workDir } : {}),
            ...(opts.secretsProvider ? { secretsProvider: opts.secretsProvider } : {}),
        });
    } catch (e) {
        throw toCliError(e, purpose, backend);
    }
    try {
        await session.whoAmI();
    } catch (e) {
        throw toCliError(e, purpose, backend);
    }
    return session;
}

/** Maps session errors to one clear CLI message (exit 2). */
export function toCliError(e: unknown, purpose: string, backend: Backend): CliError {
    if (e instanceof CliError) return e;
    if (e instanceof PulumiCliMissingError) return new CliError(e.message, EXIT_USAGE);
    if (e instanceof StackMissingError) return new CliError(`${e.message}${backend.source === "default" ? " (LCT's default state folder; --backend or PULUMI_BACKEND_URL choose another)" : ""}`, EXIT_USAGE);
    if (e instanceof PulumiRunError) return new CliError(explain(e.message, backend), EXIT_USAGE);
    return new CliError(`${purpose}: ${(e as Error)?.message ?? String(e)}`, EXIT_USAGE);
}

/** Adds the way out to pulumi's messages LCT recognises. */
export function explain(message: string, backend?: Backend): string {
    if (/PULUMI_ACCESS_TOKEN must be set|not logged in|unauthorized|\[401\]|\[403\]/i.test(message) && backend?.kind === "service") {
        return `${message} — log in with \`pulumi login ${backend.url}\` or set PULUMI_ACCESS_TOKEN, or keep state locally (the default: --backend file://~/.lct/state)`;
    }
    if (/passphrase/i.test(message)) {
        return `${message} — the stack's secrets need the passphrase they were created with (PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE)`;
    }
    if (/locked by|Another update is currently in progress/i.test(message)) return `${message} — ${LOCK_HELP}`;
    return message;
}

const LOCK_HELP =
    "another update of this stack is running; wait for it to end. If none is (a crashed run left the lock), `pulumi cancel` (Pulumi Cloud) or removing the lock file named above (file backends) releases it";

/** Where the Linode token comes from: the stack's secret config, the environment, or nowhere. */
export function tokenSource(env: NodeJS.ProcessEnv, config: Record<string, ConfigEntry> | undefined): "config" | "env" | undefined {
    if (config?.[KEYS.token]) return "config";
    if (env.LINODE_TOKEN) return "env";
    return undefined;
}

export function noTokenError(stackName: string): CliError {
    return new CliError(
        `no Linode API token for stack "${stackName}": store one as a secret with \`lct secret set linode-token --stack ${stackName}\` ` +
            "(it reads the token from standard input), or export LINODE_TOKEN in this shell",
        EXIT_USAGE,
    );
}

/** Warns when linode:token is stored in plain text (set with `pulumi config set` without --secret). */
export function warnPlainToken(config: Record<string, ConfigEntry>, stackName: string, ctx: CliContext): void {
    if (config[KEYS.token] && !config[KEYS.token]!.secret) {
        ctx.io.err(`warning: linode:token of stack "${stackName}" is stored in plain text; store it as a secret: lct secret set linode-token --stack ${stackName}`);
    }
}

/** The config `lct up` / `preview --live` should set, from --plan / --template / --set / --power. */
export interface DesiredConfig {
    set: Record<string, string>;
    remove: string[];
    /** Whether a plan or template was given (else the stack must already have one). */
    hasSource: boolean;
    /** For messages. */
    describe?: string;
}

export interface PlanSelection {
    plan?: string;
    template?: string;
    set?: string[];
    power?: string;
}

/** `--set key=value`: numbers, booleans, null, lists and objects as JSON; anything else a string. */
export function parseSets(sets: readonly string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const s of sets) {
        const eq = s.indexOf("=");
        const key = eq > 0 ? s.slice(0, eq) : "";
        if (!/^[A-Za-z][A-Za-z0-9_.-]*$/.test(key)) throw new CliError(`--set ${JSON.stringify(s)}: use --set name=value (a parameter name, then =)`, EXIT_USAGE);
        const raw = s.slice(eq + 1);
        let value: unknown = raw;
        if (/^(-?\d+(\.\d+)?|true|false|null|\[.*\]|\{.*\})$/s.test(raw.trim())) {
            try {
                value = JSON.parse(raw);
            } catch {
                value = raw;
            }
        }
        out[key] = value;
    }
    return out;
}

/**
 * Validates the plan or template given on the command line — exactly what the root stack
 * program will read — and returns the config that makes the stack use it. Invalid: the issues
 * on stderr and exit 1, before any stack is touched.
 */
export async function desiredConfig(sel: PlanSelection, ctx: CliContext, what: string): Promise<DesiredConfig> {
    if (sel.plan !== undefined && sel.template !== undefined) throw new CliError("give --plan or --template, not both", EXIT_USAGE);
    if ((sel.set?.length ?? 0) > 0 && sel.template === undefined) throw new CliError("--set gives template parameters: use it with --template", EXIT_USAGE);
    if (sel.power !== undefined && sel.power !== "running" && sel.power !== "stopped") throw new CliError(`--power must be "running" or "stopped", not "${sel.power}"`, EXIT_USAGE);
    const desired: DesiredConfig = { set: {}, remove: [], hasSource: false };
    if (sel.power !== undefined) desired.set[KEYS.power] = sel.power;
    if (sel.plan !== undefined) {
        if (sel.plan === "-") throw new CliError("--plan -: the stack reads its plan at every run, so give a file", EXIT_USAGE);
        const file = path.resolve(ctx.io.cwd, sel.plan);
        if (!fs.existsSync(file)) {
            const hint = /^[a-z0-9][a-z0-9-]*$/.test(sel.plan) ? ` (for a bundled template: --template ${sel.plan})` : "";
            throw new CliError(`${sel.plan}: no such file${hint}`, EXIT_USAGE);
        }
        await checkPlanSource(sel.plan, file, ctx, what);
        desired.set[KEYS.plan] = file;
        desired.remove.push(KEYS.template, KEYS.parameters);
        desired.hasSource = true;
        desired.describe = `plan ${file}`;
    } else if (sel.template !== undefined) {
        const parameters = parseSets(sel.set ?? []);
        await checkTemplateSource(sel.template, parameters, ctx, what);
        desired.set[KEYS.template] = sel.template;
        if (Object.keys(parameters).length > 0) desired.set[KEYS.parameters] = JSON.stringify(parameters);
        else desired.remove.push(KEYS.parameters);
        desired.remove.push(KEYS.plan);
        desired.hasSource = true;
        desired.describe = `template ${sel.template}${Object.keys(parameters).length ? ` (${Object.keys(parameters).join(", ")})` : ""}`;
    }
    return desired;
}

/** A plan file as the stack will read it: not a template, and valid against the bundled catalogue. */
async function checkPlanSource(shown: string, file: string, ctx: CliContext, what: string): Promise<void> {
    const [{ checkPlanArgument }, { looksLikeTemplate }] = await Promise.all([import("../cli/plan-argument.js"), import("../templates/load.js")]);
    let text = "";
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        // checkPlanArgument says what is wrong with the file
    }
    // The stack reads lct:plan as a plan file at every run: a template file would not load there.
    if (looksLikeTemplate(text)) {
        throw new CliError(`${shown} is a cluster template, not a plan: deploy a bundled template with --template <name> [--set name=value], or render yours to a plan file first`, EXIT_USAGE);
    }
    // The bundled catalogue (LCT_CATALOG aside): the one the stack program validates with.
    const { check } = await checkPlanArgument(file, {}, { ...ctx, io: { ...ctx.io, env: { ...ctx.io.env, LCT_CATALOG: undefined } } });
    reportInvalid(check.ok, check.issues, shown, ctx, what);
}

/** A bundled template with its parameters, rendered and checked as the stack will. */
async function checkTemplateSource(name: string, parameters: Record<string, unknown>, ctx: CliContext, what: string): Promise<void> {
    const [{ templatePlan }, { checkPlanFile, checkPlanValue }] = await Promise.all([import("../stack/template-source.js"), import("../plan/check.js")]);
    let source;
    try {
        source = templatePlan(name, parameters);
    } catch (e) {
        const msg = (e as Error).message;
        throw new CliError(msg, /unknown template/.test(msg) ? EXIT_USAGE : EXIT_INVALID);
    }
    const check = typeof source === "string" ? checkPlanFile(source) : checkPlanValue(source);
    reportInvalid(check.ok, check.issues, `template ${name}`, ctx, what);
}

/**
 * Without --plan or --template, `up` and `preview --live` deploy what the stack was given
 * before: check it again first, since the file may have changed or gone and LCT may have
 * changed its rules since — so a bad plan stops here, with its issues, not halfway through
 * a Pulumi run. `config` is the stack's config as the run will see it (configAfter), read
 * with the stack program's own reader.
 */
export async function recheckSavedSource(config: Record<string, ConfigEntry>, stackName: string, ctx: CliContext, what: string): Promise<void> {
    const value = (key: string) => config[`lct:${key}`]?.value;
    // No plan at all: requirePlanConfig says so, after the config is applied.
    if (!value("plan") && !value("template")) return;
    let settings: StackSettings;
    try {
        settings = readStackSettings({ get: value, getObject: (key) => parseJsonConfig(key, value(key)) });
    } catch (e) {
        const again = value("template") ? `give the template again: --template ${value("template")} [--set name=value]` : "give --plan <file> or --template <name>";
        throw new CliError(`stack "${stackName}": ${(e as Error).message}; ${again}`, EXIT_USAGE);
    }
    if (settings.plan) {
        const file = projectPath(settings.plan, lctProjectDir(ctx.io.env));
        if (!fs.existsSync(file)) {
            throw new CliError(`stack "${stackName}" deploys the plan ${file} (${KEYS.plan}), which no longer exists: give --plan <file> or --template <name>`, EXIT_USAGE);
        }
        await checkPlanSource(file, file, ctx, what);
    } else {
        await checkTemplateSource(settings.template!, settings.parameters ?? {}, ctx, what);
    }
}

function parseJsonConfig<T>(key: string, raw: string | undefined): T | undefined {
    if (raw === undefined) return undefined;
    try {
        return JSON.parse(raw) as T;
    } catch {
        throw new Error(`lct:${key} is not JSON`);
    }
}

function reportInvalid(ok: boolean, issues: readonly import("../plan/issues").PlanIssue[], file: string, ctx: CliContext, what: string): void {
    if (ok) return;
    for (const issue of issues) ctx.io.err(formatIssue(issue, file));
    throw new CliError(`${file}: invalid; ${what} stopped before touching any stack (lct validate shows the same issues)`, EXIT_INVALID);
}

/** Applies the desired config to the stack (plain values only) and checks it names a plan. */
export async function applyConfig(session: PulumiSession, stack: Auto.Stack, desired: DesiredConfig, current: Record<string, ConfigEntry>): Promise<Record<string, ConfigEntry>> {
    await session.setPlainConfig(stack, desired.set);
    await session.removeConfig(stack, desired.remove.filter((k) => current[k] !== undefined));
    return configAfter(current, desired);
}

/** The stack's config once `desired` is applied (what applyConfig makes of it). */
export function configAfter(current: Record<string, ConfigEntry>, desired: DesiredConfig): Record<string, ConfigEntry> {
    const after: Record<string, ConfigEntry> = { ...current };
    for (const k of desired.remove) delete after[k];
    for (const [k, v] of Object.entries(desired.set)) after[k] = { secret: false, value: v };
    return after;
}

export function requirePlanConfig(config: Record<string, ConfigEntry>, stackName: string): void {
    if (!config[KEYS.plan] && !config[KEYS.template]) {
        throw new CliError(`stack "${stackName}" has no plan yet: give --plan <file> or --template <name>`, EXIT_USAGE);
    }
}

const VERB: Record<string, string> = { up: "updated", preview: "previewed", refresh: "refreshed", destroy: "destroyed" };

/** The human summary of a run, or its JSON; a failed run ends with exit 2 and the reasons. */
export function finishReport(report: OperationReport, ctx: CliContext, opts: LifecycleOptions & { planned?: boolean; extra?: string[] }): void {
    const { io } = ctx;
    if (opts.json) {
        io.out(JSON.stringify(report, null, 2));
    } else if (report.ok) {
        const took = report.durationSeconds !== undefined && !opts.planned ? ` in ${report.durationSeconds}s` : "";
        io.out(`stack "${report.stack}" ${VERB[report.operation]}${took}: ${formatChanges(report.changes, opts.planned)}`);
        if (report.nodes !== undefined) io.out(`cluster "${report.cluster ?? report.stack}": ${report.nodes} node${report.nodes === 1 ? "" : "s"} in the stack's inventory`);
        for (const line of opts.extra ?? []) io.out(line);
    }
    if (report.ok) return;
    if (report.protectedUrns !== undefined) throw new CliError(protectedMessage(report.stack, report.protectedUrns, true), EXIT_USAGE);
    // pulumi's own output already showed its diagnostics, unless it was not streamed.
    if (opts.quiet && !opts.json) {
        for (const d of report.diagnostics.filter((x) => x.severity === "error")) io.err(`  ${d.resource ? `${d.resource}: ` : ""}${diagnosticSummary(d.message)}`);
    }
    if (!opts.json && Object.keys(report.changes).length) io.err(`done before it stopped: ${formatChanges(report.changes)}`);
    const failed = report.failed.length ? ` (failed: ${report.failed.join(", ")})` : "";
    throw new CliError(`${report.operation} of stack "${report.stack}" failed${failed}: ${explain(report.error ?? "see above")}`, EXIT_USAGE);
}

/** Protected resources stop destroy: which, why, and the ways out. */
export function protectedMessage(s: string, urns: readonly string[], started = false): string {
    const names = urns.map(shortUrn);
    return (
        `destroy of stack "${s}" ${started ? "stopped" : "not started"}: ${names.length ? `${names.length} resource${names.length === 1 ? " is" : "s are"} protected (${names.join(", ")})` : "protected resources remain"}` +
        `${started ? "" : "; nothing was deleted"}. ` +
        "LCT protects volumes by default (storage deletionPolicy: protect) so that destroy never deletes data. " +
        `To keep them and delete everything else: lct destroy ${s} --yes --exclude-protected. ` +
        `To delete them too, release them first: set deletionPolicy: delete on the storage in the plan and run lct up ${s}, then lct destroy ${s} --yes ` +
        `(or unprotect them in the state: cd ~/.lct/project && pulumi state unprotect --all --yes --stack ${s}, with the same PULUMI_BACKEND_URL)`
    );
}

/** Streams pulumi's output lines to stderr unless quiet (or JSON, which keeps stdout clean anyway). */
export function outputSink(opts: LifecycleOptions, ctx: CliContext): ((line: string) => void) | undefined {
    return opts.quiet ? undefined : (line) => ctx.io.err(line);
}
