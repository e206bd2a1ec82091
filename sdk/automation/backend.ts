/**
 * Where LCT keeps Pulumi state and how stack secrets are encrypted. Pure, apart from creating
 * the state folder: commands decide everything here before a `pulumi` process runs.
 *
 * - Backend: `--backend <url>`, else `PULUMI_BACKEND_URL`, else a file backend under the
 *   user's home (`file://~/.lct/state`), so that a first `lct up` needs no Pulumi account.
 * - Secrets: the file (and every self-managed) backend encrypts stack secrets with a passphrase
 *   that only the user holds (`PULUMI_CONFIG_PASSPHRASE` or `PULUMI_CONFIG_PASSPHRASE_FILE`).
 *   LCT never invents, stores or prints one: without it, commands stop and say how to set it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const DEFAULT_BACKEND = "file://~/.lct/state";

export interface Backend {
    /** The URL handed to pulumi (PULUMI_BACKEND_URL), with `~` expanded. */
    url: string;
    /** Where the choice came from. */
    source: "flag" | "env" | "default";
    /** Pulumi Cloud (or a self-hosted Pulumi service) keeps secrets itself; every other backend uses a passphrase by default. */
    kind: "file" | "service" | "self-managed";
    /** For file backends: the folder. */
    dir?: string;
}

/** The user's home (HOME of the command's environment first, so tests and sudo keep theirs). */
export function homeDir(env: NodeJS.ProcessEnv): string {
    return env.HOME || env.USERPROFILE || os.homedir();
}

/** LCT's own folder: `~/.lct` (node plans, the default state). */
export function lctHome(env: NodeJS.ProcessEnv): string {
    return path.join(homeDir(env), ".lct");
}

export class BackendError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "BackendError";
    }
}

/** Chooses the backend: flag, then PULUMI_BACKEND_URL, then LCT's default file backend. */
export function resolveBackend(flag: string | undefined, env: NodeJS.ProcessEnv): Backend {
    const given = flag ?? (env.PULUMI_BACKEND_URL || undefined);
    const source: Backend["source"] = flag !== undefined ? "flag" : given !== undefined ? "env" : "default";
    const raw = (given ?? DEFAULT_BACKEND).trim();
    if (raw === "") throw new BackendError("--backend: empty URL");
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw)?.[1]?.toLowerCase();
    if (!scheme) {
        throw new BackendError(
            `backend "${raw}" is not a URL: use file://<folder> (e.g. ${DEFAULT_BACKEND}), s3://…, azblob://…, gs://…, or https://api.pulumi.com`,
        );
    }
    if (scheme === "file") {
        let rest = raw.slice("file://".length);
        if (rest === "~" || rest.startsWith("~/")) rest = path.join(homeDir(env), rest.slice(1));
        if (!path.isAbsolute(rest)) throw new BackendError(`backend "${raw}": a file backend needs an absolute folder (file:///path or file://~/path)`);
        const dir = path.normalize(rest);
        return { url: `file://${dir}`, source, kind: "file", dir };
    }
    if (scheme === "https" || scheme === "http") return { url: raw, source, kind: "service" };
    return { url: raw, source, kind: "self-managed" };
}

/** Creates a file backend's folder (private to the user) when it is missing. */
export function ensureBackendDir(backend: Backend): void {
    if (backend.kind !== "file" || !backend.dir) return;
    try {
        fs.mkdirSync(backend.dir, { recursive: true, mode: 0o700 });
    } catch (e) {
        throw new BackendError(`cannot create the state folder ${backend.dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (!fs.statSync(backend.dir).isDirectory()) throw new BackendError(`the state location ${backend.dir} is not a folder`);
}

export const PASSPHRASE_HELP =
    "stack secrets (the Linode token, the admin private key) are encrypted with a passphrase only you hold. " +
    "Put one in a file readable only by you and point PULUMI_CONFIG_PASSPHRASE_FILE at it " +
    "(umask 077; openssl rand -base64 24 > ~/.lct/passphrase; export PULUMI_CONFIG_PASSPHRASE_FILE=~/.lct/passphrase), " +
    "or export PULUMI_CONFIG_PASSPHRASE; every later command on the stack needs the same one. " +
    "Or create the stack with --secrets-provider (awskms://…, azurekeyvault://…, gcpkms://…, hashivault://…), " +
    "or use Pulumi Cloud (--backend https://api.pulumi.com)";

/**
 * Why secrets cannot be handled with this backend and environment, or undefined when they can.
 * Only Pulumi Cloud and an explicit secrets provider need no passphrase.
 */
export function passphraseProblem(backend: Backend, env: NodeJS.ProcessEnv, opts: { secretsProvider?: string; cwd?: string } = {}): string | undefined {
    const { secretsProvider } = opts;
    if (backend.kind === "service" || (secretsProvider !== undefined && secretsProvider !== "passphrase")) return undefined;
    const given = env.PULUMI_CONFIG_PASSPHRASE_FILE;
    const value = env.PULUMI_CONFIG_PASSPHRASE;
    if (given !== undefined && given !== "") {
        const file = path.resolve(opts.cwd ?? process.cwd(), given);
        let stat: fs.Stats;
        try {
            stat = fs.statSync(file);
        } catch {
            return `PULUMI_CONFIG_PASSPHRASE_FILE names ${file}, which does not exist: ${PASSPHRASE_HELP}`;
        }
        if (!stat.isFile()) return `PULUMI_CONFIG_PASSPHRASE_FILE names ${file}, which is not a file: ${PASSPHRASE_HELP}`;
        if (stat.size === 0) return `PULUMI_CONFIG_PASSPHRASE_FILE names ${file}, which is empty: an empty passphrase protects nothing; ${PASSPHRASE_HELP}`;
        return undefined;
    }
    if (value === undefined) return `no passphrase is set for the ${backend.kind === "file" ? "file" : "self-managed"} backend ${backend.url}: ${PASSPHRASE_HELP}`;
    if (value === "") return `PULUMI_CONFIG_PASSPHRASE is empty: an empty passphrase protects nothing; ${PASSPHRASE_HELP}`;
    return undefined;
}

/**
 * Stack names: Pulumi's rules (letters, digits, `-`, `_`, `.`, at most 100 characters), or a
 * fully qualified `org/project/stack`.
 */
export function stackNameProblem(name: string): string | undefined {
    const part = /^[A-Za-z0-9_.-]{1,100}$/;
    const parts = name.split("/");
    if (parts.length !== 1 && parts.length !== 3) return `stack name "${name}": use a name (dev, prod-eu) or org/project/stack`;
    if (!parts.every((p) => part.test(p))) return `stack name "${name}": letters, digits, "-", "_" and "." only, at most 100 characters`;
    return undefined;
}
