/**
 * Small concurrency tools of the client. Plain functions (no classes): this code is captured
 * into serialized dynamic providers.
 */
import { abortReason } from "./sleep";

/** One signal that aborts when any of the given ones does. */
export function anySignal(signals: AbortSignal[]): AbortSignal | undefined {
    if (signals.length === 0) return undefined;
    if (signals.length === 1) return signals[0];
    return AbortSignal.any(signals);
}

/** A counting semaphore bounding requests in flight. */
export function createSlots(max: number): { acquire(signal?: AbortSignal): Promise<void>; release(): void } {
    let active = 0;
    const waiting: Array<() => void> = [];
    return {
        acquire(signal) {
            if (active < max) {
                active++;
                return Promise.resolve();
            }
            return new Promise<void>((resolve, reject) => {
                // Declared before `grant` refers to it (the closure serializer needs that order).
                let onAbort: () => void = () => undefined;
                const grant = (): void => {
                    signal?.removeEventListener("abort", onAbort);
                    active++;
                    resolve();
                };
                onAbort = (): void => {
                    const i = waiting.indexOf(grant);
                    if (i >= 0) waiting.splice(i, 1);
                    reject(abortReason(signal as AbortSignal));
                };
                waiting.push(grant);
                signal?.addEventListener("abort", onAbort, { once: true });
            });
        },
        release() {
            active--;
            const next = waiting.shift();
            if (next) next();
        },
    };
}
