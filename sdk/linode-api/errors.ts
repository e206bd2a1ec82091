/**
 * Typed errors of the Linode client.
 *
 * They are plain `Error` objects with a `kind` brand rather than subclasses: this code is
 * captured by value into serialized dynamic providers, and Pulumi's closure serializer loses
 * subclass prototypes (a serialized `class X extends Error` breaks `instanceof` and `message`).
 * Test with the `is…` guards, never with `instanceof`.
 */

/** One entry of the API's `{"errors": [...]}` body. */
export interface ApiErrorEntry {
    /** Dotted path of the request field at fault, when one is. */
    field?: string;
    reason: string;
}

interface RequestContext {
    method: string;
    path: string;
    /** Attempts made, retries included. */
    attempts: number;
}

/** The API answered with a non-2xx status. */
export interface LinodeApiError extends Error, RequestContext {
    kind: "linode-api";
    status: number;
    errors: ApiErrorEntry[];
    /** `field` and `reason` of the first error entry. */
    field?: string;
    reason: string;
    /** Set for 429: how long the API asked us to wait. */
    retryAfterMs?: number;
}

export type RequestFailure = "timeout" | "network" | "aborted";

/** No usable answer: the request timed out, the connection failed, or the caller cancelled. */
export interface LinodeRequestError extends Error, RequestContext {
    kind: "linode-request";
    failure: RequestFailure;
}

export const LINODE_BUSY_REASON = "Linode busy.";

/** Reads an error body; tolerates bodies that are not the API's JSON (proxies, HTML pages). */
export function parseErrorBody(status: number, text: string): ApiErrorEntry[] {
    try {
        const body = JSON.parse(text) as { errors?: unknown };
        if (Array.isArray(body.errors)) {
            const entries: ApiErrorEntry[] = [];
            for (const raw of body.errors) {
                if (raw === null || typeof raw !== "object") continue;
                const r = raw as { field?: unknown; reason?: unknown };
                const entry: ApiErrorEntry = { reason: typeof r.reason === "string" ? r.reason : "unknown error" };
                if (typeof r.field === "string" && r.field !== "") entry.field = r.field;
                entries.push(entry);
            }
            if (entries.length > 0) return entries;
        }
    } catch {
        // not JSON: fall through to a reason built from the raw text
    }
    const snippet = text.replace(/\s+/g, " ").trim().slice(0, 200);
    return [{ reason: snippet ? `HTTP ${status}: ${snippet}` : `HTTP ${status}` }];
}

/** Removes every occurrence of the token (and its bearer header form) from a text. */
export function redactToken(text: string, token: string | undefined): string {
    if (!token || token.length < 4) return text;
    return text.split(token).join("<redacted>");
}

export function linodeApiError(args: RequestContext & {
    status: number;
    errors: ApiErrorEntry[];
    retryAfterMs?: number;
    token?: string;
}): LinodeApiError {
    const first = args.errors[0] ?? { reason: `HTTP ${args.status}` };
    const detail = args.errors.map((e) => (e.field ? `${e.field}: ${e.reason}` : e.reason)).join("; ");
    const tries = args.attempts > 1 ? ` (after ${args.attempts} attempts)` : "";
    const message = redactToken(`Linode API ${args.method} ${args.path} failed with ${args.status}: ${detail}${tries}`, args.token);
    const e = new Error(message) as LinodeApiError;
    e.name = "LinodeApiError";
    e.kind = "linode-api";
    e.status = args.status;
    e.errors = args.errors;
    e.reason = first.reason;
    if (first.field !== undefined) e.field = first.field;
    e.method = args.method;
    e.path = args.path;
    e.attempts = args.attempts;
    if (args.retryAfterMs !== undefined) e.retryAfterMs = args.retryAfterMs;
    return e;
}

export function linodeRequestError(args: RequestContext & {
    failure: RequestFailure;
    detail: string;
    token?: string;
}): LinodeRequestError {
    const what =
        args.failure === "timeout" ? "timed out" : args.failure === "aborted" ? "was cancelled" : "could not connect";
    const tries = args.attempts > 1 ? ` (after ${args.attempts} attempts)` : "";
    const message = redactToken(`Linode API ${args.method} ${args.path} ${what}: ${args.detail}${tries}`, args.token);
    const e = new Error(message) as LinodeRequestError;
    e.name = "LinodeRequestError";
    e.kind = "linode-request";
    e.failure = args.failure;
    e.method = args.method;
    e.path = args.path;
    e.attempts = args.attempts;
    return e;
}

export function isLinodeApiError(e: unknown, status?: number): e is LinodeApiError {
    const k = e as Partial<LinodeApiError> | null;
    return !!k && k.kind === "linode-api" && (status === undefined || k.status === status);
}

export function isLinodeRequestError(e: unknown, failure?: RequestFailure): e is LinodeRequestError {
    const k = e as Partial<LinodeRequestError> | null;
    return !!k && k.kind === "linode-request" && (failure === undefined || k.failure === failure);
}

export function isNotFound(e: unknown): boolean {
    return isLinodeApiError(e, 404);
}

export function isBusyReason(reasons: readonly string[]): boolean {
    return reasons.some((r) => r.trim() === LINODE_BUSY_REASON);
}
