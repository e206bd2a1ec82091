/**
 * Where the API is and who calls it, resolved the way linodego (and so the Terraform and Pulumi
 * providers) does: `LINODE_URL` is the host root, `LINODE_API_VERSION` the version segment,
 * `LINODE_TOKEN` the bearer token. One environment then points every tool at the same place.
 *
 * Code here is captured by value into serialized dynamic providers: plain functions only,
 * no imports of packages or built-ins (see docs/linode-api.md, "Serialization rules").
 */

export const DEFAULT_API_ROOT = "https://api.linode.com";
export const DEFAULT_API_VERSION = "v4";

export type Env = Record<string, string | undefined>;

export interface ApiEndpoint {
    /** Scheme, host and optional path prefix, without a trailing slash. */
    root: string;
    version: string;
    /** `root + "/" + version`: every request path is appended to this. */
    baseUrl: string;
}

/** Thrown for settings that cannot work; the message says which setting and why. */
export function linodeConfigError(message: string): Error {
    const e = new Error(message);
    e.name = "LinodeConfigError";
    return e;
}

export function resolveApiEndpoint(opts: { url?: string; apiVersion?: string; env?: Env } = {}): ApiEndpoint {
    const env = opts.env ?? {};
    const rawUrl = nonEmpty(opts.url) ?? nonEmpty(env.LINODE_URL) ?? DEFAULT_API_ROOT;
    const version = nonEmpty(opts.apiVersion) ?? nonEmpty(env.LINODE_API_VERSION) ?? DEFAULT_API_VERSION;
    const source = nonEmpty(opts.url) ? "the API url" : nonEmpty(env.LINODE_URL) ? "LINODE_URL" : "the default URL";
    let parsed: URL;
    try {
        parsed = new URL(rawUrl);
    } catch {
        throw linodeConfigError(
            `${source} "${rawUrl}" is not a URL; give the host root with its scheme, e.g. http://127.0.0.1:8080`,
        );
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
        throw linodeConfigError(`${source} "${rawUrl}" must use http or https`);
    }
    const path = parsed.pathname.replace(/\/+$/, "");
    // linodego appends the version itself, so ".../v4" would become ".../v4/v4" in the official
    // tools; refusing it here keeps LCT and the providers pointed at the same place.
    if (/\/v4(beta)?$/.test(path)) {
        throw linodeConfigError(
            `${source} "${rawUrl}" ends with an API version; give the host root only ` +
                `(e.g. ${parsed.origin}) and set the version with LINODE_API_VERSION`,
        );
    }
    if (!/^v\d+(beta)?$/.test(version)) {
        throw linodeConfigError(`API version "${version}" is not of the form v4 or v4beta`);
    }
    const root = parsed.origin + path;
    return { root, version, baseUrl: `${root}/${version}` };
}

/** The bearer token: explicit value first, then `LINODE_TOKEN`. */
export function resolveToken(opts: { token?: string; env?: Env } = {}): string | undefined {
    return nonEmpty(opts.token) ?? nonEmpty(opts.env?.LINODE_TOKEN);
}

function nonEmpty(v: string | undefined): string | undefined {
    const t = v?.trim();
    return t ? t : undefined;
}
