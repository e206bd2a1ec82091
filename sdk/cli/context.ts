import type { CliIO } from "./io";

/** Handed to every command: its IO and a way to set the exit code without throwing. */
export interface CliContext {
    io: CliIO;
    /** Sets the exit code of this run (the highest code set wins). */
    setExitCode(code: number): void;
}
