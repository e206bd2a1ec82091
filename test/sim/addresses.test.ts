/** The simulator's address pools: distinct, inside their ranges, and a clear answer when spent. */
import { describe, expect, it } from "vitest";
import { defaultSimCatalog, DEFAULT_TIMINGS } from "../../sim";
import { SimError } from "../../sim/errors";
import { SimState } from "../../sim/state";

describe("simulated address pools", () => {
    it("hands out every private IPv4 of 192.168.128.0/17 once, then refuses", () => {
        const state = new SimState(defaultSimCatalog(), DEFAULT_TIMINGS);
        const seen = new Set<string>();
        for (let i = 0; i < 128 * 254; i++) seen.add(state.allocatePrivateIpv4());
        expect(seen.size).toBe(128 * 254);
        for (const a of seen) {
            const [w, x, y, z] = a.split(".").map(Number) as [number, number, number, number];
            expect([w, x]).toEqual([192, 168]);
            expect(y >= 128 && y <= 255 && z >= 1 && z <= 254).toBe(true);
        }
        expect(() => state.allocatePrivateIpv4()).toThrow(SimError);
        expect(() => state.allocatePrivateIpv4()).toThrow(/no private IPv4 addresses left/);
    });

    it("keeps public IPv4s inside 198.18.0.0/15", () => {
        const state = new SimState(defaultSimCatalog(), DEFAULT_TIMINGS);
        const all = Array.from({ length: 512 * 252 }, () => state.allocatePublicIpv4());
        expect(new Set(all).size).toBe(all.length);
        expect(all.every((a) => /^198\.(18|19)\.\d+\.\d+$/.test(a))).toBe(true);
        expect(() => state.allocatePublicIpv4()).toThrow(/no public IPv4 addresses left/);
    });
});
