/**
 * The API's rate limits, enforced per token (or per address for anonymous calls) with fixed
 * windows, as `X-RateLimit-Reset` implies. Uses the same table as the client
 * (`sdk/linode-api/limits.ts`), so an obedient client never meets a 429 here.
 */
import type { RateRule } from "../sdk/linode-api/limits";

export interface RateVerdict {
    ok: boolean;
    /** Seconds until the exhausted window resets (when not ok). */
    retryAfterS: number;
    headers: Record<string, string>;
}

export function createServerRateLimits(): { check(client: string, rules: readonly RateRule[], now: number): RateVerdict } {
    const windows = new Map<string, { start: number; count: number }>();
    const windowOf = (key: string, rule: RateRule, now: number) => {
        let w = windows.get(key);
        if (!w || now >= w.start + rule.windowMs) {
            w = { start: now, count: 0 };
            windows.set(key, w);
        }
        return w;
    };
    return {
        check(client, rules, now) {
            const states = rules.map((rule) => ({ rule, w: windowOf(`${client} ${rule.key}`, rule, now) }));
            const exhausted = states.filter((s) => s.w.count >= s.rule.limit);
            const headersFor = (s: { rule: RateRule; w: { start: number; count: number } }): Record<string, string> => ({
                "X-RateLimit-Limit": String(s.rule.limit),
                "X-RateLimit-Remaining": String(Math.max(0, s.rule.limit - s.w.count)),
                "X-RateLimit-Reset": String(Math.ceil((s.w.start + s.rule.windowMs) / 1000)),
            });
            if (exhausted.length > 0) {
                const worst = exhausted.reduce((a, b) => (a.w.start + a.rule.windowMs >= b.w.start + b.rule.windowMs ? a : b));
                const retryAfterS = Math.max(1, Math.ceil((worst.w.start + worst.rule.windowMs - now) / 1000));
                return { ok: false, retryAfterS, headers: { ...headersFor(worst), "Retry-After": String(retryAfterS) } };
            }
            for (const s of states) s.w.count++;
            // Report the counter closest to running out, as the most useful one for the client.
            const tightest = states.reduce((a, b) => (a.rule.limit - a.w.count <= b.rule.limit - b.w.count ? a : b));
            return { ok: true, retryAfterS: 0, headers: headersFor(tightest) };
        },
    };
}
