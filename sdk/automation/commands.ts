/**
 * The actions behind `lct up | preview --live | refresh | destroy` (the CLI modules register
 * the commands and load this lazily). Each runs the same checks in the same order — see
 * ./lifecycle — then one Automation API operation, and prints a summary.
 */
import type { CliContext } from "../cli/context";
import { CliError, EXIT_USAGE } from "../cli/io";
import {
    applyConfig,
    chooseBackend,
    configAfter,
    desiredConfig,
    finishReport,
    protectedMessage,
    LifecycleOptions,
    noTokenError,
    openSession,
    outputSink,
    PlanSelection,
    requirePassphrase,
    recheckSavedSource,
    requirePlanConfig,
    requirePulumiCli,
    requireStackName,
    toCliError,
    tokenSource,
    warnPlainToken,
} from "./lifecycle";
import { Operation, runOperation } from "./operations";
import type { ConfigEntry, PulumiSession } from "./session";
import { StackMissingError } from "./session";
import type { Backend } from "./backend";

type Stack = import("@pulumi/pulumi/automation").Stack;

/**
 * Opens the stack for an operation that needs the Linode token. Without a token in the
 * environment, the stack must already exist and hold linode:token — checked before anything
 * is created. With `create`, a missing stack is created (only once everything else is known good).
 */
export async function stackForOperation(
    session: PulumiSession,
    name: string,
    ctx: CliContext,
    backend: Backend,
    purpose: string,
    opts: { create: boolean; hasSource?: boolean },
): Promise<{ stack: Stack; config: Record<string, ConfigEntry>; created: boolean }> {
    let stack: Stack | undefined;
    try {
        stack = await session.selectStack(name);
    } catch (e) {
        if (!(e instanceof StackMissingError)) throw toCliError(e, purpose, backend);
        if (!opts.create) throw toCliError(e, purpose, backend);
    }
    if (!stack) {
        // A new stack: it needs a plan and a token before LCT creates it.
        if (!opts.hasSource) throw new CliError(`stack "${name}" does not exist yet: give --plan <file> or --template <name> to create it`, EXIT_USAGE);
        if (tokenSource(ctx.io.env, undefined) === undefined) throw noTokenError(name);
        try {
            const created = await session.createStack(name);
            ctx.io.err(`created stack "${name}" in ${backend.url}`);
            return { stack: created, config: await session.config(name), created: true };
        } catch (e) {
            throw toCliError(e, purpose, backend);
        }
    }
    let config: Record<string, ConfigEntry>;
    try {
        config = await session.config(name);
    } catch (e) {
        throw toCliError(e, purpose, backend);
    }
    if (tokenSource(ctx.io.env, config) === undefined) throw noTokenError(name);
    warnPlainToken(config, name, ctx);
    return { stack, config, created: false };
}

async function prepare(stackName: string, opts: LifecycleOptions, ctx: CliContext, purpose: string) {
    requirePulumiCli(ctx, purpose);
    requireStackName(stackName);
    const backend = chooseBackend(opts, ctx);
    return { backend };
}

/** `lct up <stack> [--plan f | --template t [--set k=v]] [--power s]`. */
export async function up(stackName: string, opts: LifecycleOptions & PlanSelection & { refresh?: boolean }, ctx: CliContext): Promise<void> {
    const purpose = "lct up";
    const { backend } = await prepare(stackName, opts, ctx, purpose);
    const desired = await desiredConfig(opts, ctx, purpose);
    requirePassphrase(backend, opts, ctx, purpose);
    const session = await openSession(backend, opts, ctx, purpose);
    const { stack, config } = await stackForOperation(session, stackName, ctx, backend, purpose, { create: true, hasSource: desired.hasSource });
    if (!desired.hasSource) await recheckSavedSource(configAfter(config, desired), stackName, ctx, purpose);
    let after: Record<string, ConfigEntry>;
    try {
        after = await applyConfig(session, stack, desired, config);
    } catch (e) {
        throw toCliError(e, purpose, backend);
    }
    requirePlanConfig(after, stackName);
    if (desired.describe && !opts.json) ctx.io.err(`stack "${stackName}": ${desired.describe}`);
    const report = await runOperation(session, stack, "up", { ...(opts.refresh ? { refresh: true } : {}), ...sink(opts, ctx) });
    finishReport(report, ctx, opts);
}

/** `lct preview <stack> --live`: `pulumi preview` of the stack (after applying --plan/--template, if given). */
export async function livePreview(stackName: string, opts: LifecycleOptions & PlanSelection, ctx: CliContext): Promise<void> {
    const purpose = "lct preview --live";
    const { backend } = await prepare(stackName, opts, ctx, purpose);
    const desired = await desiredConfig(opts, ctx, purpose);
    requirePassphrase(backend, opts, ctx, purpose);
    const session = await openSession(backend, opts, ctx, purpose);
    const { stack, config } = await stackForOperation(session, stackName, ctx, backend, purpose, { create: desired.hasSource, hasSource: desired.hasSource });
    if (!desired.hasSource) await recheckSavedSource(configAfter(config, desired), stackName, ctx, purpose);
    let after: Record<string, ConfigEntry>;
    try {
        after = await applyConfig(session, stack, desired, config);
    } catch (e) {
        throw toCliError(e, purpose, backend);
    }
    requirePlanConfig(after, stackName);
    const report = await runOperation(session, stack, "preview", sink(opts, ctx));
    finishReport(report, ctx, { ...opts, planned: true });
}

/** `lct refresh <stack>`. */
export async function refresh(stackName: string, opts: LifecycleOptions, ctx: CliContext): Promise<void> {
    await existingStackOperation(stackName, "refresh", opts, ctx);
}

/** `lct destroy <stack> --yes [--exclude-protected] [--remove]`. */
export async function destroy(stackName: string, opts: LifecycleOptions & { yes?: boolean; excludeProtected?: boolean; remove?: boolean }, ctx: CliContext): Promise<void> {
    const purpose = "lct destroy";
    requirePulumiCli(ctx, purpose);
    requireStackName(stackName);
    if (!opts.yes) {
        throw new CliError(
            `lct destroy deletes every resource of stack "${stackName}" (protected volumes excepted: they stop it). Run again with --yes to go ahead`,
            EXIT_USAGE,
        );
    }
    if (opts.remove && opts.excludeProtected) throw new CliError("--remove needs an empty stack: it cannot go with --exclude-protected", EXIT_USAGE);
    await existingStackOperation(stackName, "destroy", opts, ctx);
}

async function existingStackOperation(
    stackName: string,
    operation: Extract<Operation, "refresh" | "destroy">,
    opts: LifecycleOptions & { excludeProtected?: boolean; remove?: boolean },
    ctx: CliContext,
): Promise<void> {
    const purpose = `lct ${operation}`;
    const { backend } = await prepare(stackName, opts, ctx, purpose);
    requirePassphrase(backend, opts, ctx, purpose);
    const session = await openSession(backend, opts, ctx, purpose);
    const { stack } = await stackForOperation(session, stackName, ctx, backend, purpose, { create: false });
    if (operation === "destroy" && !opts.excludeProtected) await refuseProtected(session, stackName, ctx, backend, purpose);
    const report = await runOperation(session, stack, operation, { ...(opts.excludeProtected ? { excludeProtected: true } : {}), ...sink(opts, ctx) });
    const extra: string[] = [];
    if (report.ok && operation === "destroy" && opts.remove) {
        try {
            await session.removeStack(stackName);
        } catch (e) {
            throw toCliError(e, purpose, backend);
        }
        extra.push(`removed stack "${stackName}"`);
    }
    finishReport(report, ctx, { ...opts, extra });
}

/**
 * pulumi refuses to delete a protected resource only when it reaches it — with `--skip-preview`
 * (which the Automation API passes) other resources may already be gone by then. So LCT looks at
 * the state first and stops before anything is deleted.
 */
export async function refuseProtected(session: PulumiSession, stackName: string, ctx: CliContext, backend: Backend, purpose: string): Promise<void> {
    let urns: string[];
    try {
        urns = await session.protectedResources(stackName);
    } catch (e) {
        throw toCliError(e, purpose, backend);
    }
    if (urns.length === 0) return;
    throw new CliError(protectedMessage(stackName, urns), EXIT_USAGE);
}

export function sink(opts: LifecycleOptions, ctx: CliContext): { onOutputLine?: (line: string) => void } {
    const s = outputSink(opts, ctx);
    return s ? { onOutputLine: s } : {};
}
