/**
 * The actions behind `lct secret set linode-token | ssh-key` and `lct secret list`: stack
 * secrets as Pulumi secret config, handed to `pulumi config set --secret` on standard input
 * (never on a command line), never echoed, listed by name only.
 */
import * as path from "node:path";
import type { CliContext } from "../cli/context";
import { CliError, EXIT_USAGE } from "../cli/io";
import { chooseBackend, KEYS, LifecycleOptions, openSession, requirePassphrase, requirePulumiCli, requireStackName, toCliError } from "./lifecycle";
import type { ConfigEntry } from "./session";
import { readSshKeyFile, SshKeyError } from "./ssh-key";

export const SECRET_NAMES = {
    "linode-token": KEYS.token,
    "ssh-key": KEYS.adminPrivateKey,
} as const;
export type SecretName = keyof typeof SECRET_NAMES;

export interface SecretOptions extends LifecycleOptions {
    stack: string;
}

/** Why a token cannot be a Linode personal access token (without showing it), or undefined. */
export function tokenProblem(token: string): string | undefined {
    if (token === "") return "the token is empty";
    if (/\s/.test(token)) return "the token contains whitespace (copy it again, in one piece)";
    if (!/^[\x21-\x7e]+$/.test(token)) return "the token contains characters that cannot be in a Linode token";
    if (token.length > 1024) return "the token is too long to be a Linode token";
    return undefined;
}

/** Reads a secret typed at a terminal, without echo. */
function readHidden(prompt: string): Promise<string> {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    return new Promise((resolve, reject) => {
        let value = "";
        const done = (err?: Error) => {
            stdin.setRawMode(false);
            stdin.pause();
            stdin.removeListener("data", onData);
            process.stderr.write("\n");
            if (err) reject(err);
            else resolve(value);
        };
        const onData = (chunk: string) => {
            for (const c of chunk) {
                if (c === "\r" || c === "\n" || c === "\u0004") return done();
                if (c === "\u0003") return done(new CliError("cancelled", EXIT_USAGE));
                if (c === "\u007f" || c === "\b") value = value.slice(0, -1);
                else value += c;
            }
        };
        stdin.on("data", onData);
    });
}

async function readToken(arg: string | undefined, opts: SecretOptions, ctx: CliContext): Promise<string> {
    if (arg !== undefined && arg !== "-") {
        ctx.io.err(
            "warning: a token on the command line can stay in your shell history and is visible in the process list; " +
                `next time let lct read it: lct secret set linode-token --stack ${opts.stack} < file (or type it at the prompt)`,
        );
        return arg.trim();
    }
    // A terminal (the real process only): a hidden prompt. Otherwise: all of standard input.
    if (ctx.io.env === process.env && process.stdin.isTTY) return (await readHidden("Linode API token (input hidden): ")).trim();
    return (await ctx.io.readStdin()).trim();
}

export async function secretSet(name: string, value: string | undefined, opts: SecretOptions, ctx: CliContext): Promise<void> {
    const purpose = `lct secret set ${name}`;
    requirePulumiCli(ctx, purpose);
    if (!(name in SECRET_NAMES)) throw new CliError(`unknown secret "${name}": use linode-token or ssh-key`, EXIT_USAGE);
    requireStackName(opts.stack);
    // Read and check the secret before any pulumi process or file exists.
    let secret: string;
    let publicKey: string | undefined;
    let fingerprint: string | undefined;
    if (name === "linode-token") {
        secret = await readToken(value, opts, ctx);
        const p = tokenProblem(secret);
        if (p) throw new CliError(`linode-token: ${p}; nothing was stored`, EXIT_USAGE);
    } else {
        if (value === undefined || value === "-") throw new CliError("lct secret set ssh-key <path>: give the path of the private key file", EXIT_USAGE);
        let key;
        try {
            key = readSshKeyFile(path.resolve(ctx.io.cwd, value));
        } catch (e) {
            if (e instanceof SshKeyError) throw new CliError(e.message, EXIT_USAGE);
            throw e;
        }
        if (key.kind !== "private" || !key.privateKey) {
            throw new CliError(`${value} is a public key: give the private key (member sync signs in with it); its public half is taken from it`, EXIT_USAGE);
        }
        secret = key.privateKey;
        publicKey = key.publicKey;
        fingerprint = key.fingerprint;
    }
    const backend = chooseBackend(opts, ctx);
    requirePassphrase(backend, opts, ctx, purpose);
    const session = await openSession(backend, opts, ctx, purpose);
    try {
        const { stack, created } = await session.createOrSelectStack(opts.stack);
        if (created) ctx.io.err(`created stack "${opts.stack}" in ${backend.url}`);
        await session.setSecretConfig(opts.stack, SECRET_NAMES[name as SecretName], secret);
        if (publicKey) await session.setPlainConfig(stack, { [KEYS.adminPublicKeys]: JSON.stringify([publicKey]) });
    } catch (e) {
        throw toCliError(e, purpose, backend);
    }
    const what =
        name === "linode-token"
            ? `${KEYS.token} (secret)`
            : `${KEYS.adminPrivateKey} (secret) and ${KEYS.adminPublicKeys} (${publicKey!.split(" ")[0]} ${fingerprint})`;
    if (opts.json) ctx.io.out(JSON.stringify({ stack: opts.stack, secret: name, keys: name === "linode-token" ? [KEYS.token] : [KEYS.adminPrivateKey, KEYS.adminPublicKeys] }));
    else ctx.io.out(`stored ${name} for stack "${opts.stack}": ${what}`);
}

export async function secretList(opts: SecretOptions, ctx: CliContext): Promise<void> {
    const purpose = "lct secret list";
    requirePulumiCli(ctx, purpose);
    requireStackName(opts.stack);
    const backend = chooseBackend(opts, ctx);
    const session = await openSession(backend, opts, ctx, purpose);
    let config: Record<string, ConfigEntry>;
    try {
        await session.selectStack(opts.stack);
        config = await session.config(opts.stack);
    } catch (e) {
        throw toCliError(e, purpose, backend);
    }
    const known = Object.entries(SECRET_NAMES).map(([n, key]) => ({
        name: n,
        key,
        set: config[key] !== undefined,
        ...(config[key] && !config[key]!.secret ? { plaintext: true } : {}),
    }));
    const knownKeys = new Set<string>(Object.values(SECRET_NAMES));
    const other = Object.entries(config)
        .filter(([k, v]) => v.secret && !knownKeys.has(k))
        .map(([k]) => k)
        .sort();
    const tokenFromEnvironment = Boolean(ctx.io.env.LINODE_TOKEN);
    if (opts.json) {
        ctx.io.out(JSON.stringify({ stack: opts.stack, secrets: known, otherSecrets: other, tokenFromEnvironment }, null, 2));
        return;
    }
    const w = Math.max(...known.map((k) => k.name.length));
    const wk = Math.max(...known.map((k) => k.key.length));
    ctx.io.out(`secrets of stack "${opts.stack}" (names only; the values stay encrypted in the stack):`);
    for (const k of known) ctx.io.out(`  ${k.name.padEnd(w)}  ${k.key.padEnd(wk)}  ${k.set ? (k.plaintext ? "set, but in PLAIN TEXT: store it again with lct secret set" : "set") : "not set"}`);
    for (const k of other) ctx.io.out(`  ${"".padEnd(w)}  ${k.padEnd(wk)}  set (other secret config)`);
    if (tokenFromEnvironment) ctx.io.out(`LINODE_TOKEN is set in this environment${config[KEYS.token] ? " (linode:token takes precedence)" : ": it is used, as linode:token is not set"}`);
}
