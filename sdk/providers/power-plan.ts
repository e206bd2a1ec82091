/**
 * Pure decisions of cluster power: which nodes go together (waves by boot order), and what to
 * do with one node given its status. Captured by value into the serialized provider: plain
 * functions only.
 */
import type { InstanceStatus } from "../linode-api/types";

export type PowerState = "running" | "stopped";

export const POWER_STATES: readonly PowerState[] = ["running", "stopped"];

export interface PowerGroup {
    /** Group key as LCT names it, e.g. `us-ord/web`. */
    name: string;
    /** Lower starts first; equal orders start together; stop goes in reverse. */
    bootOrder: number;
    linodeIds: number[];
}

export interface PowerWave {
    bootOrder: number;
    groups: string[];
    linodeIds: number[];
}

/** Groups merged by boot order, ascending to start, descending to stop. */
export function planPowerWaves(groups: readonly PowerGroup[], power: PowerState): PowerWave[] {
    const byOrder: Record<string, PowerWave> = {};
    for (const g of groups) {
        const w = (byOrder[String(g.bootOrder)] ??= { bootOrder: g.bootOrder, groups: [], linodeIds: [] });
        w.groups.push(g.name);
        for (const id of g.linodeIds) if (!w.linodeIds.includes(id)) w.linodeIds.push(id);
    }
    const waves = Object.values(byOrder).sort((a, b) => a.bootOrder - b.bootOrder);
    for (const w of waves) w.groups.sort();
    return power === "running" ? waves : waves.reverse();
}

export type NodeStep =
    | { step: "done" }
    | { step: "boot" }
    | { step: "shutdown" }
    | { step: "wait"; why: string }
    | { step: "fail"; why: string };

/** Statuses that end by themselves; we wait them out before acting. */
const TRANSIENT: readonly string[] = [
    "booting",
    "rebooting",
    "provisioning",
    "shutting_down",
    "migrating",
    "rebuilding",
    "cloning",
    "restoring",
    "resizing",
    "busy",
];

/** What to do with one node. `status` is undefined when the API no longer lists it. */
export function nodeStep(status: InstanceStatus | string | undefined, power: PowerState): NodeStep {
    if (power === "running") {
        if (status === undefined) return { step: "fail", why: "does not exist (deleted?)" };
        if (status === "running") return { step: "done" };
        if (status === "offline" || status === "stopped") return { step: "boot" };
        if (TRANSIENT.includes(status)) return { step: "wait", why: status };
        if (status === "deleting") return { step: "fail", why: "is being deleted" };
        if (status === "billing_suspension") return { step: "fail", why: "is suspended for billing" };
        return { step: "fail", why: `has unknown status "${status}"` };
    }
    // A node that is gone, going, or suspended cannot be running: as stopped as it gets.
    if (status === undefined || status === "offline" || status === "stopped" || status === "deleting" || status === "billing_suspension") {
        return { step: "done" };
    }
    if (status === "running") return { step: "shutdown" };
    if (TRANSIENT.includes(status)) return { step: "wait", why: status };
    return { step: "fail", why: `has unknown status "${status}"` };
}

export interface InputFailure {
    property: string;
    reason: string;
}

/** Problems of a group list; empty when usable. Unknown (preview) values are not judged. */
export function powerGroupProblems(groups: unknown, isUnknown: (v: unknown) => boolean): InputFailure[] {
    if (isUnknown(groups)) return [];
    if (!Array.isArray(groups)) return [{ property: "groups", reason: "groups must be a list of {name, bootOrder, linodeIds}" }];
    const failures: InputFailure[] = [];
    const names: Record<string, true> = {};
    const owner: Record<string, string> = {};
    groups.forEach((raw, i) => {
        const at = `groups[${i}]`;
        if (isUnknown(raw)) return;
        const g = (raw ?? {}) as Partial<PowerGroup>;
        if (!isUnknown(g.name)) {
            if (typeof g.name !== "string" || g.name.trim() === "") failures.push({ property: `${at}.name`, reason: "name must be a non-empty string" });
            else if (names[g.name]) failures.push({ property: `${at}.name`, reason: `group "${g.name}" appears twice` });
            else names[g.name] = true;
        }
        if (!isUnknown(g.bootOrder) && (typeof g.bootOrder !== "number" || !Number.isInteger(g.bootOrder) || g.bootOrder < 0)) {
            failures.push({ property: `${at}.bootOrder`, reason: "bootOrder must be a whole number, 0 or more" });
        }
        if (isUnknown(g.linodeIds)) return;
        if (!Array.isArray(g.linodeIds)) {
            failures.push({ property: `${at}.linodeIds`, reason: "linodeIds must be a list of Linode ids" });
            return;
        }
        g.linodeIds.forEach((id, j) => {
            if (isUnknown(id)) return;
            if (typeof id !== "number" || !Number.isInteger(id) || id <= 0) {
                failures.push({ property: `${at}.linodeIds[${j}]`, reason: `${JSON.stringify(id)} is not a Linode id` });
                return;
            }
            const prev = owner[String(id)];
            if (prev !== undefined && prev !== String(g.name)) {
                failures.push({ property: `${at}.linodeIds[${j}]`, reason: `Linode ${id} is also in group "${prev}"` });
            }
            owner[String(id)] = String(g.name);
        });
    });
    return failures;
}
