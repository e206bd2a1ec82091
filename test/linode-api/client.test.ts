/**
 * The client against the simulator: pagination, X-Filter, typed errors, bounded retries for
 * every fault class, Retry-After, timeouts, cancellation, token hygiene and client-side rate
 * limiting.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLinodeClient, type LinodeClientOptions } from "../../sdk/linode-api/client";
import { isLinodeApiError, isLinodeRequestError, type LinodeApiError, type LinodeRequestError } from "../../sdk/linode-api/errors";
import { DOCUMENTED_RATE_LIMITS, scaleRateLimits } from "../../sdk/linode-api/limits";
import type { LinodeInstance } from "../../sdk/linode-api/types";
import { type RunningSimulator, startSimulator } from "../../sim";

const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 40 };
let tokenSeq = 0;

describe("Linode client against the simulator", () => {
    let sim: RunningSimulator;
    const client = (o: LinodeClientOptions = {}) =>
        createLinodeClient({ url: sim.url, token: `client-test-${++tokenSeq}`, retry: FAST_RETRY, ...o });

    beforeAll(async () => {
        sim = await startSimulator({ rateLimits: false });
        for (let i = 0; i < 120; i++) {
            sim.addInstance(
                { label: `node-${String(i).padStart(3, "0")}`, region: i % 2 ? "us-ord" : "de-fra-2", type: "g6-nanode-1", image: "linode/debian12", tags: i < 30 ? ["team=a"] : ["team=b"] },
                "running",
            );
        }
    });
    afterAll(() => sim.close());
    beforeEach(() => {
        sim.faults.clear();
        sim.resetStats();
    });

    it("sends the bearer token and reads one object", async () => {
        const c = client({ token: "secret-token-1" });
        const first = (await c.list<LinodeInstance>("/linode/instances", { pageSize: 25 }))[0]!;
        const one = await c.get<LinodeInstance>(`/linode/instances/${first.id}`);
        expect(one.label).toBe(first.label);
        expect(c.hasToken).toBe(true);
    });

    it("walks every page and returns items in order", async () => {
        const all = await client().list<LinodeInstance>("/linode/instances", { pageSize: 25 });
        expect(all).toHaveLength(120);
        expect(all.map((i) => i.id)).toEqual([...all.map((i) => i.id)].sort((a, b) => a - b));
        expect(sim.requests().map((r) => r.path)).toEqual(Array(5).fill("/linode/instances"));
    });

    it("filters with X-Filter: tags, +or and +order", async () => {
        const c = client();
        expect(await c.list<LinodeInstance>("/linode/instances", { filter: { tags: "team=a" } })).toHaveLength(30);
        const some = await c.list<LinodeInstance>("/linode/instances", {
            filter: { "+or": [{ label: "node-001" }, { label: "node-007" }], "+order_by": "label", "+order": "desc" },
        });
        expect(some.map((i) => i.label)).toEqual(["node-007", "node-001"]);
    });

    it("maps error bodies to typed errors with field and reason", async () => {
        const c = client();
        const bad = await c.list("/linode/instances", { filter: { foo: 1 } }).catch((e: LinodeApiError) => e);
        expect(isLinodeApiError(bad, 400)).toBe(true);
        expect([(bad as LinodeApiError).field, (bad as LinodeApiError).reason]).toEqual(["X-Filter", "Cannot filter on foo"]);

        const invalid = (await c.post("/linode/instances", { region: "mars-1", type: "g6-nanode-1", label: "x" }).catch((e) => e)) as LinodeApiError;
        expect(invalid.status).toBe(400);
        expect(invalid.errors.map((e) => e.field)).toEqual(["region", "label"]);
        expect(invalid.message).toMatch(/region: region is not valid; label: Length must be 3-64/);

        const missing = (await c.get("/linode/instances/999999").catch((e) => e)) as LinodeApiError;
        expect([missing.status, missing.reason]).toEqual([404, "Not found"]);
    });

    it("is refused without a token, and never shows the token in errors", async () => {
        const anonymous = createLinodeClient({ url: sim.url, env: {} });
        const e = (await anonymous.get("/linode/instances/1000").catch((x) => x)) as LinodeApiError;
        expect([e.status, e.reason]).toEqual([401, "Invalid Token"]);
        // Public endpoints still answer.
        expect((await anonymous.list("/regions")).length).toBeGreaterThan(10);

        const token = "do-not-print-me-123";
        sim.faults.add({ kind: "503" });
        const failed = (await client({ token, retry: { ...FAST_RETRY, maxAttempts: 2 } }).get(`/linode/instances/${token}`).catch((x) => x)) as Error;
        expect(failed.message).toContain("<redacted>");
        expect(`${failed.message}\n${failed.stack}`).not.toContain(token);
    });

    it("retries 503, 500, 408, busy and 429 until they pass", async () => {
        const c = client({ retry: { ...FAST_RETRY, maxAttempts: 8 } });
        sim.faults.add({ kind: "503", times: 2 });
        sim.faults.add({ kind: "500", times: 1, method: "GET" });
        sim.faults.add({ kind: "408", times: 1 });
        sim.faults.add({ kind: "busy", times: 1 });
        sim.faults.add({ kind: "429", times: 1, retryAfterS: 0 });
        await c.get("/linode/instances/1000");
        expect(sim.stats().byStatus).toEqual({ 200: 1, 400: 1, 408: 1, 429: 1, 500: 1, 503: 2 });
        expect(c.stats().retries).toBe(6);
    });

    it("repeats a create after 408 (the request was not processed), never after 500", async () => {
        const c = client();
        sim.faults.add({ kind: "408", times: 1, method: "POST" });
        const made = await c.post<LinodeInstance>("/linode/instances", { region: "us-ord", type: "g6-nanode-1", label: "after-408" });
        expect(made.label).toBe("after-408");
        expect(sim.stats().byStatus).toEqual({ 200: 1, 408: 1 });
    });

    it("honours Retry-After on 503 when the server sends one", async () => {
        sim.faults.add({ kind: "503", times: 1, retryAfterS: 1 });
        const t0 = Date.now();
        await client().get("/linode/instances/1000");
        expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    });

    it("stops after maxAttempts and says so", async () => {
        sim.faults.add({ kind: "503" });
        const e = (await client({ retry: { ...FAST_RETRY, maxAttempts: 4 } }).get("/linode/instances/1000").catch((x) => x)) as LinodeApiError;
        expect(e.status).toBe(503);
        expect(e.attempts).toBe(4);
        expect(e.message).toMatch(/after 4 attempts/);
        expect(sim.stats().requests).toBe(4);
    });

    it("honours Retry-After on 429", async () => {
        sim.faults.add({ kind: "429", times: 1, retryAfterS: 1 });
        const t0 = Date.now();
        await client().get("/linode/instances/1000");
        const waited = Date.now() - t0;
        expect(waited).toBeGreaterThanOrEqual(950);
        expect(waited).toBeLessThan(2500);
    });

    it("retries a GET after a dropped connection, but never repeats a create", async () => {
        const c = client();
        sim.faults.add({ kind: "drop", times: 1, method: "GET" });
        await c.get("/linode/instances/1000");
        expect(sim.stats().dropped).toBe(1);

        sim.faults.add({ kind: "drop", times: 1, method: "POST" });
        sim.resetStats();
        const e = (await c.post("/linode/instances", { region: "us-ord", type: "g6-nanode-1" }).catch((x) => x)) as LinodeRequestError;
        expect(isLinodeRequestError(e, "network")).toBe(true);
        expect(sim.stats().requests).toBe(1);

        // A 500 on create is ambiguous too: not repeated. A 503 means "not processed": repeated.
        sim.faults.add({ kind: "500", times: 1, method: "POST" });
        expect(((await c.post("/linode/instances", { region: "us-ord", type: "g6-nanode-1" }).catch((x) => x)) as LinodeApiError).status).toBe(500);
        sim.faults.add({ kind: "503", times: 1, method: "POST" });
        sim.resetStats();
        const created = await c.post<LinodeInstance>("/linode/instances", { region: "us-ord", type: "g6-nanode-1", label: "created-after-503" });
        expect([created.label, created.status]).toEqual(["created-after-503", "provisioning"]);
        expect(sim.stats().byStatus).toEqual({ 200: 1, 503: 1 });
        await c.delete(`/linode/instances/${created.id}`);
    });

    it("times out each attempt and reports a timeout", async () => {
        sim.faults.add({ kind: "latency", latencyMs: 1500 });
        const t0 = Date.now();
        const e = (await client({ timeoutMs: 80, retry: { ...FAST_RETRY, maxAttempts: 2 } }).get("/linode/instances/1000").catch((x) => x)) as LinodeRequestError;
        expect(isLinodeRequestError(e, "timeout")).toBe(true);
        expect(e.attempts).toBe(2);
        // Both attempts gave up long before the server would have answered.
        expect(Date.now() - t0).toBeLessThan(1000);
    });

    it("cancels at once when the caller aborts", async () => {
        sim.faults.add({ kind: "latency", latencyMs: 2000 });
        const ctrl = new AbortController();
        const t0 = Date.now();
        const pending = client().get("/linode/instances/1000", { signal: ctrl.signal }).catch((x) => x);
        setTimeout(() => ctrl.abort(), 50);
        const e = (await pending) as LinodeRequestError;
        expect(isLinodeRequestError(e, "aborted")).toBe(true);
        expect(Date.now() - t0).toBeLessThan(1000);
        expect(sim.stats().requests).toBe(1);
    });
});

describe("client-side rate limiting", () => {
    it("creates 25 Linodes under the create limit with no 429, where an unthrottled client is refused", async () => {
        // Linode's limits with windows 100x shorter: create is 10 per 300 ms.
        const limits = scaleRateLimits(DOCUMENTED_RATE_LIMITS, 0.01);
        const sim = await startSimulator({ rateLimits: limits });
        try {
            const body = (i: number) => ({ region: "us-ord", type: "g6-nanode-1", label: `rl-${i}` });
            const polite = createLinodeClient({ url: sim.url, token: "polite", limits, rateLimitMarginMs: 20, retry: FAST_RETRY });
            const t0 = Date.now();
            const made = await Promise.all(Array.from({ length: 25 }, (_, i) => polite.post<LinodeInstance>("/linode/instances", body(i))));
            expect(made).toHaveLength(25);
            expect(sim.stats().rateLimited).toBe(0);
            expect(Date.now() - t0).toBeGreaterThanOrEqual(600);

            const rude = createLinodeClient({ url: sim.url, token: "rude", limits: false, retry: { ...FAST_RETRY, maxAttempts: 1 } });
            const results = await Promise.allSettled(Array.from({ length: 15 }, (_, i) => rude.post("/linode/instances", body(100 + i))));
            const refused = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason as LinodeApiError);
            expect(refused.length).toBe(5);
            expect(refused.every((e) => e.status === 429 && e.retryAfterMs !== undefined)).toBe(true);
        } finally {
            await sim.close();
        }
    });
});
