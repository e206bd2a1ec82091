/**
 * Runs the simulator on its own, without the rest of the CLI:
 *   npx tsx sim/main.ts --port 8080 --boot-ms 500
 * Same options as `lct sim`.
 */
import { Command, CommanderError } from "commander";
import { register } from "../sdk/cli/commands/sim";
import { CliError, processIO } from "../sdk/cli/io";

const program = new Command("lct-sim").exitOverride();
const io = processIO();
register(program, { io, setExitCode: (c) => (process.exitCode = c) });
program.parseAsync(["sim", ...process.argv.slice(2)], { from: "user" }).catch((e: unknown) => {
    // Commander has already printed usage errors and help; --help ends with exit code 0.
    if (e instanceof CommanderError) {
        process.exitCode = e.exitCode === 0 ? 0 : 2;
        return;
    }
    io.err(`error: ${e instanceof CliError ? e.message : String(e)}`);
    process.exitCode = 2;
});
