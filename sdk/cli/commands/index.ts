import type { Command } from "commander";
import type { CliContext } from "../context";
import * as validate from "./validate";
import * as show from "./show";
import * as catalog from "./catalog";

/**
 * Every command group of `lct`; add one line per group. Registration modules stay light:
 * heavy dependencies (@pulumi/pulumi takes ~0.5 s to load) are required inside actions.
 */
const groups: Array<{ register(program: Command, ctx: CliContext): void }> = [validate, show, catalog];

export function registerCommands(program: Command, ctx: CliContext): void {
    for (const g of groups) g.register(program, ctx);
}
