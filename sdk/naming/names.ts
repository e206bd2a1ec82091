import { fitLabel, LABEL_RULES } from "./labels";

/**
 * Every name LCT derives from a plan. Names come from the plan alone (cluster, region, group,
 * index, storage name) — never from evaluation order — so growing a group only appends.
 */

/** `<cluster>-<region>`: Pulumi name of the Region component and the VPC label. */
export const regionResourceName = (cluster: string, region: string) => `${cluster}-${region}`;

/** `<cluster>-<region>-<group>`: Pulumi name of the NodeGroup component. */
export const groupResourceName = (cluster: string, region: string, group: string) => `${cluster}-${region}-${group}`;

/** `<cluster>-<region>-<group>-<index>`: node identity, Pulumi name and Linode label. */
export const nodeName = (cluster: string, region: string, group: string, index: number) =>
    `${groupResourceName(cluster, region, group)}-${index}`;

/** Volume name (Pulumi) is the node name plus the storage name; its label is shortened to 32. */
export const volumeName = (node: string, storage: string) => `${node}-${storage}`;
export const volumeLabel = (node: string, storage: string) =>
    fitLabel(volumeName(node, storage), LABEL_RULES.volume.max);

export const firewallLabel = (cluster: string, region: string, group: string) =>
    fitLabel(`${cluster}-${region}-${group}`, LABEL_RULES.firewall.max);

export const loadBalancerResourceName = (cluster: string, lb: string) => `${cluster}-lb-${lb}`;
export const loadBalancerLabel = (cluster: string, lb: string) =>
    fitLabel(`${cluster}-${lb}`, LABEL_RULES.nodeBalancer.max);

export const vpcLabel = (cluster: string, region: string) => fitLabel(`${cluster}-${region}`, LABEL_RULES.vpc.max);
export const subnetLabel = (cluster: string, region: string) =>
    fitLabel(`${cluster}-${region}-nodes`, LABEL_RULES.vpc.max);

/** Placement groups hold at most `perGroup` Linodes, so big anti-affinity groups get several. */
export const placementGroupLabel = (cluster: string, region: string, group: string, part: number) =>
    fitLabel(`${cluster}-${region}-${group}-pg${part}`, LABEL_RULES.placementGroup.max);
