/**
 * Builds the API client inside a provider method. The token is read here, at run time — from
 * `LINODE_TOKEN`, or the stack's `linode:token` — and never becomes an input or part of the
 * serialized closure, so a rotated token works for `pulumi destroy` without an `up` first.
 */
import { createLinodeClient, type LinodeClient } from "../linode-api/client";

/** What Pulumi hands `configure`: the stack configuration. */
export interface StackConfigLike {
    get(key: string): string | undefined;
}

/** Pulumi's placeholder for values not known during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(v: unknown): boolean {
    return v === UNKNOWN;
}

/** Pulumi resource ids are strings ("12345"); Linode ids are numbers. Accept both. */
export function coerceLinodeIds(ids: unknown): unknown {
    if (!Array.isArray(ids)) return ids;
    return ids.map((id) => (typeof id === "string" && /^\d+$/.test(id) ? Number(id) : id));
}

/** Reads `linode:<key>` from the program's runtime config, when there is one. */
function runtimeLinodeConfig(key: string): string | undefined {
    try {
        const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
        return new pulumi.Config("linode").get(key) ?? undefined;
    } catch {
        return undefined;
    }
}

export function resolveProviderSetting(
    key: "token" | "url" | "apiVersion",
    env: Record<string, string | undefined>,
    stackConfig: StackConfigLike | undefined,
): string | undefined {
    const envName = key === "token" ? "LINODE_TOKEN" : key === "url" ? "LINODE_URL" : "LINODE_API_VERSION";
    const fromEnv = env[envName]?.trim();
    if (fromEnv) return fromEnv;
    const fromStack = stackConfig?.get(`linode:${key}`);
    if (fromStack) return fromStack;
    return runtimeLinodeConfig(key);
}

export function providerClient(
    resource: string,
    inputs: { apiUrl?: string; apiVersion?: string },
    stackConfig: StackConfigLike | undefined,
): LinodeClient {
    const env = process.env;
    const token = resolveProviderSetting("token", env, stackConfig);
    if (!token) {
        throw new Error(
            `${resource} needs a Linode API token: set LINODE_TOKEN, or run \`pulumi config set --secret linode:token <token>\``,
        );
    }
    const url = inputs.apiUrl || resolveProviderSetting("url", env, stackConfig);
    const apiVersion = inputs.apiVersion || resolveProviderSetting("apiVersion", env, stackConfig);
    return createLinodeClient({
        token,
        ...(url ? { url } : {}),
        ...(apiVersion ? { apiVersion } : {}),
    });
}
