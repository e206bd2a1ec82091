/**
 * A Pulumi Automation API session for LCT's lifecycle commands: a LocalWorkspace on LCT's
 * per-user project folder (~/.lct/project, see ./project: the root stack program
 * stacks/index.ts, with the stacks' settings kept out of the package), the backend LCT chose,
 * and the few operations the commands need.
 *
 * Everything goes through `@pulumi/pulumi/automation` (loaded here, lazily — the commands import
 * this module with `await import()`), except two things the Automation API cannot do safely:
 *
 * - setting a *secret* config value: `Stack.setConfig` puts the value on the `pulumi` command
 *   line (`config set <key> --secret -- <value>`), where other users see it in the process list.
 *   LCT runs the same CLI with the value on standard input instead
 *   (`pulumi config set <key> --secret --stack <s> --non-interactive`, which reads stdin);
 * - listing config without decrypting it: `getAllConfig` always passes `--show-secrets`. LCT runs
 *   `pulumi config --json --stack <s>`, where secret values are left out by pulumi itself.
 *
 * Both use the CLI the Automation API found, in the same folder, with the same environment.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import type * as Auto from "@pulumi/pulumi/automation";
import type { Backend } from "./backend";
import { ensureLctProject } from "./project";
import { findPulumiCli, PulumiCliMissingError } from "./pulumi-cli";
import { Redactor, redactor, secretsFromEnv } from "./redact";

export interface SessionOptions {
    /** The caller's environment: PATH is searched for `pulumi`; the `pulumi` processes get it. */
    env: NodeJS.ProcessEnv;
    /** The caller's working directory (relative paths in the environment are resolved from it). */
    cwd: string;
    backend: Backend;
    /** `--secrets-provider` for stacks this session creates. */
    secretsProvider?: string;
    /** The Pulumi project folder; default: LCT's own, ~/.lct/project (created or updated here). */
    workDir?: string;
    /** What is being attempted, for the missing-CLI message. */
    purpose: string;
}

/** A failure of a `pulumi` run, with its (redacted) standard error. */
export class PulumiRunError extends Error {
    constructor(
        message: string,
        public readonly stderr: string,
        public readonly exitCode: number,
    ) {
        super(message);
        this.name = "PulumiRunError";
    }
}

export class StackMissingError extends Error {
    constructor(
        public readonly stackName: string,
        backendUrl: string,
    ) {
        super(`no stack named "${stackName}" in ${backendUrl}`);
        this.name = "StackMissingError";
    }
}

/** One config entry as `pulumi config --json` lists it (secret values are absent). */
export interface ConfigEntry {
    secret: boolean;
    value?: string;
    objectValue?: unknown;
}

export { packageRoot } from "./project";

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
    return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === "string"));
}

export class PulumiSession {
    private constructor(
        readonly auto: typeof Auto,
        readonly workspace: Auto.LocalWorkspace,
        readonly workDir: string,
        readonly backend: Backend,
        /** Environment of every `pulumi` process (never logged). */
        private readonly envVars: Record<string, string>,
        readonly redact: Redactor,
        readonly cliVersion: string,
    ) {}

    /** Finds the CLI (PulumiCliMissingError without one) and opens the workspace. */
    static async open(opts: SessionOptions): Promise<PulumiSession> {
        const cli = findPulumiCli(opts.env);
        if (!cli) throw new PulumiCliMissingError(opts.purpose);
        // A plain require of the package's CommonJS (no ESM interop question; loaded only here).
        const auto = require("@pulumi/pulumi/automation") as typeof Auto;
        // Only once pulumi is known to be there: without it, nothing is created.
        const workDir = opts.workDir !== undefined ? path.resolve(opts.workDir) : ensureLctProject(opts.env);
        const envVars = stringEnv(opts.env);
        envVars.PULUMI_BACKEND_URL = opts.backend.url;
        envVars.PULUMI_SKIP_UPDATE_CHECK ??= "true";
        // pulumi runs in the project folder: a relative passphrase file must not change meaning.
        if (envVars.PULUMI_CONFIG_PASSPHRASE_FILE) envVars.PULUMI_CONFIG_PASSPHRASE_FILE = path.resolve(opts.cwd, envVars.PULUMI_CONFIG_PASSPHRASE_FILE);
        // The Automation API runs `pulumi` from this process's PATH unless given an installation
        // root (<root>/bin/pulumi): point it at the one found on the caller's PATH.
        const binDir = path.dirname(cli);
        let pulumiCommand: Auto.PulumiCommand;
        try {
            pulumiCommand = await auto.PulumiCommand.get(path.basename(binDir) === "bin" ? { root: path.dirname(binDir) } : {});
        } catch (e) {
            throw new PulumiRunError(`\`pulumi version\` failed: ${commandErrorText(e)}`, commandErrorText(e), -1);
        }
        const workspace = await auto.LocalWorkspace.create({
            workDir,
            pulumiCommand,
            envVars,
            ...(opts.secretsProvider ? { secretsProvider: opts.secretsProvider } : {}),
        });
        const redact = redactor(secretsFromEnv(opts.env));
        return new PulumiSession(auto, workspace, workDir, opts.backend, envVars, redact, pulumiCommand.version?.toString() ?? "unknown");
    }

    /** `pulumi whoami --json`: who is logged in to the backend (fails when login is needed). */
    async whoAmI(): Promise<{ user: string; url?: string }> {
        try {
            return await this.workspace.whoAmI();
        } catch (e) {
            throw new PulumiRunError(`pulumi cannot use the backend ${this.backend.url}: ${this.errorText(e)}`, this.errorText(e), exitCodeOf(e));
        }
    }

    /** `pulumi stack select --stack <s>`; StackMissingError when there is none. */
    async selectStack(name: string): Promise<Auto.Stack> {
        try {
            return await this.auto.Stack.select(name, this.workspace);
        } catch (e) {
            if (e instanceof this.auto.StackNotFoundError) throw new StackMissingError(name, this.backend.url);
            throw new PulumiRunError(`pulumi could not select stack "${name}": ${this.errorText(e)}`, this.errorText(e), exitCodeOf(e));
        }
    }

    /** Selects the stack, or creates it (`pulumi stack init <s> [--secrets-provider …]`). */
    async createOrSelectStack(name: string): Promise<{ stack: Auto.Stack; created: boolean }> {
        try {
            return { stack: await this.selectStack(name), created: false };
        } catch (e) {
            if (!(e instanceof StackMissingError)) throw e;
        }
        return { stack: await this.createStack(name), created: true };
    }

    /** `pulumi stack init <s> [--secrets-provider …]`. */
    async createStack(name: string): Promise<Auto.Stack> {
        try {
            return await this.auto.Stack.create(name, this.workspace);
        } catch (e) {
            throw new PulumiRunError(`pulumi could not create stack "${name}": ${this.errorText(e)}`, this.errorText(e), exitCodeOf(e));
        }
    }

    /** `pulumi stack rm --yes <s>`: the stack and its config (it must hold no resources). */
    async removeStack(name: string): Promise<void> {
        try {
            await this.workspace.removeStack(name);
        } catch (e) {
            throw new PulumiRunError(`pulumi could not remove stack "${name}": ${this.errorText(e)}`, this.errorText(e), exitCodeOf(e));
        }
    }

    /** The stack's config as `pulumi config --json` lists it: secret values are never read. */
    async config(stackName: string): Promise<Record<string, ConfigEntry>> {
        const r = await this.runCli(["config", "--json", "--stack", stackName]);
        try {
            return JSON.parse(r.stdout || "{}") as Record<string, ConfigEntry>;
        } catch {
            throw new PulumiRunError(`\`pulumi config --json\` printed something that is not JSON`, "", 0);
        }
    }

    /**
     * URNs of the stack's protected resources, from `pulumi stack export --stack <s>` — without
     * `--show-secrets` (the Automation API's exportStack always decrypts): secrets stay ciphertext.
     */
    async protectedResources(stackName: string): Promise<string[]> {
        const doc = (await this.exportDeployment(stackName)) as { deployment?: { resources?: Array<{ urn?: string; protect?: boolean; delete?: boolean }> } };
        return (doc.deployment?.resources ?? []).filter((x) => x.protect === true && x.delete !== true && typeof x.urn === "string").map((x) => x.urn!);
    }

    /**
     * `pulumi stack export --stack <s>`, parsed. Unlike the Automation API's exportStack it does
     * not pass `--show-secrets`: secret values stay ciphertext.
     */
    async exportDeployment(stackName: string): Promise<unknown> {
        const r = await this.runCli(["stack", "export", "--stack", stackName]);
        try {
            return JSON.parse(r.stdout) as unknown;
        } catch {
            throw new PulumiRunError("`pulumi stack export` printed something that is not JSON", "", 0);
        }
    }

    /** Plain config values (they appear on the `pulumi` command line: never use this for secrets). */
    async setPlainConfig(stack: Auto.Stack, values: Record<string, string>): Promise<void> {
        if (Object.keys(values).length === 0) return;
        try {
            await stack.setAllConfig(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v, secret: false }])));
        } catch (e) {
            throw new PulumiRunError(`pulumi could not set ${Object.keys(values).join(", ")}: ${this.errorText(e)}`, this.errorText(e), exitCodeOf(e));
        }
    }

    async removeConfig(stack: Auto.Stack, keys: string[]): Promise<void> {
        if (keys.length === 0) return;
        try {
            await stack.removeAllConfig(keys);
        } catch (e) {
            throw new PulumiRunError(`pulumi could not remove ${keys.join(", ")}: ${this.errorText(e)}`, this.errorText(e), exitCodeOf(e));
        }
    }

    /**
     * A secret config value, given to `pulumi config set <key> --secret` on standard input: it
     * is never on a command line, in a file LCT writes, or in any output.
     */
    async setSecretConfig(stackName: string, key: string, value: string): Promise<void> {
        const redact = redactor([value]);
        try {
            await this.runCli(["config", "set", key, "--secret", "--stack", stackName], { stdin: value, redact });
        } catch (e) {
            if (e instanceof PulumiRunError) throw new PulumiRunError(`pulumi could not set ${key}: ${redact(e.stderr)}`, redact(e.stderr), e.exitCode);
            throw e;
        }
    }

    /** The useful, redacted part of an Automation API CommandError. */
    errorText(e: unknown): string {
        return this.redact(commandErrorText(e));
    }

    /**
     * Runs the CLI the Automation API found, as it would (same folder, environment and
     * `--non-interactive`), with an optional standard input.
     */
    private runCli(args: string[], opts: { stdin?: string; redact?: Redactor } = {}): Promise<{ stdout: string; stderr: string }> {
        const command = this.workspace.pulumiCommand.command;
        const env: Record<string, string> = { ...stringEnv(process.env), ...this.envVars };
        if (path.isAbsolute(command)) env.PATH = `${path.dirname(command)}${path.delimiter}${env.PATH ?? ""}`;
        const redact = (t: string) => (opts.redact ?? ((x: string) => x))(this.redact(t));
        return new Promise((resolve, reject) => {
            const child = spawn(command, [...args, "--non-interactive"], { cwd: this.workDir, env, stdio: ["pipe", "pipe", "pipe"] });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
            child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
            child.on("error", (e) => reject(new PulumiRunError(`cannot run ${command}: ${e.message}`, "", -2)));
            child.on("close", (code) => {
                if (code === 0) resolve({ stdout, stderr });
                else {
                    const text = redact(stderr.trim() || stdout.trim());
                    reject(new PulumiRunError(`\`pulumi ${args.slice(0, 2).join(" ")}\` failed (exit ${code}): ${firstLines(text)}`, text, code ?? -1));
                }
            });
            // A closed pipe (pulumi exited early) must not crash LCT; the exit code tells.
            child.stdin.on("error", () => undefined);
            child.stdin.end(opts.stdin ?? "");
        });
    }
}

function firstLines(text: string, n = 3): string {
    return text
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l !== "")
        .slice(0, n)
        .join(" | ");
}

function exitCodeOf(e: unknown): number {
    return pulumiExitCode(e) ?? -1;
}

/**
 * pulumi's exit code from an Automation API CommandError. Its `code` is -2 for every failed
 * run — the Automation API rethrows execa's rejection as an "unknown" error — so the code is
 * read from that rejection (`err.exitCode`) when it is there.
 */
export function pulumiExitCode(e: unknown): number | undefined {
    const r = (e as { commandResult?: { code?: unknown; err?: { exitCode?: unknown } } } | undefined)?.commandResult;
    if (typeof r?.err?.exitCode === "number") return r.err.exitCode;
    return typeof r?.code === "number" ? r.code : undefined;
}

/** The useful part of an Automation API CommandError (its stderr, else its stdout), on a few lines. */
export function commandErrorText(e: unknown): string {
    const r = (e as { commandResult?: { stdout?: string; stderr?: string } } | undefined)?.commandResult;
    if (r && (r.stderr?.trim() || r.stdout?.trim())) {
        const text = r.stderr?.trim() || r.stdout!.trim();
        return firstLines(text.replace(/^Command failed with [^\n]*\n?/, ""), 4) || text.split("\n")[0]!;
    }
    const msg = e instanceof Error ? e.message : String(e);
    const stderr = /stderr:\s*([\s\S]*?)(?:\n\s*err\?:|$)/.exec(msg)?.[1]?.trim();
    return firstLines(stderr || msg);
}
