import { Command, CommanderError } from "commander";
import { CliError, CliIO, EXIT_USAGE, processIO } from "./io";
import type { CliContext } from "./context";
import { registerCommands } from "./commands";
import { packageVersion } from "../plan/package-root";

/** Builds the `lct` program; each command group registers itself (see ./commands). */
export function buildProgram(ctx: CliContext): Command {
    const { io } = ctx;
    const program = new Command("lct")
        .description("Linode Cluster Toolkit: secure Linode clusters from a ClusterPlan")
        .version(packageVersion())
        .showHelpAfterError("(run with --help for usage)")
        .configureOutput({
            writeOut: (s) => io.out(s.replace(/\n$/, "")),
            writeErr: (s) => io.err(s.replace(/\n$/, "")),
        });
    registerCommands(program, ctx);
    // Usage errors surface as CommanderError instead of process.exit, in every subcommand.
    const overrideAll = (cmd: Command): void => {
        cmd.exitOverride();
        cmd.commands.forEach(overrideAll);
    };
    overrideAll(program);
    return program;
}

/** Runs `lct` in-process and returns the exit code (0 fine, 1 invalid input, 2 unusable input). */
export async function runCli(args: string[], io: CliIO): Promise<number> {
    let code = 0;
    const ctx: CliContext = { io, setExitCode: (c) => (code = Math.max(code, c)) };
    const program = buildProgram(ctx);
    try {
        await program.parseAsync(args, { from: "user" });
        return code;
    } catch (e) {
        if (e instanceof CommanderError) {
            // --help and --version end with a CommanderError whose exitCode is 0.
            return e.exitCode === 0 ? 0 : EXIT_USAGE;
        }
        if (e instanceof CliError) {
            io.err(`error: ${e.message}`);
            return e.exitCode;
        }
        // An unexpected failure is a bug in LCT: one line for the user, the stack on request.
        const err = e as Error;
        io.err(`error: ${err?.message ?? String(e)}`);
        if (io.env.LCT_DEBUG) io.err(String(err?.stack ?? ""));
        return EXIT_USAGE;
    }
}

export function main(argv: string[]): void {
    void runCli(argv.slice(2), processIO()).then((code) => {
        process.exitCode = code;
    });
}
