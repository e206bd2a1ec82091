import { hasLateMembers } from "../network/member-addresses";
import type { ResolvedPlan } from "../plan/resolved";

/** Whether deploying this plan needs the admin private key from the user (for member sync). */
export function needsAdminPrivateKey(plan: ResolvedPlan): boolean {
    return !plan.admin.generateKey && plan.groups.some((g) => hasLateMembers(plan, g.key));
}
