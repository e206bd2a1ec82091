/**
 * `lct secret set linode-token [<token>|-]`, `lct secret set ssh-key <path>`, `lct secret list`:
 * a stack's secrets as Pulumi secret config — given to pulumi on standard input, never echoed,
 * listed by name only. See docs/lifecycle.md.
 */
import type { Command } from "commander";
import type { CliContext } from "../context";
import type { SecretOptions } from "../../automation/secret-commands";

function common(cmd: Command): Command {
    return cmd
        .requiredOption("--stack <name>", "the stack (created when new, for set)")
        .option("--backend <url>", "where Pulumi keeps state (default: PULUMI_BACKEND_URL, else file://~/.lct/state)")
        .option("--secrets-provider <url>", "for a new stack: encrypt its secrets with this provider instead of a passphrase")
        .option("--json", "machine-readable output (names only)");
}

export function register(program: Command, ctx: CliContext): void {
    const secret = program.command("secret").description("a stack's secrets: the Linode token and the admin SSH key (needs the pulumi CLI)");
    common(
        secret
            .command("set")
            .description("store linode-token (read from standard input or a hidden prompt when no value or '-' is given) or ssh-key <private key file>")
            .argument("<name>", "linode-token or ssh-key")
            .argument("[value]", "ssh-key: the private key file; linode-token: '-' or nothing (standard input) — a token here lands in shell history"),
    ).action(async (name: string, value: string | undefined, opts: SecretOptions) => {
        const { secretSet } = await import("../../automation/secret-commands.js");
        await secretSet(name, value, opts, ctx);
    });
    common(secret.command("list").description("which secrets a stack holds (names only)")).action(async (opts: SecretOptions) => {
        const { secretList } = await import("../../automation/secret-commands.js");
        await secretList(opts, ctx);
    });
}
