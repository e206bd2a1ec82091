/**
 * `lct cluster status|start|stop <cluster>`: the live cluster, found by its LCT tags, shown or
 * powered in boot order with the same client and logic as the ClusterPower provider.
 */
import type { Command } from "commander";
import type { CliContext } from "../context";
// Imported statically (not require()d in the action) so the command also runs under vitest,
// whose module runner cannot require() TypeScript; none of it loads Pulumi (~70 ms in all).
import { clusterPower, clusterStatus } from "./cluster-run";

export interface ClusterCommandOptions {
    json?: boolean;
    timeout: string;
    poll: string;
}

export function register(program: Command, ctx: CliContext): void {
    const cluster = program
        .command("cluster")
        .description("show or power a live cluster (nodes found by their lct:cluster tag); uses LINODE_TOKEN and LINODE_URL");
    cluster
        .command("status <cluster>")
        .description("nodes and power state per group, in boot order")
        .option("--json", "machine-readable output")
        .action(async (name: string, opts: ClusterCommandOptions) => {
            await clusterStatus(name, opts, ctx);
        });
    for (const [verb, power] of [
        ["start", "running"],
        ["stop", "stopped"],
    ] as const) {
        cluster
            .command(`${verb} <cluster>`)
            .description(
                verb === "start"
                    ? "boot group by group in boot order, waiting until each group is running"
                    : "shut down group by group in reverse boot order, waiting until each group is offline",
            )
            .option("--json", "machine-readable output")
            .option("--timeout <seconds>", "give up on a boot order after this long", "900")
            .option("--poll <ms>", "time between status polls", "3000")
            .action(async (name: string, opts: ClusterCommandOptions) => {
                await clusterPower(name, power, opts, ctx);
            });
    }
}
