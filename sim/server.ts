/**
 * The Linode API simulator's HTTP shell: version prefix, fault injection, auth, rate limits,
 * routing, JSON in and out. State and behaviour live in the resource modules.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { DOCUMENTED_RATE_LIMITS, type RateLimits, rateRulesFor } from "../sdk/linode-api/limits";
import { defaultSimCatalog, type SimCatalog } from "./catalog";
import { catalogRoutes } from "./catalog-routes";
import { diskConfigRoutes } from "./disks-configs";
import { SimError } from "./errors";
import { eventRoutes } from "./events";
import { createFaults, type FaultController, type FaultRule, seededRandom } from "./faults";
import { firewallRoutes } from "./firewalls";
import { addInstance, instanceRoutes, type NewInstance, renderInstance } from "./instances";
import { ipRoutes } from "./ips";
import { nodeBalancerRoutes } from "./nodebalancers";
import { createServerRateLimits } from "./rate-limits";
import { compileRoutes, matchRoute, type Route } from "./router";
import { DEFAULT_TIMINGS, SimState, type SimTimings } from "./state";
import { tagRoutes } from "./tags";
import { volumeRoutes } from "./volumes";

export interface SimulatorOptions {
    /** Default 0: an ephemeral port. */
    port?: number;
    /** Default 127.0.0.1. */
    host?: string;
    /** Boot latency per Linode (booting → running). Shorthand for `timings.bootMs`. */
    bootMs?: number;
    timings?: Partial<SimTimings>;
    /** `true` (default): Linode's documented limits; `false`: none; or a custom table. */
    rateLimits?: boolean | RateLimits;
    faults?: FaultRule[];
    /** Seed of the fault dice. */
    seed?: number;
    /** When set, only this bearer token is accepted; otherwise any non-empty token is. */
    token?: string;
    catalog?: SimCatalog;
    /** One line per request, for `lct sim --verbose`. */
    log?: (line: string) => void;
    /**
     * The simulator's time in epoch ms (default `Date.now`). Tests that check a lifecycle step by
     * step pass a clock they move themselves, so a loaded machine cannot skip a state.
     */
    clock?: () => number;
}

export interface SimStats {
    requests: number;
    byStatus: Record<string, number>;
    /** Every 429 sent, injected or enforced. */
    rateLimited: number;
    /** Injected faults by kind. */
    injected: Record<string, number>;
    dropped: number;
    /** Requests per `METHOD /spec/path`. */
    byEndpoint: Record<string, number>;
}

export interface RequestLogEntry {
    at: number;
    method: string;
    path: string;
    status: number;
    filter?: string;
}

export interface RunningSimulator {
    /** Host root to give clients: `LINODE_URL`, or the Pulumi provider's `linode:url`. */
    url: string;
    port: number;
    state: SimState;
    faults: FaultController;
    stats(): SimStats;
    resetStats(): void;
    /** The most recent requests (up to 10,000), oldest first. */
    requests(): RequestLogEntry[];
    /** Adds a Linode directly in a settled state, bypassing the create rate limit. */
    addInstance(spec: NewInstance, status: "running" | "offline"): Record<string, unknown>;
    close(): Promise<void>;
}

export const ALL_ROUTES: Route[] = [
    ...instanceRoutes,
    ...ipRoutes,
    ...diskConfigRoutes,
    ...volumeRoutes,
    ...eventRoutes,
    ...tagRoutes,
    ...catalogRoutes,
    ...firewallRoutes,
    ...nodeBalancerRoutes,
];

const REQUEST_LOG_MAX = 10_000;
const BODY_MAX = 1024 * 1024;

function emptyStats(): SimStats {
    return { requests: 0, byStatus: {}, rateLimited: 0, injected: {}, dropped: 0, byEndpoint: {} };
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<RunningSimulator> {
    const timings: SimTimings = { ...DEFAULT_TIMINGS, ...opts.timings, ...(opts.bootMs === undefined ? {} : { bootMs: opts.bootMs }) };
    const state = new SimState(opts.catalog ?? defaultSimCatalog(), timings);
    const faults = createFaults(opts.faults ?? [], seededRandom(opts.seed ?? 1));
    const limits = opts.rateLimits === false ? undefined : opts.rateLimits === true || opts.rateLimits === undefined ? DOCUMENTED_RATE_LIMITS : opts.rateLimits;
    const rateLimits = createServerRateLimits();
    const routes = compileRoutes(ALL_ROUTES);
    const clock = opts.clock ?? Date.now;
    let stats = emptyStats();
    let log: RequestLogEntry[] = [];

    const record = (entry: RequestLogEntry, endpoint?: string): void => {
        stats.byStatus[entry.status] = (stats.byStatus[entry.status] ?? 0) + 1;
        if (entry.status === 429) stats.rateLimited++;
        if (endpoint) stats.byEndpoint[endpoint] = (stats.byEndpoint[endpoint] ?? 0) + 1;
        log.push(entry);
        if (log.length > REQUEST_LOG_MAX) log = log.slice(-REQUEST_LOG_MAX);
        opts.log?.(`${entry.method} ${entry.path} ${entry.status}${entry.filter ? ` X-Filter: ${entry.filter}` : ""}`);
    };

    const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
        const text = JSON.stringify(body);
        res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), ...headers });
        res.end(text);
    };

    const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
        const method = (req.method ?? "GET").toUpperCase();
        const url = new URL(req.url ?? "/", "http://sim.invalid");
        const rawFilter = req.headers["x-filter"];
        const filter = Array.isArray(rawFilter) ? rawFilter[0] : rawFilter;
        const text = await readBody(req);
        stats.requests++;
        const versioned = /^\/(v4|v4beta)(\/.*)$/.exec(url.pathname);
        const path = versioned?.[2] ?? url.pathname;
        const entry = (status: number): RequestLogEntry => ({ at: clock(), method, path, status, ...(filter === undefined ? {} : { filter }) });
        const reply = (status: number, body: unknown, headers?: Record<string, string>, endpoint?: string): void => {
            send(res, status, body, headers);
            record(entry(status), endpoint);
        };
        if (!versioned) return reply(404, { errors: [{ reason: "Not found" }] });

        const decision = faults.decide(method, path);
        if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
        const fault = decision.fault;
        if (fault) {
            stats.injected[fault.kind] = (stats.injected[fault.kind] ?? 0) + 1;
            switch (fault.kind) {
                case "drop":
                    stats.dropped++;
                    record(entry(0));
                    req.socket.destroy();
                    return;
                case "429": {
                    const retryAfter = fault.retryAfterS ?? 1;
                    return reply(429, { errors: [{ reason: "Too many requests" }] }, {
                        "Retry-After": String(retryAfter),
                        "X-RateLimit-Limit": "800",
                        "X-RateLimit-Remaining": "0",
                        "X-RateLimit-Reset": String(Math.ceil(clock() / 1000) + retryAfter),
                    });
                }
                case "408":
                    return reply(408, { errors: [{ reason: "Request Timeout" }] });
                case "500":
                    return reply(500, { errors: [{ reason: "Internal Server Error" }] });
                case "503":
                    return reply(503, { errors: [{ reason: "Service Unavailable" }] }, fault.retryAfterS === undefined ? {} : { "Retry-After": String(fault.retryAfterS) });
                case "busy":
                    return reply(400, { errors: [{ reason: "Linode busy." }] });
                default:
                    break;
            }
        }

        const now = clock();
        state.advance(now);
        const match = matchRoute(routes, method, path);
        if (!match) return reply(404, { errors: [{ reason: "Not found" }] });
        if ("methodNotAllowed" in match) return reply(405, { errors: [{ reason: "Method Not Allowed" }] });
        const { route, params } = match;
        const endpoint = `${method} ${route.specPath ?? route.path}`;

        const auth = req.headers.authorization ?? "";
        const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
        const authorized = token !== undefined && (opts.token === undefined || token === opts.token);
        if (!route.public && !authorized) return reply(401, { errors: [{ reason: "Invalid Token" }] }, {}, endpoint);

        let rateHeaders: Record<string, string> = {};
        if (limits) {
            const client = token ?? `ip ${req.socket.remoteAddress ?? "?"}`;
            const verdict = rateLimits.check(client, rateRulesFor(method, path, route.collection === true, limits), now);
            if (!verdict.ok) return reply(429, { errors: [{ reason: "Too many requests" }] }, verdict.headers, endpoint);
            rateHeaders = verdict.headers;
        }

        let body: unknown = undefined;
        if (text.trim() !== "") {
            try {
                body = JSON.parse(text);
            } catch {
                return reply(400, { errors: [{ reason: "Request body is not valid JSON" }] }, rateHeaders, endpoint);
            }
        }
        try {
            const result = route.handler({ method, path, params, query: url.searchParams, body, ...(filter === undefined ? {} : { filter }), now, state });
            reply(200, result, rateHeaders, endpoint);
        } catch (e) {
            if (e instanceof SimError) return reply(e.status, { errors: e.errors }, rateHeaders, endpoint);
            throw e;
        }
    };

    const server = http.createServer((req, res) => {
        handle(req, res).catch((e: unknown) => {
            if (!res.headersSent) send(res, 500, { errors: [{ reason: `simulator error: ${(e as Error).message}` }] });
            record({ at: clock(), method: req.method ?? "?", path: req.url ?? "?", status: 500 });
        });
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
    });
    const address = server.address() as AddressInfo;
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

    return {
        url: `http://${host}:${address.port}`,
        port: address.port,
        state,
        faults,
        stats: () => structuredClone(stats),
        resetStats: () => {
            stats = emptyStats();
            log = [];
        },
        requests: () => [...log],
        addInstance: (spec, status) => {
            const r = addInstance(state, spec, clock(), { lifecycle: false, initialStatus: status });
            return renderInstance(state, r);
        },
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

function readBody(req: http.IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (c: Buffer) => {
            size += c.length;
            if (size > BODY_MAX) {
                reject(new Error("request body too large"));
                req.destroy();
                return;
            }
            chunks.push(c);
        });
        req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        req.on("error", reject);
    });
}
