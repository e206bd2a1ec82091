/**
 * `lct node create <region> <type> <image>` and `lct node delete <name>`: single secure nodes,
 * like the original LinodeTool one-liners — each a one-node plan in its own stack (node-<name>).
 * See docs/lifecycle.md.
 */
import type { Command } from "commander";
import type { CliContext } from "../context";
import type { LifecycleOptions } from "../../automation/lifecycle";
import type { NodeCreateOptions } from "../../automation/node-commands";
import { lifecycleOptions } from "./lifecycle";

const collect = (v: string, all: string[] = []) => [...all, v];

export function register(program: Command, ctx: CliContext): void {
    const node = program.command("node").description("single secure nodes, each in its own stack (needs the pulumi CLI)");
    lifecycleOptions(
        node
            .command("create")
            .description("create one hardened node: a one-node plan in ~/.lct/nodes/<name>.yaml, deployed by stack node-<name>")
            .argument("<region>", "Linode region (lct catalog regions)")
            .argument("<type>", "Linode type (lct catalog types)")
            .argument("<image>", "image (lct catalog images)")
            .option("--name <name>", "node name (default: <region>-<random>); the stack is node-<name>")
            .option("--ssh-key <path>", "an SSH key whose public half is installed for the admin user (a .pub file, or a private key: only its public half is read)")
            .option("--admin-cidr <cidr>", "who may SSH in (repeatable; default: anyone, key-only)", collect)
            // The stack runs with lct:memberSync off: an offline preview must say so to list the same resources.
            .addHelpText("after", "\nOffline, what the node's stack holds: lct preview ~/.lct/nodes/<name>.yaml --stack node-<name> --member-sync off"),
    ).action(async (region: string, type: string, image: string, opts: NodeCreateOptions) => {
        const { nodeCreate } = await import("../../automation/node-commands.js");
        await nodeCreate(region, type, image, opts, ctx);
    });
    lifecycleOptions(
        node
            .command("delete")
            .description("delete a node created with lct node create (destroys stack node-<name>)")
            .argument("<name>", "node name")
            .option("--yes", "really delete")
            .option("--remove", "also remove the stack and the node's plan file"),
    ).action(async (name: string, opts: LifecycleOptions & { yes?: boolean; remove?: boolean }) => {
        const { nodeDelete } = await import("../../automation/node-commands.js");
        await nodeDelete(name, opts, ctx);
    });
}
