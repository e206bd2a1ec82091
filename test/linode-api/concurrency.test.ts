import { describe, expect, it } from "vitest";
import { createSlots } from "../../sdk/linode-api/concurrency";

describe("createSlots", () => {
    it("never lets more than `max` tasks run at once, and runs them all", async () => {
        const slots = createSlots(2);
        let running = 0;
        let peak = 0;
        const task = async (i: number): Promise<number> => {
            await slots.acquire();
            running++;
            peak = Math.max(peak, running);
            await new Promise((r) => setTimeout(r, 10));
            running--;
            slots.release();
            return i;
        };
        expect(await Promise.all([0, 1, 2, 3, 4].map(task))).toEqual([0, 1, 2, 3, 4]);
        expect(peak).toBe(2);
    });
    it("lets a waiting task give up when its signal aborts, without losing a slot", async () => {
        const slots = createSlots(1);
        await slots.acquire();
        const ctrl = new AbortController();
        const waiting = slots.acquire(ctrl.signal).then(() => "got", (e: Error) => e.name);
        ctrl.abort();
        expect(await waiting).toBe("AbortError");
        slots.release();
        await slots.acquire();
        slots.release();
    });
});
