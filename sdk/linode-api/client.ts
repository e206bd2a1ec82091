/**
 * A small typed Linode API v4 client on the global `fetch`: bearer token, linodego-style base
 * URL, pagination, X-Filter, typed errors, bounded retries with back-off, client-side rate
 * limiting, per-attempt timeouts and cancellation.
 *
 * Everything here is captured by value into serialized dynamic providers: plain functions and
 * objects only — no classes, no top-level imports of packages or Node built-ins.
 */
import { type ApiEndpoint, type Env, resolveApiEndpoint, resolveToken } from "./config";
import {
    type LinodeApiError,
    type LinodeRequestError,
    linodeApiError,
    linodeRequestError,
    parseErrorBody,
    redactToken,
} from "./errors";
import { encodeFilter, type XFilter } from "./filter";
import { DOCUMENTED_RATE_LIMITS, type RateLimits, rateRulesFor } from "./limits";
import { clampPageSize, collectPages } from "./paginate";
import { type RateLimiter, sharedRateLimiter, tokenFingerprint } from "./rate-limit";
import { type AttemptOutcome, DEFAULT_RETRY_POLICY, parseRetryAfterMs, planRetry, type RetryPolicy } from "./retry";
import { anySignal, createSlots } from "./concurrency";
import { abortReason, sleep } from "./sleep";
import type { Page } from "./types";

export interface LinodeClientOptions {
    /** Defaults to `LINODE_TOKEN` from `env`. Public endpoints (regions, types) work without. */
    token?: string;
    /** Host root, e.g. `http://127.0.0.1:8080`; defaults to `LINODE_URL`, then api.linode.com. */
    url?: string;
    /** `v4` or `v4beta`; defaults to `LINODE_API_VERSION`, then `v4`. */
    apiVersion?: string;
    /** Where LINODE_* settings are read from; nothing is read from `process.env` implicitly. */
    env?: Env;
    fetch?: typeof fetch;
    /** Client-side limits; `false` disables throttling. Defaults to Linode's documented limits. */
    limits?: RateLimits | false;
    /** Defaults to a limiter shared by every client of this process with the same URL and token. */
    limiter?: RateLimiter;
    /** Extra time added to every window, for clock and latency differences. Default 1000 ms. */
    rateLimitMarginMs?: number;
    retry?: Partial<RetryPolicy>;
    /** Per attempt. Default 60 s. */
    timeoutMs?: number;
    /** Cancels every request of this client. */
    signal?: AbortSignal;
    /** Requests in flight at once; the rate limiter, not this, keeps us under Linode's limits. Default 64. */
    maxConcurrency?: number;
    onEvent?: (event: ClientEvent) => void;
    /** For tests: the jitter source. */
    random?: () => number;
    userAgent?: string;
}

export interface RequestOptions {
    signal?: AbortSignal;
    timeoutMs?: number;
    filter?: XFilter;
    query?: Record<string, string | number | boolean>;
    /**
     * Safe to repeat after an ambiguous failure (500, timeout, dropped connection). Defaults to
     * true for GET, PUT and DELETE, false for POST. Power actions (boot, shutdown) are safe.
     */
    idempotent?: boolean;
}

export interface ListOptions extends RequestOptions {
    /** 25–500; default 500 (fewest requests). */
    pageSize?: number;
}

export type ClientEvent =
    | { type: "response"; method: string; path: string; status: number; attempt: number; ms: number }
    | { type: "retry"; method: string; path: string; attempt: number; delayMs: number; cause: string }
    | { type: "throttled"; method: string; path: string; waitedMs: number };

export interface ClientStats {
    /** HTTP requests sent (attempts, retries included). */
    requests: number;
    retries: number;
    /** 429 answers received. */
    rateLimited: number;
    /** Time spent waiting for the client-side rate limiter. */
    throttledMs: number;
    byStatus: Record<string, number>;
}

export interface LinodeClient {
    readonly endpoint: ApiEndpoint;
    readonly hasToken: boolean;
    request<T>(method: string, path: string, opts?: RequestOptions & { body?: unknown; collection?: boolean }): Promise<T>;
    get<T>(path: string, opts?: RequestOptions): Promise<T>;
    /** One page of a collection. */
    page<T>(path: string, page: number, opts?: ListOptions): Promise<Page<T>>;
    /** Every item of a collection, all pages. */
    list<T>(path: string, opts?: ListOptions): Promise<T[]>;
    post<T>(path: string, body?: unknown, opts?: RequestOptions): Promise<T>;
    put<T>(path: string, body: unknown, opts?: RequestOptions): Promise<T>;
    delete<T = Record<string, never>>(path: string, opts?: RequestOptions): Promise<T>;
    stats(): ClientStats;
}

export function createLinodeClient(options: LinodeClientOptions = {}): LinodeClient {
    const env = options.env ?? {};
    const endpoint = resolveApiEndpoint({ url: options.url, apiVersion: options.apiVersion, env });
    const token = resolveToken({ token: options.token, env });
    const fetchImpl = options.fetch ?? globalThis.fetch;
    const limits = options.limits === false ? undefined : (options.limits ?? DOCUMENTED_RATE_LIMITS);
    const limiter =
        options.limiter ??
        sharedRateLimiter(`${endpoint.root} ${tokenFingerprint(token)}`, options.rateLimitMarginMs);
    const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    const defaultTimeoutMs = options.timeoutMs ?? 60_000;
    const random = options.random ?? Math.random;
    const emit = options.onEvent ?? (() => undefined);
    const slots = createSlots(options.maxConcurrency ?? 64);
    const stats: ClientStats = { requests: 0, retries: 0, rateLimited: 0, throttledMs: 0, byStatus: {} };

    const buildUrl = (path: string, query?: RequestOptions["query"]): string => {
        if (!path.startsWith("/")) throw new Error(`API path "${path}" must start with "/"`);
        const url = new URL(endpoint.baseUrl + path);
        for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, String(v));
        return url.toString();
    };

    const headersFor = (opts: RequestOptions, hasBody: boolean): Record<string, string> => {
        const h: Record<string, string> = {
            Accept: "application/json",
            "User-Agent": options.userAgent ?? "linode-cluster-toolkit",
        };
        if (token) h.Authorization = `Bearer ${token}`;
        if (hasBody) h["Content-Type"] = "application/json";
        if (opts.filter) h["X-Filter"] = encodeFilter(opts.filter);
        return h;
    };

    /** One HTTP exchange; never throws for HTTP statuses, only for cancellation. */
    const attemptOnce = async (
        method: string,
        url: string,
        init: { headers: Record<string, string>; body?: string },
        timeoutMs: number,
        callerSignals: AbortSignal[],
    ): Promise<{ outcome: AttemptOutcome; status?: number; text?: string; headers?: Headers; detail: string }> => {
        const ctrl = new AbortController();
        let timedOut = false;
        const timer = setTimeout(() => {
            timedOut = true;
            ctrl.abort(new Error(`no answer within ${timeoutMs} ms`));
        }, timeoutMs);
        const onCallerAbort = (): void => ctrl.abort(new Error("cancelled"));
        for (const s of callerSignals) s.addEventListener("abort", onCallerAbort, { once: true });
        try {
            const res = await fetchImpl(url, { method, headers: init.headers, body: init.body, signal: ctrl.signal });
            const text = await res.text();
            const retryAfterMs = parseRetryAfterMs(res.headers.get("retry-after"), Date.now());
            const reasons = res.ok ? [] : parseErrorBody(res.status, text).map((e) => e.reason);
            const outcome: AttemptOutcome = {
                kind: "response",
                status: res.status,
                reasons,
                maintenance: res.headers.has("x-maintenance-mode"),
                ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
            };
            return { outcome, status: res.status, text, headers: res.headers, detail: `HTTP ${res.status}` };
        } catch (err) {
            const aborted = callerSignals.find((s) => s.aborted);
            if (aborted) throw abortReason(aborted);
            if (timedOut) return { outcome: { kind: "timeout" }, detail: `no answer within ${timeoutMs} ms` };
            return { outcome: { kind: "network" }, detail: describeNetworkError(err) };
        } finally {
            clearTimeout(timer);
            for (const s of callerSignals) s.removeEventListener("abort", onCallerAbort);
        }
    };

    const failureError = (
        result: { outcome: AttemptOutcome; status?: number; text?: string; detail: string },
        method: string,
        path: string,
        attempts: number,
    ): LinodeApiError | LinodeRequestError => {
        if (result.status !== undefined) {
            const o = result.outcome;
            return linodeApiError({
                method,
                path,
                attempts,
                status: result.status,
                errors: parseErrorBody(result.status, result.text ?? ""),
                token,
                ...(o.kind === "response" && o.retryAfterMs !== undefined ? { retryAfterMs: o.retryAfterMs } : {}),
            });
        }
        return linodeRequestError({
            method,
            path,
            attempts,
            failure: result.outcome.kind === "timeout" ? "timeout" : "network",
            detail: result.detail,
            token,
        });
    };

    const request = async <T>(
        method: string,
        path: string,
        opts: RequestOptions & { body?: unknown; collection?: boolean } = {},
    ): Promise<T> => {
        const m = method.toUpperCase();
        const url = buildUrl(path, opts.query);
        const hasBody = opts.body !== undefined;
        const init = { headers: headersFor(opts, hasBody), body: hasBody ? JSON.stringify(opts.body) : undefined };
        const idempotent = opts.idempotent ?? m !== "POST";
        const signals = [options.signal, opts.signal].filter((s): s is AbortSignal => s !== undefined);
        const rules = limits ? rateRulesFor(m, path, opts.collection === true, limits) : [];
        const displayPath = redactToken(path, token);

        const cancelled = (attempts: number): LinodeRequestError =>
            linodeRequestError({ method: m, path: displayPath, attempts, failure: "aborted", detail: "the operation was cancelled", token });

        for (let attempt = 1; ; attempt++) {
            const caller = signals.find((s) => s.aborted);
            if (caller) throw cancelled(attempt - 1);
            let result: Awaited<ReturnType<typeof attemptOnce>>;
            try {
                const slot = rules.length > 0 ? await limiter.acquire(rules, anySignal(signals)) : undefined;
                if (slot && slot.waitedMs > 0) {
                    stats.throttledMs += slot.waitedMs;
                    emit({ type: "throttled", method: m, path: displayPath, waitedMs: slot.waitedMs });
                }
                const started = Date.now();
                try {
                    await slots.acquire(anySignal(signals));
                    try {
                        stats.requests++;
                        result = await attemptOnce(m, url, init, opts.timeoutMs ?? defaultTimeoutMs, signals);
                    } finally {
                        slots.release();
                    }
                } finally {
                    slot?.settle();
                }
                if (result.status !== undefined) {
                    stats.byStatus[result.status] = (stats.byStatus[result.status] ?? 0) + 1;
                    if (result.status === 429) stats.rateLimited++;
                    emit({ type: "response", method: m, path: displayPath, status: result.status, attempt, ms: Date.now() - started });
                }
            } catch (err) {
                if (signals.some((s) => s.aborted)) throw cancelled(attempt);
                throw err;
            }

            if (result.status !== undefined && result.status >= 200 && result.status < 300) {
                return parseJsonBody<T>(result.text ?? "", m, displayPath);
            }

            const decision = planRetry(result.outcome, attempt, idempotent, policy, random);
            if (!decision.retry) throw failureError(result, m, displayPath, attempt);
            const outcome = result.outcome;
            if (outcome.kind === "response" && outcome.status === 429 && outcome.retryAfterMs !== undefined) {
                // The server told everyone using this token to hold off, not just this request.
                limiter.pauseUntil(Date.now() + outcome.retryAfterMs);
            }
            stats.retries++;
            emit({ type: "retry", method: m, path: displayPath, attempt, delayMs: decision.delayMs, cause: result.detail });
            try {
                await sleep(decision.delayMs, anySignal(signals));
            } catch {
                throw cancelled(attempt);
            }
        }
    };

    const page = <T>(path: string, pageNo: number, opts: ListOptions = {}): Promise<Page<T>> =>
        request<Page<T>>("GET", path, {
            ...opts,
            collection: true,
            query: { ...opts.query, page: pageNo, page_size: clampPageSize(opts.pageSize) },
        });

    return {
        endpoint,
        hasToken: token !== undefined,
        request,
        get: (path, opts) => request("GET", path, opts),
        page,
        list: <T>(path: string, opts?: ListOptions) => collectPages<T>((n) => page<T>(path, n, opts)),
        post: (path, body, opts) => request("POST", path, { ...opts, body: body ?? {} }),
        put: (path, body, opts) => request("PUT", path, { ...opts, body }),
        delete: (path, opts) => request("DELETE", path, opts),
        stats: () => ({ ...stats, byStatus: { ...stats.byStatus } }),
    };
}

function parseJsonBody<T>(text: string, method: string, path: string): T {
    if (text.trim() === "") return {} as T;
    try {
        return JSON.parse(text) as T;
    } catch {
        throw new Error(`Linode API ${method} ${path} answered with a body that is not JSON: ${text.slice(0, 120)}`);
    }
}

/** undici hides the socket error in `cause`; surface the useful part. */
function describeNetworkError(err: unknown): string {
    const e = err as { message?: string; cause?: { code?: string; message?: string } };
    const cause = e?.cause?.code ?? e?.cause?.message;
    return cause ? `${e?.message ?? "fetch failed"} (${cause})` : (e?.message ?? String(err));
}
