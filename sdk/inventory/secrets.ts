/**
 * Keeping secrets out of every export. Pulumi state marks secrets with a signature key; with
 * `--show-secrets` (which the Automation API's `exportStack()` always passes) the plaintext
 * sits next to it. Everything LCT exports is rebuilt from known, non-secret fields; these
 * helpers drop what is marked or named like a secret from the few free-form parts (template
 * parameters) and check finished exports as a last line of defence.
 */

/** Pulumi's signature key and the value that marks a secret (`resource.SecretSig`). */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/**
 * Field names that suggest a secret: keys, passwords (pass, pwd), tokens, credentials, auth,
 * JWT signing material, salts. Deliberately wide: a dropped harmless field costs little, a
 * leaked password a lot. `pass` only as its own word part (`dbPass`, `pass_word`), not in
 * `bypass` or `passive`.
 */
export const SECRET_NAME = /key|secret|passphrase|pass(?![a-vx-z])|pwd|token|credential|private|cert|auth|jwt|salt|signing|cookie/i;

export function isSecretValue(v: unknown): boolean {
    return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/**
 * A copy without secret-marked values (at any depth) and, with `names`, without fields whose
 * name looks like a secret. Returns undefined when the value itself is a secret.
 */
export function stripSecrets(v: unknown, opts: { names?: boolean } = {}): unknown {
    if (isSecretValue(v)) return undefined;
    if (typeof v === "string") return looksLikeSecretText(v) ? undefined : v;
    if (Array.isArray(v)) return v.map((x) => stripSecrets(x, opts)).filter((x) => x !== undefined);
    if (typeof v === "object" && v !== null) {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) {
            if (opts.names && SECRET_NAME.test(k)) continue;
            const y = stripSecrets(x, opts);
            if (y !== undefined) out[k] = y;
        }
        return out;
    }
    return v;
}

const PEM_PRIVATE = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

/** Text that is a private key (PEM or OpenSSH). */
export function looksLikeSecretText(s: string): boolean {
    return PEM_PRIVATE.test(s);
}

/** Why an export must not be written (it holds a private key or a Pulumi secret), or undefined. */
export function secretLeak(text: string): string | undefined {
    if (PEM_PRIVATE.test(text)) return "it contains a private key";
    if (text.includes(SECRET_SIG)) return "it contains a Pulumi secret value";
    return undefined;
}

export class SecretLeakError extends Error {
    constructor(what: string, reason: string) {
        super(`refusing to write ${what}: ${reason}`);
        this.name = "SecretLeakError";
    }
}

/** Returns the text, or throws SecretLeakError when it holds a secret. */
export function guardExport(what: string, text: string): string {
    const leak = secretLeak(text);
    if (leak) throw new SecretLeakError(what, leak);
    return text;
}
