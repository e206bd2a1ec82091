/** A timer that a cancellation signal can cut short (rejecting with the signal's reason). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
            reject(abortReason(signal));
            return;
        }
        // Declared before the closures that use it: Pulumi's closure serializer cannot follow
        // a reference to a variable declared later in the scope.
        let timer: ReturnType<typeof setTimeout> | undefined = undefined;
        const onAbort = (): void => {
            clearTimeout(timer);
            reject(abortReason(signal as AbortSignal));
        };
        timer = setTimeout(() => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
        }, Math.max(0, ms));
        signal?.addEventListener("abort", onAbort, { once: true });
    });
}

export function abortReason(signal: AbortSignal): Error {
    const r: unknown = signal.reason;
    if (r instanceof Error) return r;
    const e = new Error(typeof r === "string" ? r : "operation cancelled");
    e.name = "AbortError";
    return e;
}
