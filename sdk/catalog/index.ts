export * from "./types";
export * from "./catalog-index";
export * from "./load";
export * from "./legacy-names";
export * from "./from-api";
