/** Pulumi type tokens of LCT's components. */
export const TYPES = {
    cluster: "lct:index:LinodeCluster",
    region: "lct:index:Region",
    nodeGroup: "lct:index:NodeGroup",
    secureNode: "lct:index:SecureNode",
    storageTier: "lct:index:StorageTier",
} as const;
