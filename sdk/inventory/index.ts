export * from "./types";
export { buildInventory } from "./build";
export { matchesFilter } from "./filter";
export type { NodeFilter } from "./filter";
