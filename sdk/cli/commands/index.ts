import type { Command } from "commander";
import type { CliContext } from "../context";
import * as validate from "./validate";
import * as show from "./show";
import * as catalog from "./catalog";
import * as sim from "./sim";
import * as cluster from "./cluster";
import * as inventory from "./inventory";
import * as preview from "./preview";
import * as templates from "./templates";
import * as lifecycle from "./lifecycle";
import * as node from "./node";
import * as secret from "./secret";

/**
 * Every command group of `lct`; add one line per group. Registration modules stay light:
 * heavy dependencies (@pulumi/pulumi takes over a second to load) are loaded inside actions
 * with `await import("….js")` — which, unlike `require()`, also works under vitest.
 */
const groups: Array<{ register(program: Command, ctx: CliContext): void }> = [validate, show, preview, templates, lifecycle, node, secret, catalog, sim, cluster, inventory];

export function registerCommands(program: Command, ctx: CliContext): void {
    for (const g of groups) g.register(program, ctx);
}
