/**
 * Client-side throttling to Linode's limits.
 *
 * A sliding-window log, not a token bucket: a bucket of N refilling at N/W lets up to 2N
 * requests into one of the server's fixed windows, a log never lets more than N into any
 * window of length W.
 *
 * The server counts a request when it arrives, somewhere between our send and its answer; on a
 * loaded machine or network that can be long after we charged the slot. So a slot counts as
 * "now" while its request is in flight, and as the time of its answer once settled: the next
 * request in that window then goes only after the server has certainly counted the last one.
 * A small margin absorbs clock granularity.
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

interface LogEntry {
    /** When the request was charged, or when its answer came once settled. */
    at: number;
    open: boolean;
}

export interface RateLimiterStats {
    /** Requests that had to wait for a slot, and the total wait. */
    waited: number;
    waitedMs: number;
}

/** A request's place in the limiter's windows. */
export interface RateSlot {
    /** How long the request waited for its place. */
    waitedMs: number;
    /** Call once the answer (or failure) is in, always: until then the slot counts as now. */
    settle(): void;
}

export interface RateLimiter {
    /** Resolves when the request may go, having charged it to every rule. */
    acquire(rules: readonly RateRule[], signal?: AbortSignal): Promise<RateSlot>;
    /** Holds every request until the given time (after a 429 told us to back off). */
    pauseUntil(epochMs: number): void;
    stats(): RateLimiterStats;
}

export function createRateLimiter(opts: { marginMs?: number; now?: () => number } = {}): RateLimiter {
    const marginMs = opts.marginMs ?? 1000;
    const now = opts.now ?? (() => Date.now());
    // Entries are shared between the logs of every rule a request counts against.
    const logs: Record<string, LogEntry[]> = {};
    // One FIFO per most-specific rule: requests for the same endpoint keep their order, and a
    // request waiting on a slow limit (Linode create: 10 per 30 s) does not hold up others.
    const queues: Record<string, Promise<unknown>> = {};
    let pausedUntil = 0;
    const stats: RateLimiterStats = { waited: 0, waitedMs: 0 };

    const waitFor = (rules: readonly RateRule[]): number => {
        const t = now();
        let wait = Math.max(0, pausedUntil - t);
        for (const rule of rules) {
            const horizon = rule.windowMs + marginMs;
            const log = (logs[rule.key] = (logs[rule.key] ?? []).filter((e) => e.open || t - e.at < horizon));
            const times = log.map((e) => (e.open ? t : e.at)).sort((a, b) => a - b);
            wait = Math.max(wait, slotWaitMs(times, rule, t, marginMs));
        }
        return wait;
    };

    const takeSlot = async (rules: readonly RateRule[], signal?: AbortSignal): Promise<RateSlot> => {
        const started = now();
        for (;;) {
            const wait = waitFor(rules);
            if (wait === 0) break;
            if (!Number.isFinite(wait)) throw new Error(`rate limit ${rules.map((r) => r.key).join(", ")} admits no request`);
            await sleep(wait, signal);
        }
        const t = now();
        const entry: LogEntry = { at: t, open: true };
        for (const rule of rules) (logs[rule.key] ??= []).push(entry);
        const waited = t - started;
        if (waited > 0) {
            stats.waited++;
            stats.waitedMs += waited;
        }
        return {
            waitedMs: waited,
            settle: () => {
                if (!entry.open) return;
                entry.open = false;
                entry.at = now();
            },
        };
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
