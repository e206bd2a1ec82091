/** What a command may touch: its output streams, environment and working directory. */
export interface CliIO {
    out(text: string): void;
    err(text: string): void;
    env: NodeJS.ProcessEnv;
    cwd: string;
    /** Reads all of standard input (for `-` file arguments). */
    readStdin(): Promise<string>;
}

export const EXIT_OK = 0;
/** The plan (or other input) was read but is invalid. */
export const EXIT_INVALID = 1;
/** Unusable input, usage error, or an operation that could not run. */
export const EXIT_USAGE = 2;

/** An expected failure: printed as one clear message, never as a stack trace. */
export class CliError extends Error {
    constructor(
        message: string,
        public readonly exitCode: number = EXIT_USAGE,
    ) {
        super(message);
        this.name = "CliError";
    }
}

export function processIO(): CliIO {
    return {
        out: (t) => process.stdout.write(t.endsWith("\n") ? t : t + "\n"),
        err: (t) => process.stderr.write(t.endsWith("\n") ? t : t + "\n"),
        env: process.env,
        cwd: process.cwd(),
        readStdin: async () => {
            const chunks: Buffer[] = [];
            for await (const c of process.stdin) chunks.push(c as Buffer);
            return Buffer.concat(chunks).toString("utf8");
        },
    };
}

/** Captures output in memory, for tests. */
export function memoryIO(opts: { env?: NodeJS.ProcessEnv; cwd?: string; stdin?: string } = {}): CliIO & {
    stdout: () => string;
    stderr: () => string;
} {
    let out = "";
    let err = "";
    return {
        out: (t) => (out += t.endsWith("\n") ? t : t + "\n"),
        err: (t) => (err += t.endsWith("\n") ? t : t + "\n"),
        env: opts.env ?? {},
        cwd: opts.cwd ?? process.cwd(),
        readStdin: async () => opts.stdin ?? "",
        stdout: () => out,
        stderr: () => err,
    };
}
