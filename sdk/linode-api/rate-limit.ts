/**
 * Client-side throttling to Linode's limits.
 *
 * A sliding-window log, not a token bucket: a bucket of N refilling at N/W lets up to 2N
 * requests into one of the server's fixed windows, a log never lets more than N into any
 * window of length W. A small margin absorbs the difference between when we send and when the
 * server counts.
 */
import type { RateRule } from "./limits";
import { sleep } from "./sleep";

/**
 * How long until one more request fits the rule, given the send times already charged to it
 * (ascending). 0 when it fits now.
 */
export function slotWaitMs(sent: readonly number[], rule: RateRule, nowMs: number, marginMs: number): number {
    if (rule.limit <= 0) return Number.POSITIVE_INFINITY;
    const horizon = rule.windowMs + marginMs;
    let inWindow = 0;
    for (let i = sent.length - 1; i >= 0 && nowMs - (sent[i] as number) < horizon; i--) inWindow++;
    if (inWindow < rule.limit) return 0;
    // The request `limit` places back must leave the window before another may go.
    const blocking = sent[sent.length - rule.limit] as number;
    return Math.max(1, blocking + horizon - nowMs);
}

/** Drops send times that can no longer affect any decision. */
export function pruneLog(sent: number[], nowMs: number, horizonMs: number): void {
    let drop = 0;
    while (drop < sent.length && nowMs - (sent[drop] as number) >= horizonMs) drop++;
    if (drop > 0) sent.splice(0, drop);
}

export interface RateLimiterStats {
    /** Requests that had to wait for a slot, and the total wait. */
    waited: number;
    waitedMs: number;
}

export interface RateLimiter {
    /** Resolves when the request may go, having charged it to every rule. */
    acquire(rules: readonly RateRule[], signal?: AbortSignal): Promise<number>;
    /** Holds every request until the given time (after a 429 told us to back off). */
    pauseUntil(epochMs: number): void;
    stats(): RateLimiterStats;
}

export function createRateLimiter(opts: { marginMs?: number; now?: () => number } = {}): RateLimiter {
    const marginMs = opts.marginMs ?? 1000;
    const now = opts.now ?? (() => Date.now());
    const logs: Record<string, number[]> = {};
    // One FIFO per most-specific rule: requests for the same endpoint keep their order, and a
    // request waiting on a slow limit (Linode create: 10 per 30 s) does not hold up others.
    const queues: Record<string, Promise<unknown>> = {};
    let pausedUntil = 0;
    const stats: RateLimiterStats = { waited: 0, waitedMs: 0 };

    const waitFor = (rules: readonly RateRule[]): number => {
        const t = now();
        let wait = Math.max(0, pausedUntil - t);
        for (const rule of rules) {
            const log = (logs[rule.key] ??= []);
            pruneLog(log, t, rule.windowMs + marginMs);
            wait = Math.max(wait, slotWaitMs(log, rule, t, marginMs));
        }
        return wait;
    };

    const takeSlot = async (rules: readonly RateRule[], signal?: AbortSignal): Promise<number> => {
        const started = now();
        for (;;) {
            const wait = waitFor(rules);
            if (wait === 0) break;
            if (!Number.isFinite(wait)) throw new Error(`rate limit ${rules.map((r) => r.key).join(", ")} admits no request`);
            await sleep(wait, signal);
        }
        const t = now();
        for (const rule of rules) (logs[rule.key] ??= []).push(t);
        const waited = t - started;
        if (waited > 0) {
            stats.waited++;
            stats.waitedMs += waited;
        }
        return waited;
    };

    return {
        acquire(rules, signal) {
            const queueKey = rules[rules.length - 1]?.key ?? "general";
            const previous = queues[queueKey] ?? Promise.resolve();
            const mine = previous.then(
                () => takeSlot(rules, signal),
                () => takeSlot(rules, signal),
            );
            queues[queueKey] = mine.catch(() => undefined);
            return mine;
        },
        pauseUntil(epochMs) {
            pausedUntil = Math.max(pausedUntil, epochMs);
        },
        stats: () => ({ ...stats }),
    };
}

/**
 * One limiter per API root and token in this process, so every client (one per provider
 * method call, several resources at once) shares the same budget. Kept on `globalThis`
 * because module state does not survive closure serialization.
 */
export function sharedRateLimiter(scope: string, marginMs?: number): RateLimiter {
    const g = globalThis as { __lctRateLimiters?: Record<string, RateLimiter> };
    const registry = (g.__lctRateLimiters ??= {});
    return (registry[scope] ??= createRateLimiter(marginMs === undefined ? {} : { marginMs }));
}

/** A short, non-reversible tag for a token, so limiter scopes never hold the token itself. */
export function tokenFingerprint(token: string | undefined): string {
    if (!token) return "anonymous";
    let h = 0x811c9dc5;
    for (let i = 0; i < token.length; i++) {
        h ^= token.charCodeAt(i);
        h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h.toString(16);
}
