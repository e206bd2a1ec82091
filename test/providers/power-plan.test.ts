import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nodeStep, planPowerWaves, powerGroupProblems, type PowerGroup } from "../../sdk/providers/power-plan";
import { isUnknown, UNKNOWN } from "../../sdk/providers/provider-client";

const groups: PowerGroup[] = [
    { name: "us-ord/web", bootOrder: 3, linodeIds: [5, 6] },
    { name: "us-ord/db", bootOrder: 1, linodeIds: [1, 2] },
    { name: "de-fra-2/db", bootOrder: 1, linodeIds: [3] },
    { name: "us-ord/app", bootOrder: 2, linodeIds: [4] },
];

describe("planPowerWaves", () => {
    it("starts ascending, merging equal boot orders", () => {
        expect(planPowerWaves(groups, "running")).toEqual([
            { bootOrder: 1, groups: ["de-fra-2/db", "us-ord/db"], linodeIds: [1, 2, 3] },
            { bootOrder: 2, groups: ["us-ord/app"], linodeIds: [4] },
            { bootOrder: 3, groups: ["us-ord/web"], linodeIds: [5, 6] },
        ]);
    });
    it("stops in exactly the reverse order", () => {
        fc.assert(
            fc.property(
                fc.array(fc.record({ name: fc.string({ minLength: 1 }), bootOrder: fc.integer({ min: 0, max: 5 }), linodeIds: fc.array(fc.integer({ min: 1, max: 99 }), { maxLength: 4 }) })),
                (gs) => {
                    const up = planPowerWaves(gs, "running").map((w) => w.bootOrder);
                    const down = planPowerWaves(gs, "stopped").map((w) => w.bootOrder);
                    return JSON.stringify(up) === JSON.stringify([...down].reverse()) && up.every((o, i) => i === 0 || o > (up[i - 1] as number));
                },
            ),
        );
    });
});

describe("nodeStep", () => {
    it.each([
        ["running", "running", "done"],
        ["offline", "running", "boot"],
        ["stopped", "running", "boot"],
        ["booting", "running", "wait"],
        ["shutting_down", "running", "wait"],
        ["provisioning", "running", "wait"],
        ["deleting", "running", "fail"],
        ["billing_suspension", "running", "fail"],
        [undefined, "running", "fail"],
        ["offline", "stopped", "done"],
        ["running", "stopped", "shutdown"],
        ["booting", "stopped", "wait"],
        ["rebooting", "stopped", "wait"],
        ["deleting", "stopped", "done"],
        [undefined, "stopped", "done"],
        ["exploded", "stopped", "fail"],
    ] as const)("%s wanting %s → %s", (status, power, step) => {
        expect(nodeStep(status, power).step).toBe(step);
    });
});

describe("powerGroupProblems", () => {
    it("accepts a good list", () => {
        expect(powerGroupProblems(groups, isUnknown)).toEqual([]);
    });
    it("names each problem's property", () => {
        const bad = [
            { name: "a", bootOrder: 1.5, linodeIds: [1, "2"] },
            { name: "b", bootOrder: 0, linodeIds: [1] },
            { name: "", bootOrder: -1, linodeIds: "x" },
            { name: "a", bootOrder: 2, linodeIds: [] },
        ];
        expect(powerGroupProblems(bad, isUnknown).map((f) => f.property)).toEqual([
            "groups[0].bootOrder",
            "groups[0].linodeIds[1]",
            "groups[1].linodeIds[0]",
            "groups[2].name",
            "groups[2].bootOrder",
            "groups[2].linodeIds",
            "groups[3].name",
        ]);
        expect(powerGroupProblems("nope", isUnknown)[0]?.reason).toMatch(/list of/);
    });
    it("does not judge values unknown during preview", () => {
        expect(powerGroupProblems(UNKNOWN, isUnknown)).toEqual([]);
        expect(powerGroupProblems([{ name: UNKNOWN, bootOrder: UNKNOWN, linodeIds: [UNKNOWN, 3] }], isUnknown)).toEqual([]);
    });
});
