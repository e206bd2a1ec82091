import { describe, expect, it } from "vitest";
import { createFaults, globToRegex, parseFaultSpec, seededRandom } from "../../sim/faults";

describe("parseFaultSpec", () => {
    it("reads kind and options", () => {
        expect(parseFaultSpec("429,p=0.25,retry-after=3,path=/linode/instances/*/boot,method=post,times=2")).toEqual({
            kind: "429",
            probability: 0.25,
            retryAfterS: 3,
            path: "/linode/instances/*/boot",
            method: "POST",
            times: 2,
        });
        expect(parseFaultSpec("latency,ms=150")).toEqual({ kind: "latency", latencyMs: 150 });
    });
    it("explains what is wrong", () => {
        expect(() => parseFaultSpec("418")).toThrow(/unknown fault "418"; use one of 429, 408, 500, 503, busy, drop, latency/);
        expect(() => parseFaultSpec("429,p=2")).toThrow(/p must be a number from 0 to 1/);
        expect(() => parseFaultSpec("latency")).toThrow(/needs ms=/);
        expect(() => parseFaultSpec("500,colour=red")).toThrow(/unknown key "colour"/);
        expect(() => parseFaultSpec("500,path=linode")).toThrow(/must start with \//);
    });
});

describe("fault decisions", () => {
    it("matches method and path globs", () => {
        expect(globToRegex("/linode/instances/*/boot").test("/linode/instances/12/boot")).toBe(true);
        expect(globToRegex("/linode/instances/*/boot").test("/linode/instances/12/ips/boot")).toBe(false);
        expect(globToRegex("/linode/**").test("/linode/instances/12/ips")).toBe(true);
        const f = createFaults([{ kind: "503", method: "POST", path: "/volumes" }], () => 0);
        expect(f.decide("GET", "/volumes").fault).toBeUndefined();
        expect(f.decide("POST", "/volumes").fault?.kind).toBe("503");
    });
    it("fires `times` times and then stops", () => {
        const f = createFaults([{ kind: "busy", times: 2 }], () => 0);
        expect([1, 2, 3].map(() => f.decide("POST", "/x").fault?.kind)).toEqual(["busy", "busy", undefined]);
        expect(f.list()).toEqual([]);
    });
    it("adds latency on top of one failure", () => {
        const f = createFaults([{ kind: "latency", latencyMs: 30 }, { kind: "latency", latencyMs: 20 }, { kind: "500" }], () => 0);
        expect(f.decide("GET", "/x")).toEqual({ latencyMs: 50, fault: { kind: "500" } });
    });
    it("repeats the same sequence for a seed", () => {
        const run = (seed: number) => {
            const f = createFaults([{ kind: "429", probability: 0.3 }], seededRandom(seed));
            return Array.from({ length: 40 }, () => (f.decide("GET", "/x").fault ? 1 : 0)).join("");
        };
        expect(run(7)).toBe(run(7));
        expect(run(7)).not.toBe(run(8));
        const hits = run(7).split("").filter((c) => c === "1").length;
        expect(hits).toBeGreaterThan(2);
        expect(hits).toBeLessThan(25);
    });
});
