import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AttemptOutcome, backoffDelayMs, DEFAULT_RETRY_POLICY, isRetryable, parseRetryAfterMs, planRetry } from "../../sdk/linode-api/retry";

const response = (status: number, reasons: string[] = [], extra: Partial<AttemptOutcome> = {}): AttemptOutcome =>
    ({ kind: "response", status, reasons, ...extra }) as AttemptOutcome;

describe("isRetryable", () => {
    it.each([
        [response(429), false, true],
        [response(408), false, true],
        [response(400, ["Linode busy."]), false, true],
        [response(400, ["label: too short"]), true, false],
        [response(503), false, true],
        [response(503, [], { maintenance: true }), true, false],
        [response(500), true, true],
        [response(500), false, false],
        [response(502), false, false],
        [response(404), true, false],
        [response(401), true, false],
        [{ kind: "network" } as AttemptOutcome, true, true],
        [{ kind: "network" } as AttemptOutcome, false, false],
        [{ kind: "timeout" } as AttemptOutcome, false, false],
    ])("%j idempotent=%s → %s", (outcome, idempotent, expected) => {
        expect(isRetryable(outcome, idempotent)).toBe(expected);
    });
});

describe("backoffDelayMs", () => {
    it("stays within [step/2, step] with step doubling up to the cap", () => {
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 20 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
                const step = Math.min(DEFAULT_RETRY_POLICY.maxDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** (attempt - 1));
                const d = backoffDelayMs(attempt, DEFAULT_RETRY_POLICY, () => r);
                return d >= Math.floor(step / 2) && d <= step;
            }),
        );
    });
    it("grows: the shortest wait of attempt n+1 is at least the longest of attempt n, until the cap", () => {
        for (let a = 1; a < 6; a++) {
            expect(backoffDelayMs(a + 1, DEFAULT_RETRY_POLICY, () => 0)).toBeGreaterThanOrEqual(backoffDelayMs(a, DEFAULT_RETRY_POLICY, () => 0.999));
        }
    });
});

describe("parseRetryAfterMs", () => {
    it("reads seconds and HTTP dates, ignores junk", () => {
        expect(parseRetryAfterMs("2", 0)).toBe(2000);
        expect(parseRetryAfterMs(" 0.5 ", 0)).toBe(500);
        const now = Date.parse("2026-01-01T00:00:00Z");
        expect(parseRetryAfterMs("Thu, 01 Jan 2026 00:00:03 GMT", now)).toBe(3000);
        expect(parseRetryAfterMs("Wed, 31 Dec 2025 23:59:00 GMT", now)).toBe(0);
        expect(parseRetryAfterMs("soon", now)).toBeUndefined();
        expect(parseRetryAfterMs(null, now)).toBeUndefined();
    });
});

describe("planRetry", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 };
    it("stops at the attempt budget", () => {
        expect(planRetry(response(503), 2, true, policy, () => 0.5).retry).toBe(true);
        expect(planRetry(response(503), 3, true, policy, () => 0.5).retry).toBe(false);
    });
    it("waits at least Retry-After on 429, plus a bounded spread", () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 120 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (s, r) => {
                const d = planRetry(response(429, [], { retryAfterMs: s * 1000 }), 1, false, policy, () => r);
                return d.retry && d.delayMs >= s * 1000 && d.delayMs <= s * 1000 + 1000;
            }),
        );
    });
    it("waits Retry-After on 503 when sent, and backs off without it", () => {
        const told = planRetry(response(503, [], { retryAfterMs: 4000 }), 1, true, policy, () => 0);
        expect(told).toEqual({ retry: true, delayMs: 4000 });
        const untold = planRetry(response(503), 1, true, policy, () => 0);
        expect(untold).toEqual({ retry: true, delayMs: policy.baseDelayMs / 2 });
    });
    it("gives up instead of waiting longer than maxRetryAfterMs", () => {
        expect(planRetry(response(429, [], { retryAfterMs: 10 * 60_000 }), 1, true, policy, () => 0).retry).toBe(false);
    });
    it("does not repeat a non-idempotent request after an ambiguous failure", () => {
        expect(planRetry(response(500), 1, false, policy, () => 0).retry).toBe(false);
        expect(planRetry({ kind: "network" }, 1, false, policy, () => 0).retry).toBe(false);
        expect(planRetry(response(400, ["Linode busy."]), 1, false, policy, () => 0).retry).toBe(true);
    });
});
