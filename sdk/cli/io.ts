/** What a command may touch: its output streams, environment and working directory. */
export interface CliIO {
    out(text: string): void;
    err(text: string): void;
    env: NodeJS.ProcessEnv;
    cwd: string;
    /** Reads all of standard input (for `-` file arguments). */
    readStdin(): Promise<string>;
    /**
     * Reads standard input as bytes, so that its encoding can be checked; stops once it has more
     * than `maxBytes` (the caller rejects that much anyway).
     */
    readStdinBytes(maxBytes: number): Promise<Uint8Array>;
    /** Standard error is a terminal (progress bars instead of progress lines). */
    errIsTTY?: boolean;
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

/** A reader that closed the pipe (`lct catalog types | head`) ends the output, not with a stack trace. */
let pipeGuard = false;
function guardClosedPipes(): void {
    if (pipeGuard) return;
    pipeGuard = true;
    for (const stream of [process.stdout, process.stderr]) {
        // Nothing more can be written: end with the code so far (2 when the stream broke otherwise).
        stream.on("error", (e: NodeJS.ErrnoException) => process.exit(e.code === "EPIPE" ? (process.exitCode ?? 0) : EXIT_USAGE));
    }
}

export function processIO(): CliIO {
    guardClosedPipes();
    return {
        out: (t) => process.stdout.write(t.endsWith("\n") ? t : t + "\n"),
        err: (t) => process.stderr.write(t.endsWith("\n") ? t : t + "\n"),
        env: process.env,
        cwd: process.cwd(),
        errIsTTY: process.stderr.isTTY === true,
        readStdin: async () => {
            const chunks: Buffer[] = [];
            for await (const c of process.stdin) chunks.push(c as Buffer);
            return Buffer.concat(chunks).toString("utf8");
        },
        readStdinBytes: async (maxBytes) => {
            const chunks: Buffer[] = [];
            let size = 0;
            for await (const c of process.stdin) {
                chunks.push(c as Buffer);
                size += (c as Buffer).length;
                if (size > maxBytes) break;
            }
            return Buffer.concat(chunks);
        },
    };
}

/** Captures output in memory, for tests. */
export function memoryIO(opts: { env?: NodeJS.ProcessEnv; cwd?: string; stdin?: string | Uint8Array } = {}): CliIO & {
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
        readStdin: async () => (typeof opts.stdin === "string" ? opts.stdin : Buffer.from(opts.stdin ?? []).toString("utf8")),
        readStdinBytes: async () => (typeof opts.stdin === "string" ? Buffer.from(opts.stdin, "utf8") : (opts.stdin ?? new Uint8Array())),
        stdout: () => out,
        stderr: () => err,
    };
}
