/** The simulator enforces Linode's documented limits per token, with the API's headers. */
import { describe, expect, it } from "vitest";
import { startSimulator } from "../../sim";
import { rawApi } from "./http";

describe("simulated rate limits", () => {
    it("refuses the 11th create in a window with 429, Retry-After and X-RateLimit-*; other tokens are unaffected", async () => {
        // Linode's own limits (create: 10 per 30 s) on a clock that moves only when told to.
        let now = Date.UTC(2026, 0, 1);
        const sim = await startSimulator({ clock: () => now });
        try {
            const api = rawApi(sim.url, "token-a");
            const body = (i: number) => ({ region: "us-ord", type: "g6-nanode-1", label: `lim-${i}` });
            const answers = [];
            for (let i = 0; i < 11; i++) answers.push(await api("POST", "/linode/instances", body(i)));
            expect(answers.slice(0, 10).every((a) => a.status === 200)).toBe(true);
            expect(answers[0]!.headers.get("x-ratelimit-limit")).toBe("10");
            expect(answers[9]!.headers.get("x-ratelimit-remaining")).toBe("0");
            const refused = answers[10]!;
            expect([refused.status, refused.body]).toEqual([429, { errors: [{ reason: "Too many requests" }] }]);
            expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
            expect(Number(refused.headers.get("x-ratelimit-reset"))).toBeGreaterThanOrEqual(Math.floor(now / 1000));
            expect((await rawApi(sim.url, "token-b")("POST", "/linode/instances", body(50))).status).toBe(200);
            now += 29_000;
            expect((await api("POST", "/linode/instances", body(12))).status).toBe(429);
            now += 1_001;
            expect((await api("POST", "/linode/instances", body(11))).status).toBe(200);
            expect(sim.stats().rateLimited).toBe(2);
        } finally {
            await sim.close();
        }
    });

    it("injects 429s with headers on demand", async () => {
        const sim = await startSimulator({ faults: [{ kind: "429", times: 1, retryAfterS: 7 }] });
        try {
            const r = await rawApi(sim.url)("GET", "/regions");
            expect([r.status, r.headers.get("retry-after"), r.headers.get("x-ratelimit-remaining")]).toEqual([429, "7", "0"]);
            expect(sim.stats().injected).toEqual({ 429: 1 });
        } finally {
            await sim.close();
        }
    });
});
