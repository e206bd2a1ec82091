/**
 * A small wrapper over the Pulumi Automation API's LocalWorkspace for LCT commands (`lct
 * inventory --stack`, later `lct up`/`destroy`): find the CLI on the caller's PATH (with a
 * clear message when it is missing), select a stack of a project folder, and hand back the
 * few operations LCT uses. `@pulumi/pulumi/automation` is loaded only when a stack is opened.
 */
import * as path from "node:path";
import { findPulumiCli, PulumiCliMissingError } from "./pulumi-cli";

export interface StackWorkspaceOptions {
    /** The Pulumi project folder (holding Pulumi.yaml). */
    workDir: string;
    /** Environment of the `pulumi` processes (PATH is searched for the CLI). Default process.env. */
    env?: NodeJS.ProcessEnv;
    /** What is being attempted, for the missing-CLI message. */
    purpose?: string;
}

/** The operations LCT needs from a selected stack; tests and other commands may implement it. */
export interface LctStack {
    readonly name: string;
    readonly workDir: string;
    /** `pulumi stack export --show-secrets`: the deployment JSON (secrets in plaintext — never print it). */
    exportStack(): Promise<unknown>;
    /** The stack's outputs: `{ name: { value, secret } }`. */
    outputs(): Promise<Record<string, { value: unknown; secret: boolean }>>;
    /** The Automation API stack itself, for operations not wrapped here (up, destroy …). */
    readonly automation: import("@pulumi/pulumi/automation").Stack;
}

export class StackNotFoundError extends Error {
    constructor(stackName: string, workDir: string, detail: string) {
        super(`no stack named "${stackName}" in the Pulumi project at ${workDir}${detail ? `: ${detail}` : ""}`);
        this.name = "StackNotFoundError";
    }
}

/** Only the `pulumi` children get the caller's environment; values must be strings. */
function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
    return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** Selects an existing stack through the Automation API. Throws PulumiCliMissingError without a CLI. */
export async function selectStack(stackName: string, opts: StackWorkspaceOptions): Promise<LctStack> {
    const env = opts.env ?? process.env;
    const cli = findPulumiCli(env);
    if (!cli) throw new PulumiCliMissingError(opts.purpose ?? `opening stack "${stackName}"`);
    const auto = require("@pulumi/pulumi/automation") as typeof import("@pulumi/pulumi/automation");
    // The Automation API finds `pulumi` on this process's PATH unless given an installation
    // root (<root>/bin/pulumi); point it at the one found on the caller's PATH.
    const binDir = path.dirname(cli);
    const pulumiCommand = await auto.PulumiCommand.get(path.basename(binDir) === "bin" ? { root: path.dirname(binDir) } : {});
    const workDir = path.resolve(opts.workDir);
    let stack: import("@pulumi/pulumi/automation").Stack;
    try {
        stack = await auto.LocalWorkspace.selectStack({ stackName, workDir }, { pulumiCommand, envVars: stringEnv(env) });
    } catch (e) {
        if (e instanceof auto.StackNotFoundError) throw new StackNotFoundError(stackName, workDir, firstLine((e as Error).message));
        throw new Error(`pulumi could not select stack "${stackName}" in ${workDir}: ${commandErrorText(e)}`);
    }
    return {
        name: stackName,
        workDir,
        automation: stack,
        exportStack: async () => {
            try {
                return (await stack.exportStack()) as unknown;
            } catch (e) {
                throw new Error(`pulumi stack export failed for "${stackName}": ${commandErrorText(e)}`);
            }
        },
        outputs: async () => {
            const out = await stack.outputs();
            return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, { value: v.value as unknown, secret: v.secret }]));
        },
    };
}

function firstLine(s: string): string {
    const stderr = /stderr: (.*)/.exec(s);
    return (stderr?.[1] ?? s).split("\n")[0]!.trim();
}

/** The useful part of an Automation API CommandError (its stderr), on one line. */
export function commandErrorText(e: unknown): string {
    const msg = e instanceof Error ? e.message : String(e);
    const stderr = /stderr:\s*([\s\S]*?)(?:\n\s*err\?:|$)/.exec(msg)?.[1]?.trim();
    return (stderr || msg).split("\n").filter((l) => l.trim() !== "").slice(0, 3).join(" | ");
}
