/**
 * Linode's documented rate limits (legacy spec 4.176.0, "Linode APIv4 Rate Limits"), and which
 * of them a request counts against. The client throttles itself with these; the simulator
 * enforces the same table, so a client that obeys it never sees a 429 there.
 */

export interface Limit {
    limit: number;
    windowMs: number;
}

export interface RateLimits {
    /** Every request of a token. */
    general: Limit;
    /** Each command (method + endpoint), unless a dedicated limit applies. */
    command: Limit;
    /** Each GET of a paginated collection, unless a dedicated limit applies. */
    collection: Limit;
    createLinode: Limit;
    createVolume: Limit;
    listImages: Limit;
    stats: Limit;
}

export const DOCUMENTED_RATE_LIMITS: RateLimits = {
    general: { limit: 800, windowMs: 120_000 },
    command: { limit: 400, windowMs: 60_000 },
    collection: { limit: 200, windowMs: 60_000 },
    createLinode: { limit: 10, windowMs: 30_000 },
    createVolume: { limit: 25, windowMs: 60_000 },
    listImages: { limit: 20, windowMs: 60_000 },
    stats: { limit: 50, windowMs: 60_000 },
};

/** One counter a request is charged to. */
export interface RateRule extends Limit {
    key: string;
}

/** Same counts, shorter (or longer) windows: lets tests exercise throttling in milliseconds. */
export function scaleRateLimits(limits: RateLimits, windowScale: number): RateLimits {
    const s = (l: Limit): Limit => ({ limit: l.limit, windowMs: Math.max(1, Math.round(l.windowMs * windowScale)) });
    return {
        general: s(limits.general),
        command: s(limits.command),
        collection: s(limits.collection),
        createLinode: s(limits.createLinode),
        createVolume: s(limits.createVolume),
        listImages: s(limits.listImages),
        stats: s(limits.stats),
    };
}

/**
 * The endpoint a path belongs to: ids (numbers, IP addresses) become `{id}` so that, for
 * example, every Linode's boot action counts against one "boot" command.
 * `path` is relative to the version: `/linode/instances/123/boot`.
 */
export function endpointTemplate(path: string): string {
    const bare = path.split("?")[0] ?? "";
    return bare
        .split("/")
        .map((seg) => (/^\d+$/.test(seg) || /^[0-9a-fA-F:.]+$/.test(seg) && /[.:]/.test(seg) ? "{id}" : seg))
        .join("/")
        .replace(/\/+$/, "");
}

/** The counters a request is charged to: the general one and its most specific one. */
export function rateRulesFor(method: string, path: string, collection: boolean, limits: RateLimits): RateRule[] {
    const m = method.toUpperCase();
    const template = endpointTemplate(path);
    const rule = (key: string, l: Limit): RateRule => ({ key, limit: l.limit, windowMs: l.windowMs });
    let specific: RateRule;
    if (m === "POST" && template === "/linode/instances") specific = rule("POST /linode/instances", limits.createLinode);
    else if (m === "POST" && template === "/volumes") specific = rule("POST /volumes", limits.createVolume);
    else if (m === "GET" && template === "/images") specific = rule("GET /images", limits.listImages);
    else if (/\/stats(\/|$)/.test(template)) specific = rule(`stats ${m} ${template}`, limits.stats);
    else if (m === "GET" && collection) specific = rule(`collection GET ${template}`, limits.collection);
    else specific = rule(`command ${m} ${template}`, limits.command);
    return [rule("general", limits.general), specific];
}
