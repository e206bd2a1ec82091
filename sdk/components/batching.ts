/**
 * Large clusters register thousands of resources. Pulumi captures a stack trace for every
 * output promise and nothing settles during a synchronous loop, so a plain loop is slow and
 * holds every pending output in memory. Creating resources in batches that yield to the
 * event loop lets the engine (or the mock monitor) answer as we go, and trimming stack
 * capture while we register keeps each registration cheap. Measured in bench/.
 */
export interface BatchOptions {
    /** Items created between two yields to the event loop. */
    batchSize: number;
    /** Error.stackTraceLimit while creating (restored between batches); undefined leaves it alone. */
    stackTraceLimit?: number;
}

export const DEFAULT_BATCH: BatchOptions = { batchSize: 50, stackTraceLimit: 0 };

/** Calls `create` for every item, in batches, yielding between them. */
export async function createInBatches<T>(items: readonly T[], create: (item: T, index: number) => void, opts: BatchOptions = DEFAULT_BATCH): Promise<void> {
    for (let start = 0; start < items.length; start += opts.batchSize) {
        const saved = Error.stackTraceLimit;
        if (opts.stackTraceLimit !== undefined) Error.stackTraceLimit = opts.stackTraceLimit;
        try {
            const end = Math.min(items.length, start + opts.batchSize);
            for (let i = start; i < end; i++) create(items[i]!, i);
        } finally {
            Error.stackTraceLimit = saved;
        }
        await new Promise<void>((resolve) => setImmediate(resolve));
    }
}

/** Progress of a build, for CLIs that show it (`lct preview` on large plans). */
export type BuildProgressListener = (event: { phase: string; done: number; total: number }) => void;

let progressListener: BuildProgressListener | undefined;

/** Installs a listener for build progress (one at a time); returns a function that removes it. */
export function onBuildProgress(listener: BuildProgressListener): () => void {
    progressListener = listener;
    return () => {
        if (progressListener === listener) progressListener = undefined;
    };
}

export function reportProgress(phase: string, done: number, total: number): void {
    progressListener?.({ phase, done, total });
}
