/**
 * When to retry a request and how long to wait: pure decisions, no timers.
 *
 * Retryable, as linodego does it (`retries.go`): 429 (honouring `Retry-After`), 408,
 * 400 "Linode busy.", 503 without `X-Maintenance-Mode` (honouring `Retry-After` when sent), and — for requests that are safe to
 * repeat — 500/502/504, timeouts and dropped connections. A non-idempotent POST (e.g. creating
 * a Linode) is not repeated after an answer that may mean "done", since a second try could
 * create a second Linode.
 */
import { isBusyReason } from "./errors";

export interface RetryPolicy {
    /** Total attempts, the first included. */
    maxAttempts: number;
    /** First back-off step; doubles each retry. */
    baseDelayMs: number;
    maxDelayMs: number;
    /** A `Retry-After` longer than this is not waited for: the error is returned instead. */
    maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
    maxAttempts: 6,
    baseDelayMs: 500,
    maxDelayMs: 30_000,
    maxRetryAfterMs: 120_000,
};

export type AttemptOutcome =
    | {
          kind: "response";
          status: number;
          reasons: readonly string[];
          retryAfterMs?: number;
          maintenance?: boolean;
      }
    | { kind: "network" }
    | { kind: "timeout" };

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

/** Whether the outcome is worth another attempt at all (ignoring the attempt budget). */
export function isRetryable(outcome: AttemptOutcome, idempotent: boolean): boolean {
    if (outcome.kind !== "response") return idempotent;
    const s = outcome.status;
    if (s === 429 || s === 408) return true;
    if (s === 400) return isBusyReason(outcome.reasons);
    if (s === 503) return !outcome.maintenance;
    if (s === 500 || s === 502 || s === 504) return idempotent;
    return false;
}

/**
 * Exponential back-off with "equal jitter": half the step is fixed so waits keep growing, half
 * is random so many clients that failed together do not come back together.
 * `attempt` is the number of the attempt that just failed (1 for the first).
 */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
    const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(step / 2 + random() * (step / 2));
}

/**
 * `Retry-After` in milliseconds: delta seconds or an HTTP date. A value in the past means "now".
 * Undefined when absent or unreadable.
 */
export function parseRetryAfterMs(header: string | null | undefined, nowMs: number): number | undefined {
    if (header === null || header === undefined) return undefined;
    const text = header.trim();
    if (text === "") return undefined;
    if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    return Math.max(0, at - nowMs);
}

export function planRetry(
    outcome: AttemptOutcome,
    attempt: number,
    idempotent: boolean,
    policy: RetryPolicy,
    random: () => number,
): RetryDecision {
    if (attempt >= policy.maxAttempts) return { retry: false };
    if (!isRetryable(outcome, idempotent)) return { retry: false };
    // 429 always names its wait; a 503 may (RFC 9110 §10.2.3), and then it is the best guess.
    if (outcome.kind === "response" && (outcome.status === 429 || outcome.status === 503) && outcome.retryAfterMs !== undefined) {
        if (outcome.retryAfterMs > policy.maxRetryAfterMs) return { retry: false };
        // Everyone throttled in the same window hears the same Retry-After; a little spread
        // keeps them from returning as one burst.
        const spread = Math.min(1000, Math.max(50, outcome.retryAfterMs * 0.1));
        return { retry: true, delayMs: outcome.retryAfterMs + Math.round(random() * spread) };
    }
    return { retry: true, delayMs: backoffDelayMs(attempt, policy, random) };
}
