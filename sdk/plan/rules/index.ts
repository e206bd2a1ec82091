import { catalogRefs } from "./catalog-refs";
import { capabilities } from "./region-capabilities";
import { derivedLabels } from "./labels";
import { dnsNames, dnsSettings } from "./dns";
import { duplicates } from "./duplicates";
import { firewallLimits } from "./firewall-limits";
import { loadBalancerListeners } from "./load-balancers";
import { planSize } from "./plan-size";
import { portExposure } from "./port-exposure";
import { references } from "./references";
import type { PlanRule } from "./rule";
import { securityWarnings } from "./security-warnings";
import { sshKeys } from "./ssh-keys";
import { derivedTags, planTags } from "./tags";
import { volumeLimits } from "./volumes";
import { vpcBlocks } from "./vpc-blocks";
import { vpcSubnets } from "./vpc-subnets";

/** Every validation rule, in reporting order. Add new rules here. */
export const PLAN_RULES: PlanRule[] = [
    catalogRefs,
    planSize,
    duplicates,
    references,
    capabilities,
    volumeLimits,
    planTags,
    vpcSubnets,
    loadBalancerListeners,
    dnsSettings,
    sshKeys,
    securityWarnings,
    derivedLabels,
    derivedTags,
    vpcBlocks,
    portExposure,
    firewallLimits,
    dnsNames,
];

export type { PlanRule } from "./rule";
