export { findPulumiCli, PULUMI_INSTALL_HINT, PulumiCliMissingError } from "./pulumi-cli";
export { commandErrorText, selectStack, StackNotFoundError } from "./workspace";
export type { LctStack, StackWorkspaceOptions } from "./workspace";
