/** Routes in the spec's own path syntax (`/linode/instances/{linodeId}`), matched per request. */
import type { SimState } from "./state";

export interface SimRequest {
    method: string;
    /** Path without the version prefix: `/linode/instances/123`. */
    path: string;
    params: Record<string, string>;
    query: URLSearchParams;
    body: unknown;
    /** Raw X-Filter header, when sent. */
    filter?: string;
    now: number;
    state: SimState;
}

/** A handler returns the JSON body of a 200 answer, or throws a SimError. */
export type Handler = (req: SimRequest) => unknown;

export interface Route {
    method: "GET" | "POST" | "PUT" | "DELETE";
    /** Spec path without `/{apiVersion}`. */
    path: string;
    handler: Handler;
    /** A paginated collection (counts against the collection rate limit). */
    collection?: boolean;
    /** Answered without a token, like the real API's public endpoints. */
    public?: boolean;
    /** The spec path this route implements, when it differs from `path` (an alias). */
    specPath?: string;
}

export interface CompiledRoute extends Route {
    regex: RegExp;
    names: string[];
}

export function compileRoutes(routes: Route[]): CompiledRoute[] {
    return routes.map((r) => {
        const names: string[] = [];
        const source = r.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_m, name: string) => {
            names.push(name);
            return "([^/]+)";
        });
        return { ...r, regex: new RegExp(`^${source}/?$`), names };
    });
}

export type RouteMatch = { route: CompiledRoute; params: Record<string, string> } | { methodNotAllowed: true } | undefined;

export function matchRoute(routes: CompiledRoute[], method: string, path: string): RouteMatch {
    let pathMatched = false;
    for (const route of routes) {
        const m = route.regex.exec(path);
        if (!m) continue;
        pathMatched = true;
        if (route.method !== method) continue;
        const params: Record<string, string> = {};
        route.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1] ?? "")));
        return { route, params };
    }
    return pathMatched ? { methodNotAllowed: true } : undefined;
}
