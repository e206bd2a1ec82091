import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DOCUMENTED_RATE_LIMITS, endpointTemplate, type RateRule, rateRulesFor, scaleRateLimits } from "../../sdk/linode-api/limits";
import { createRateLimiter, pruneLog, slotWaitMs } from "../../sdk/linode-api/rate-limit";

/** Grants requests FIFO the way the limiter does, on a virtual clock. */
function grantTimes(arrivals: number[], rule: RateRule, marginMs: number): number[] {
    const log: number[] = [];
    const grants: number[] = [];
    let t = 0;
    for (const a of [...arrivals].sort((x, y) => x - y)) {
        t = Math.max(t, a);
        for (;;) {
            pruneLog(log, t, rule.windowMs + marginMs);
            const wait = slotWaitMs(log, rule, t, marginMs);
            if (wait === 0) break;
            t += wait;
        }
        log.push(t);
        grants.push(t);
    }
    return grants;
}

function maxInAnyWindow(times: number[], windowMs: number): number {
    let best = 0;
    for (const start of times) best = Math.max(best, times.filter((x) => x >= start && x < start + windowMs).length);
    return best;
}

describe("sliding-window limiter (pure)", () => {
    it("never lets more than `limit` requests into any window, whatever the arrivals", () => {
        fc.assert(
            fc.property(
                fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 80 }),
                fc.integer({ min: 1, max: 12 }),
                fc.integer({ min: 10, max: 1000 }),
                (arrivals, limit, windowMs) => {
                    const grants = grantTimes(arrivals, { key: "k", limit, windowMs }, 0);
                    return grants.length === arrivals.length && maxInAnyWindow(grants, windowMs) <= limit;
                },
            ),
        );
    });
    it("does not delay a burst that fits the limit", () => {
        expect(grantTimes([0, 0, 0], { key: "k", limit: 3, windowMs: 1000 }, 0)).toEqual([0, 0, 0]);
        expect(grantTimes([0, 0, 0, 0], { key: "k", limit: 3, windowMs: 1000 }, 0)).toEqual([0, 0, 0, 1000]);
    });
    it("adds the margin to every window", () => {
        expect(grantTimes([0, 0], { key: "k", limit: 1, windowMs: 100 }, 20)).toEqual([0, 120]);
    });
});

describe("which limits a request counts against", () => {
    it("maps documented dedicated limits and the general one", () => {
        const L = DOCUMENTED_RATE_LIMITS;
        const keys = (m: string, p: string, c = false) => rateRulesFor(m, p, c, L).map((r) => `${r.key} ${r.limit}/${r.windowMs}`);
        expect(keys("POST", "/linode/instances")).toEqual(["general 800/120000", "POST /linode/instances 10/30000"]);
        expect(keys("POST", "/volumes")).toEqual(["general 800/120000", "POST /volumes 25/60000"]);
        expect(keys("GET", "/images", true)).toEqual(["general 800/120000", "GET /images 20/60000"]);
        expect(keys("GET", "/linode/instances/42/stats")[1]).toBe("stats GET /linode/instances/{id}/stats 50/60000");
        expect(keys("GET", "/linode/instances", true)[1]).toBe("collection GET /linode/instances 200/60000");
        expect(keys("POST", "/linode/instances/42/boot")[1]).toBe("command POST /linode/instances/{id}/boot 400/60000");
    });
    it("treats ids and addresses as one endpoint", () => {
        expect(endpointTemplate("/linode/instances/123/ips/192.0.2.1?x=1")).toBe("/linode/instances/{id}/ips/{id}");
        expect(endpointTemplate("/linode/types/g6-nanode-1")).toBe("/linode/types/g6-nanode-1");
    });
    it("scales windows, not counts", () => {
        expect(scaleRateLimits(DOCUMENTED_RATE_LIMITS, 0.01).createLinode).toEqual({ limit: 10, windowMs: 300 });
    });
});

describe("createRateLimiter (real time)", () => {
    it("spreads a burst over windows and keeps each window within the limit", async () => {
        const limiter = createRateLimiter({ marginMs: 0 });
        const rule: RateRule = { key: "burst", limit: 3, windowMs: 150 };
        const started = Date.now();
        const times = await Promise.all(
            Array.from({ length: 9 }, () =>
                limiter.acquire([rule]).then((slot) => {
                    slot.settle();
                    return Date.now();
                }),
            ),
        );
        expect(Date.now() - started).toBeGreaterThanOrEqual(300);
        // Observed after promise resolution, a few ms after the limiter stamped them.
        expect(maxInAnyWindow(times, 140)).toBeLessThanOrEqual(3);
        // At least the first request of each later window had to wait.
        expect(limiter.stats().waited).toBeGreaterThanOrEqual(2);
    });
    it("does not hold other endpoints behind a slow one", async () => {
        const limiter = createRateLimiter({ marginMs: 0 });
        const slow: RateRule = { key: "slow", limit: 1, windowMs: 10_000 };
        (await limiter.acquire([slow])).settle();
        const blocked = new AbortController();
        const second = limiter.acquire([slow], blocked.signal).catch((e: Error) => e.name);
        const t0 = Date.now();
        await limiter.acquire([{ key: "fast", limit: 100, windowMs: 1000 }]);
        expect(Date.now() - t0).toBeLessThan(100);
        blocked.abort();
        expect(await second).toBe("AbortError");
    });
    it("counts a request in flight as now: the window restarts from its answer", async () => {
        const limiter = createRateLimiter({ marginMs: 0 });
        const rule: RateRule = { key: "late", limit: 1, windowMs: 100 };
        const first = await limiter.acquire([rule]);
        let grantedAt = 0;
        const second = limiter.acquire([rule]).then((slot) => {
            grantedAt = Date.now();
            slot.settle();
        });
        // The first answer is slow: the server may count it as late as its answer.
        await new Promise((r) => setTimeout(r, 180));
        expect(grantedAt).toBe(0);
        const answeredAt = Date.now();
        first.settle();
        await second;
        expect(grantedAt - answeredAt).toBeGreaterThanOrEqual(95);
    });
    it("holds everything after pauseUntil", async () => {
        const limiter = createRateLimiter({ marginMs: 0 });
        limiter.pauseUntil(Date.now() + 150);
        const t0 = Date.now();
        await limiter.acquire([{ key: "x", limit: 100, windowMs: 1000 }]);
        expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    });
});
