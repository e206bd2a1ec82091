/**
 * Linode Cluster Toolkit — public API.
 *
 *   import { LinodeCluster } from "linode-cluster-toolkit";
 *   const cluster = new LinodeCluster("analytics", { plan: "./plan.yaml" });
 *   export const inventory = cluster.inventory;
 */
export { LinodeCluster } from "./components/linode-cluster";
export type { LinodeClusterArgs } from "./components/linode-cluster";
export { Region } from "./components/region";
export type { RegionArgs } from "./components/region";
export { NodeGroup } from "./components/node-group";
export type { NodeGroupArgs } from "./components/node-group";
export { SecureNode } from "./components/secure-node";
export type { SecureNodeArgs } from "./components/secure-node";
export { StorageTier } from "./components/storage-tier";
export type { StorageTierArgs } from "./components/storage-tier";
export { onBuildProgress } from "./components/batching";

export {
    checkPlanFile,
    checkPlanText,
    checkPlanValue,
    resolvePlan,
    normalize,
    PlanInputError,
    PlanValidationError,
    formatIssue,
    clusterPlan as clusterPlanSchema,
    clusterPlanJsonSchema,
} from "./plan";
export type {
    ClusterPlan,
    ClusterPlanInput,
    PlanCheck,
    PlanIssue,
    PlanSource,
    ResolvedPlan,
    ResolvedGroup,
    ResolvedNode,
    ResolvedVolume,
    AccessRule,
} from "./plan";

export { bundledCatalog, resolveCatalog, readCatalogFile } from "./catalog";
export type { Catalog, CatalogRegion, CatalogType, CatalogImage } from "./catalog";
export { estimateCost } from "./cost/estimate";
export type { CostEstimate } from "./cost/estimate";
export { groupFirewallRules, firewallSpecs } from "./network/firewall-rules";
export {
    buildInventory,
    matchesFilter,
    parseQuery,
    QuerySyntaxError,
    selectNodes,
    inventoryFromStack,
    queryNodes,
    parseStackExport,
    liveInventories,
    buildAnsibleModel,
    renderAnsibleYaml,
    renderAnsibleIni,
    renderSshConfig,
    renderHostsFile,
    renderInventoryJson,
    buildBundle,
    packBundle,
    registerWiring,
} from "./inventory";
export type { ClusterInventory, InventoryNode, NodeFilter, NodeSelector, StackExportResult } from "./inventory";
export { runPreview } from "./preview/run-preview";
export { loadTemplate, loadTemplates, templateNames, renderTemplate, TemplateParameterError, UnknownTemplateError } from "./templates";
export { registerFirstBootExtension } from "./hardening";
export { lctTag, readLctTag } from "./naming/tags";
export { createLinodeClient } from "./linode-api";
export { ClusterPower, NodeReadiness, setClusterPower, waitForNodeReadiness, discoverCluster } from "./providers";
export type { ClusterPowerArgs, NodeReadinessArgs, PowerState } from "./providers";
