import type { LinodeClusterArgs } from "../components/linode-cluster";
import { hasLateMembers } from "../network/member-addresses";
import type { ResolvedPlan } from "../plan/resolved";

/**
 * The stack config a preview mirrors (`lct preview --power / --member-sync / --readiness`):
 * what `lct:power`, `lct:memberSync` and `lct:readiness` are for the root stack.
 */
export interface PreviewStackSettings {
    power?: "running" | "stopped";
    memberSync?: "auto" | "off";
    readiness?: boolean;
}

/**
 * The LinodeCluster arguments the root stack (sdk/stack/program.ts) passes for these settings —
 * with its defaults: power "running" (which adds ClusterPower), member sync "auto", no readiness.
 */
export function stackArgs(settings: PreviewStackSettings): Partial<LinodeClusterArgs> {
    return {
        power: settings.power ?? "running",
        memberSync: settings.memberSync ?? "auto",
        ...(settings.readiness ? { readiness: true } : {}),
    };
}

/** Whether deploying this plan needs the admin private key from the user (for member sync). */
export function needsAdminPrivateKey(plan: ResolvedPlan, memberSync: "auto" | "off" = "auto"): boolean {
    return memberSync !== "off" && !plan.admin.generateKey && plan.groups.some((g) => hasLateMembers(plan, g.key));
}
