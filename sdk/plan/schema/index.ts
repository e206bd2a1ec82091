export * from "./plan";
export { portSpec, portRule, cidr, NAME_PATTERN } from "./primitives";
export { nodeGroup, service, storage, hardeningProfile, configMethod } from "./group";
export { clusterPlanJsonSchema, clusterPlanJsonSchemaText, JSON_SCHEMA_ID } from "./json-schema";
