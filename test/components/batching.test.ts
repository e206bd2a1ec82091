import { afterEach, describe, expect, it } from "vitest";
import { createInBatches, DEFAULT_BATCH } from "../../sdk/components/batching";
import { LinodeCluster } from "../../sdk/components/linode-cluster";
import { installMocks, settle } from "../support/pulumi-mocks";
import { fixturePlan } from "../support/plans";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJ0bFHIi1s9mRX5lQlUqkZs3Rg2dWvyqOe6S5WRrD0e ops@example";

afterEach(() => {
    delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    delete process.env.LCT_FULL_STACKS;
});

describe("createInBatches", () => {
    it("creates every item in order, in batches with a turn of the event loop between them", async () => {
        const log: string[] = [];
        const done = createInBatches([1, 2, 3, 4, 5], (n) => log.push(`create ${n}`), { batchSize: 2 });
        log.push("caller continues");
        // A macrotask queued now runs before the second batch: the batches yield to the event loop.
        setImmediate(() => log.push("other work"));
        await done;
        expect(log.filter((l) => l.startsWith("create"))).toEqual(["create 1", "create 2", "create 3", "create 4", "create 5"]);
        expect(log.indexOf("other work")).toBeGreaterThan(log.indexOf("create 1"));
        expect(log.indexOf("other work")).toBeLessThan(log.indexOf("create 5"));
    });

    it("trims stack capture only while it creates items, never in the caller's code", async () => {
        const before = Error.stackTraceLimit;
        const seen: number[] = [];
        const done = createInBatches([1, 2, 3], () => seen.push(Error.stackTraceLimit), { batchSize: 2, stackTraceLimit: 0 });
        // The first batch ran synchronously, trimmed; the caller continues with its own limit.
        expect(seen).toEqual([0, 0]);
        expect(Error.stackTraceLimit).toBe(before);
        await done;
        expect(seen).toEqual([0, 0, 0]);
        expect(Error.stackTraceLimit).toBe(before);
    });

    it("keeps the batches' follow-up microtasks trimmed, and the turns between batches, then restores the limit", async () => {
        const before = Error.stackTraceLimit;
        const inMicrotasks: number[] = [];
        const betweenBatches: number[] = [];
        const done = createInBatches(
            [1, 2, 3],
            () => {
                // What a registration does after its constructor: more promises, in microtasks.
                queueMicrotask(() => inMicrotasks.push(Error.stackTraceLimit));
                void Promise.resolve().then(() => Promise.resolve().then(() => inMicrotasks.push(Error.stackTraceLimit)));
            },
            { batchSize: 2, stackTraceLimit: 0 },
        );
        // The caller's own synchronous code is never trimmed.
        expect(Error.stackTraceLimit).toBe(before);
        setImmediate(() => betweenBatches.push(Error.stackTraceLimit));
        await done;
        expect(inMicrotasks).toEqual([0, 0, 0, 0, 0, 0]);
        expect(betweenBatches).toEqual([0]);
        expect(Error.stackTraceLimit).toBe(before);
        await new Promise((resolve) => setImmediate(resolve));
        expect(Error.stackTraceLimit).toBe(before);
    });

    it("leaves stack traces alone when LCT_FULL_STACKS asks for them", async () => {
        process.env.LCT_FULL_STACKS = "1";
        const before = Error.stackTraceLimit;
        const seen: number[] = [];
        await createInBatches([1, 2], () => queueMicrotask(() => seen.push(Error.stackTraceLimit)), DEFAULT_BATCH);
        expect(seen).toEqual([before, before]);
    });

    it("leaves stack traces alone when PULUMI_DEBUG_PROMISE_LEAKS asks for them", async () => {
        process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
        const before = Error.stackTraceLimit;
        const seen: number[] = [];
        await createInBatches([1, 2], () => seen.push(Error.stackTraceLimit), DEFAULT_BATCH);
        expect(seen).toEqual([before, before]);
    });

    it("restores the limit and rejects when creating an item throws", async () => {
        const before = Error.stackTraceLimit;
        await expect(
            createInBatches(
                [1, 2, 3],
                (n) => {
                    if (n === 2) throw new Error("boom");
                },
                { batchSize: 10, stackTraceLimit: 0 },
            ),
        ).rejects.toThrow("boom");
        expect(Error.stackTraceLimit).toBe(before);
        // Nor does the follow-up trimming outlive a failed batch.
        await new Promise((resolve) => setImmediate(resolve));
        expect(Error.stackTraceLimit).toBe(before);
    });
});

describe("LinodeCluster on a large group", () => {
    it("gets early nodes' registrations answered before later nodes are registered", async () => {
        const registered = await installMocks();
        const plan = fixturePlan("two-region");
        plan.defaults = { ...(plan.defaults ?? {}), sshKeys: [KEY] };
        plan.regions[0]!.nodeGroups[0]!.count = 60;
        // Watch the answers as registrations arrive.
        const answeredWhenLastRegistered: boolean[] = [];
        const push = registered.push.bind(registered);
        registered.push = (...items) => {
            for (const r of items) {
                if (r.type === "linode:index/instance:Instance" && r.name === "shop-us-ord-web-60-instance") {
                    const first = registered.find((x) => x.name === "shop-us-ord-web-1-instance");
                    answeredWhenLastRegistered.push(first?.urn !== undefined);
                }
            }
            return push(...items);
        };
        const cluster = new LinodeCluster("shop", { plan, memberSync: "off" });
        expect(Error.stackTraceLimit).toBeGreaterThan(0);
        await cluster.built;
        await settle(registered);
        expect(answeredWhenLastRegistered).toEqual([true]);
        expect(registered.filter((r) => r.type === "linode:index/instance:Instance")).toHaveLength(60 + 2 + 2);
    });
});
