/**
 * `lct up | refresh | destroy <stack>` (and `lct preview <stack> --live`, registered with the
 * offline preview in ./preview): the root stack's lifecycle through the Pulumi Automation API,
 * on a LocalWorkspace over LCT's own Pulumi.yaml. See docs/lifecycle.md.
 */
import type { Command } from "commander";
import type { CliContext } from "../context";
import { CliError, EXIT_USAGE } from "../io";
import type { LifecycleOptions, PlanSelection } from "../../automation/lifecycle";

export type UpOptions = LifecycleOptions & PlanSelection & { refresh?: boolean };

const collect = (v: string, all: string[] = []) => [...all, v];

/** The options every lifecycle command shares. */
export function lifecycleOptions(cmd: Command, json = "print the summary as JSON"): Command {
    return cmd
        .option("--backend <url>", "where Pulumi keeps state (default: PULUMI_BACKEND_URL, else file://~/.lct/state)")
        .option("--secrets-provider <url>", "for a new stack: encrypt its secrets with this provider instead of a passphrase (awskms://…, gcpkms://…, hashivault://…)")
        .option("--quiet", "do not stream pulumi's progress output")
        .option("--json", json);
}

/** --plan / --template / --set / --power: what `up` and `preview --live` put in the stack's config. */
export function planOptions(cmd: Command): Command {
    return cmd
        .option("--plan <file>", "deploy this plan file (stored as lct:plan, by absolute path)")
        .option("--template <name>", "deploy this bundled template (lct:template)")
        .option("--set <name=value>", "a template parameter (repeatable; lct:parameters)", collect)
        .option("--power <state>", "running or stopped (lct:power)");
}

export function register(program: Command, ctx: CliContext): void {
    planOptions(
        lifecycleOptions(
            program
                .command("up")
                .description("deploy a stack through the Pulumi Automation API: create or update its cluster (needs the pulumi CLI)")
                .argument("<stack>", "stack name (created when new)")
                .option("--refresh", "refresh the state from Linode before updating"),
        ),
    ).action(async (stack: string, opts: UpOptions) => {
        const { up } = await import("../../automation/commands.js");
        await up(stack, opts, ctx);
    });

    lifecycleOptions(
        program
            .command("refresh")
            .description("read the stack's resources back from Linode and update its state (needs the pulumi CLI)")
            .argument("<stack>", "stack name"),
    ).action(async (stack: string, opts: LifecycleOptions) => {
        const { refresh } = await import("../../automation/commands.js");
        await refresh(stack, opts, ctx);
    });

    lifecycleOptions(
        program
            .command("destroy")
            .description("delete every resource of a stack (needs --yes; protected volumes stop it — see --exclude-protected)")
            .argument("<stack>", "stack name")
            .option("--yes", "really destroy")
            .option("--exclude-protected", "delete everything except protected resources (volumes keep their data)")
            .option("--remove", "remove the stack itself afterwards (its config and history)"),
    ).action(async (stack: string, opts: LifecycleOptions & { yes?: boolean; excludeProtected?: boolean; remove?: boolean }) => {
        const { destroy } = await import("../../automation/commands.js");
        await destroy(stack, opts, ctx);
    });
}

/**
 * Options of the offline preview that make no sense with --live, and the other way round.
 * --power serves both: lct:power to set on the stack, or to preview with.
 */
export function checkPreviewMode(live: boolean, opts: Record<string, unknown>): void {
    const liveOnly = ["backend", "secretsProvider", "quiet", "plan", "template", "set"].filter((k) => opts[k] !== undefined);
    const offlineOnly = ["diagram", "all", "stack", "catalog", "memberSync", "readiness"].filter((k) => opts[k] !== undefined);
    if (!live && liveOnly.length) throw new CliError(`${liveOnly.map(flag).join(", ")}: only with --live (lct preview <stack> --live …)`, EXIT_USAGE);
    if (live && offlineOnly.length) throw new CliError(`${offlineOnly.map(flag).join(", ")}: only for the offline preview (lct preview <plan>)`, EXIT_USAGE);
}

const flag = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
