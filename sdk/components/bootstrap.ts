import { renderGroupStackScript, renderNodeBootstrap } from "../hardening";
import type { ResolvedPlan } from "../plan/resolved";

/** How a node gets its first-boot hardening: base64 cloud-init user data, or StackScript data. */
export type NodeBootstrapInputs =
    | { method: "cloud-init"; userDataBase64: string }
    | { method: "stackscript"; data: Record<string, string> };

/** The seam between the hardening renderers and the components. */
export function nodeBootstrapInputs(plan: ResolvedPlan, nodeName: string): NodeBootstrapInputs {
    const b = renderNodeBootstrap(plan, nodeName);
    return b.method === "cloud-init"
        ? { method: "cloud-init", userDataBase64: Buffer.from(b.userData, "utf8").toString("base64") }
        : { method: "stackscript", data: b.data };
}

export function groupStackScript(plan: ResolvedPlan, groupKey: string): string {
    return renderGroupStackScript(plan, groupKey);
}
