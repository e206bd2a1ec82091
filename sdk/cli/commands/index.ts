import type { Command } from "commander";
import type { CliContext } from "../context";
import * as validate from "./validate";
import * as show from "./show";
import * as catalog from "./catalog";
import * as sim from "./sim";
import * as cluster from "./cluster";
import * as inventory from "./inventory";

/**
 * Every command group of `lct`; add one line per group. Registration modules stay light:
 * heavy dependencies (@pulumi/pulumi takes ~0.5 s to load) are required inside actions.
 */
const groups: Array<{ register(program: Command, ctx: CliContext): void }> = [validate, show, catalog, sim, cluster, inventory];

export function registerCommands(program: Command, ctx: CliContext): void {
    for (const g of groups) g.register(program, ctx);
}
