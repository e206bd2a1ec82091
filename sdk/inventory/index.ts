export * from "./types";
export { buildInventory } from "./build";
export { matchesFilter } from "./filter";
export type { NodeFilter } from "./filter";

// Queries
export { compileQuery, filterToQuery, formatQuery, globMatcher, parseQuery, QUERY_FIELDS, QuerySyntaxError, selectorPredicate } from "./query";
export type { NodePredicate, NodeSelector, QueryExpr, QueryField, QueryOp } from "./query";
export { selectInventories, selectNodes } from "./select";
export { queryToXFilter } from "./xfilter";

// Sources: programs, stack exports, the live API
export { inventoryFromStack, queryNodes } from "./program";
export { parseStackExport, readStackExport, StackExportError } from "./stack-export";
export type { StackExportResult } from "./stack-export";
export { liveInventories } from "./live";
export type { LiveOptions, LiveResult } from "./live";
export { readInventory } from "./shape";

// Exports
export { ansibleHostJson, ansibleListJson, buildAnsibleModel, renderAnsibleIni, renderAnsibleYaml, renderInventoryScript } from "./ansible";
export type { AnsibleGroup, AnsibleModel, AnsibleOptions } from "./ansible";
export { renderSshConfig } from "./ssh-config";
export type { SshConfigOptions } from "./ssh-config";
export { HOSTS_ADDRESS_KINDS, renderHostsFile } from "./hosts-file";
export type { HostsAddressKind, HostsFileOptions } from "./hosts-file";
export { inventoryJson, renderInventoryJson } from "./json-export";
export { buildBundle } from "./bundle";
export type { Bundle, BundleFile, BundleOptions } from "./bundle";
export { packBundle } from "./archive";
export type { ArchiveFormat } from "./archive";
export { guardExport, SecretLeakError, stripSecrets } from "./secrets";

// Wiring
export { bindTemplate, getWiring, listWirings, registerWiring, wireInventory, wiringsFor } from "./wiring";
export type { Wiring, WiringOutput } from "./wiring";
