/**
 * Large clusters register thousands of resources. Pulumi captures a stack trace for every
 * output promise (four per output property: a linode.Instance has 41), and nothing settles
 * during a synchronous loop, so a plain loop is slow and holds every pending registration in
 * memory. Creating resources in small batches that yield to the event loop lets the engine (or
 * the mock monitor) answer each batch before the next one starts, so a batch's short-lived
 * objects die young instead of being promoted; trimming stack capture while a batch is created
 * keeps each registration cheap. bench/README.md has the measurements behind the defaults.
 */
export interface BatchOptions {
    /** Items created between two yields to the event loop. */
    batchSize: number;
    /** Error.stackTraceLimit while a batch is created (restored after it); undefined leaves it alone. */
    stackTraceLimit?: number;
}

/**
 * Two nodes (with their volumes) per turn of the event loop: at 5,000 nodes, batches of 1–2
 * peaked lowest (about 1.38 GiB against 1.47 GiB for 5 and 1.6 GiB for 10 or 50), at the same
 * speed. Stack traces off while creating: about 2.3× less CPU for the whole build.
 */
export const DEFAULT_BATCH: BatchOptions = { batchSize: 2, stackTraceLimit: 0 };

/**
 * Pulumi keeps the captured stacks only to explain leaked promises when PULUMI_DEBUG_PROMISE_LEAKS
 * is set; a user who asks for that gets them in full, and so does one who sets LCT_FULL_STACKS
 * (errors raised in the trimmed window — say, in an apply callback that runs there — carry no
 * stack frames otherwise). (Resource source positions do not depend
 * on the limit: Pulumi captures those with an unlimited stack.)
 */
function trimmingAllowed(): boolean {
    return !process.env.PULUMI_DEBUG_PROMISE_LEAKS && !process.env.LCT_FULL_STACKS;
}

/** Calls `create` for every item, in batches, yielding to the event loop between them. */
export async function createInBatches<T>(items: readonly T[], create: (item: T, index: number) => void, opts: BatchOptions = DEFAULT_BATCH): Promise<void> {
    const limit = opts.stackTraceLimit !== undefined && trimmingAllowed() ? opts.stackTraceLimit : undefined;
    for (let start = 0; start < items.length; start += opts.batchSize) {
        const saved = Error.stackTraceLimit;
        let continuing = true;
        if (limit !== undefined) {
            Error.stackTraceLimit = limit;
            // A registration goes on in the microtasks its constructor queued (serializing inputs
            // makes more output promises): trimmed as well, from the first of them — queued
            // before the batch's — until the next turn of the event loop. The caller's own
            // synchronous code after this call keeps its limit.
            queueMicrotask(() => {
                if (continuing) Error.stackTraceLimit = limit;
            });
        }
        try {
            const end = Math.min(items.length, start + opts.batchSize);
            for (let i = start; i < end; i++) create(items[i]!, i);
        } catch (e) {
            continuing = false;
            throw e;
        } finally {
            Error.stackTraceLimit = saved;
        }
        await new Promise<void>((resolve) =>
            setImmediate(() => {
                Error.stackTraceLimit = saved;
                resolve();
            }),
        );
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
