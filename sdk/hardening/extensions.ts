import type { ResolvedPlan } from "../plan/resolved";

/**
 * Extra first-boot steps contributed by other capabilities (e.g. a template's per-role
 * software bootstrap). Their files are written after the hardening's own, and their commands
 * run after the hardening has completed — a node is hardened before any service is installed,
 * and a failed extension never hides a failed hardening.
 */
export interface FirstBootExtras {
    files: Array<{ path: string; content: string; mode: string }>;
    /** Each an argv. */
    commands: string[][];
}

export type FirstBootExtension = (plan: ResolvedPlan, nodeName: string) => FirstBootExtras | undefined;

const extensions: FirstBootExtension[] = [];

/** Adds an extension to every node rendered from now on (registering the same function twice is a no-op). */
export function registerFirstBootExtension(extension: FirstBootExtension): void {
    if (!extensions.includes(extension)) extensions.push(extension);
}

/** Everything the registered extensions add to one node. */
export function firstBootExtras(plan: ResolvedPlan, nodeName: string): FirstBootExtras {
    const out: FirstBootExtras = { files: [], commands: [] };
    for (const ext of extensions) {
        const extra = ext(plan, nodeName);
        if (!extra) continue;
        out.files.push(...extra.files);
        out.commands.push(...extra.commands);
    }
    return out;
}
