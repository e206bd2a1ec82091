import type { ResolvedPlan } from "../plan/resolved";
import { registerPlanRule } from "../plan/check";
import type { PlanRule } from "../plan/rules/rule";
import { renderCloudConfig } from "./cloud-config";
import { buildBootstrapModel, type RenderOptions } from "./model";
import { renderStackScript, stackScriptData } from "./stackscript";
import { userDataSizeRule } from "./user-data-size";
import { stackScriptShareRule } from "./stackscript-rule";
import { imageSupportRule } from "./image-support";

/**
 * Node hardening: one profile model rendered as cloud-config user data or as a StackScript.
 * See docs/hardening.md.
 */

export type NodeBootstrap =
    | { method: "cloud-init"; /** Plain text; the component base64-encodes it. */ userData: string }
    | { method: "stackscript"; groupKey: string; /** `stackscript_data` (UDF values). */ data: Record<string, string> };

/** What a node gets at first boot, by its group's configMethod. */
export function renderNodeBootstrap(plan: ResolvedPlan, nodeName: string, opts: RenderOptions = {}): NodeBootstrap {
    const model = buildBootstrapModel(plan, nodeName, opts);
    const group = plan.groups.find((g) => g.key === model.group)!;
    if (group.configMethod === "stackscript") return { method: "stackscript", groupKey: group.key, data: stackScriptData(plan, nodeName, opts) };
    return { method: "cloud-init", userData: renderCloudConfig(model) };
}

/** The StackScript shared by all nodes of a group. */
export function renderGroupStackScript(plan: ResolvedPlan, groupKey: string, opts: RenderOptions = {}): string {
    return renderStackScript(plan, groupKey, opts);
}

/** Plan rules of this capability. */
export const hardeningRules: readonly PlanRule[] = [imageSupportRule, userDataSizeRule, stackScriptShareRule];

/** Adds the hardening rules to every plan check; importing this module does it once. */
for (const rule of hardeningRules) registerPlanRule(rule);

export { renderCloudConfig } from "./cloud-config";
export { buildBootstrapModel, type BootstrapModel, type RenderOptions } from "./model";
export { renderMemberSync } from "./member-sync";
export { registerFirstBootExtension, firstBootExtras, type FirstBootExtension, type FirstBootExtras } from "./extensions";
export type { MemberAddresses } from "./host-firewall";
export { renderStackScript, stackScriptData } from "./stackscript";
export { userDataSizes, userDataIssues, USER_DATA_LIMIT, STACKSCRIPT_DATA_LIMIT, type NodeUserDataSize } from "./user-data-size";
export { SUPPORTED_IMAGES, hardeningSupportsImage } from "./image-support";
export { COMPLETION_LOG_LINE, COMPLETION_MARKER_FILE } from "./marker";
export { BASELINE, STRICT, NONE_WARNING, hardenedProfile, type HardenedProfile } from "./profiles";
