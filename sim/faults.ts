/**
 * Fault injection: make chosen requests fail the way the real API (or the network) does —
 * 429 with Retry-After and X-RateLimit-* headers, 408, 500, 503 (optionally with Retry-After),
 * 400 "Linode busy.", a dropped connection — or answer late. Rules match by method and path glob, fire with a probability
 * (seeded, so runs repeat) and optionally only a number of times.
 */

export const FAULT_KINDS = ["429", "408", "500", "503", "busy", "drop", "latency"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
    kind: FaultKind;
    /** Only this method (GET, POST, …). */
    method?: string;
    /** Glob on the path without version: `*` one segment's characters, `**` anything. */
    path?: string;
    /** Fire this many times, then stop. Unlimited when absent. */
    times?: number;
    /** Chance per matching request, 0–1. Default 1. */
    probability?: number;
    /** For 429: the Retry-After seconds sent (default 1); for 503: sent only when set. */
    retryAfterS?: number;
    /** For latency: added delay. */
    latencyMs?: number;
}

export function globToRegex(glob: string): RegExp {
    const source = glob
        .split("**")
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*"))
        .join(".*");
    return new RegExp(`^${source}$`);
}

/**
 * Parses the command-line form `kind[,key=value…]`, keys: p, times, path, method, retry-after,
 * ms. Examples: `429,p=0.1`, `latency,ms=200`, `503,times=2,path=/linode/instances/*\/boot`.
 */
export function parseFaultSpec(text: string): FaultRule {
    const [kindRaw, ...pairs] = text.split(",").map((s) => s.trim());
    const kind = kindRaw as FaultKind;
    if (!(FAULT_KINDS as readonly string[]).includes(kind)) {
        throw new Error(`unknown fault "${kindRaw}"; use one of ${FAULT_KINDS.join(", ")}`);
    }
    const rule: FaultRule = { kind };
    for (const pair of pairs) {
        const eq = pair.indexOf("=");
        const key = eq < 0 ? pair : pair.slice(0, eq);
        const value = eq < 0 ? "" : pair.slice(eq + 1);
        const num = (min: number, max: number): number => {
            const n = Number(value);
            if (value === "" || !Number.isFinite(n) || n < min || n > max) {
                throw new Error(`fault "${text}": ${key} must be a number from ${min} to ${max}`);
            }
            return n;
        };
        switch (key) {
            case "p":
                rule.probability = num(0, 1);
                break;
            case "times":
                rule.times = Math.round(num(1, 1e9));
                break;
            case "retry-after":
                rule.retryAfterS = Math.round(num(0, 3600));
                break;
            case "ms":
                rule.latencyMs = Math.round(num(0, 600_000));
                break;
            case "path":
                if (!value.startsWith("/")) throw new Error(`fault "${text}": path must start with /`);
                rule.path = value;
                break;
            case "method":
                rule.method = value.toUpperCase();
                break;
            default:
                throw new Error(`fault "${text}": unknown key "${key}" (use p, times, path, method, retry-after, ms)`);
        }
    }
    if (kind === "latency" && rule.latencyMs === undefined) throw new Error(`fault "${text}": latency needs ms=<milliseconds>`);
    return rule;
}

/** A small seeded PRNG (mulberry32): fault runs repeat for a given seed. */
export function seededRandom(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

export interface FaultDecision {
    latencyMs: number;
    fault?: FaultRule;
}

export interface FaultController {
    add(rule: FaultRule): void;
    clear(): void;
    list(): FaultRule[];
    /** What happens to this request; consumes one `times` of a rule that fires. */
    decide(method: string, path: string): FaultDecision;
}

export function createFaults(initial: FaultRule[], random: () => number): FaultController {
    let rules: Array<{ rule: FaultRule; regex?: RegExp; left: number }> = [];
    const add = (rule: FaultRule): void => {
        rules.push({ rule: { ...rule }, ...(rule.path ? { regex: globToRegex(rule.path) } : {}), left: rule.times ?? Infinity });
    };
    initial.forEach(add);
    return {
        add,
        clear: () => {
            rules = [];
        },
        list: () => rules.filter((r) => r.left > 0).map((r) => ({ ...r.rule })),
        decide(method, path) {
            let latencyMs = 0;
            let fault: FaultRule | undefined;
            for (const r of rules) {
                if (r.left <= 0) continue;
                if (r.rule.method && r.rule.method !== method) continue;
                if (r.regex && !r.regex.test(path)) continue;
                const isLatency = r.rule.kind === "latency";
                if (!isLatency && fault) continue;
                if (random() >= (r.rule.probability ?? 1)) continue;
                r.left--;
                if (isLatency) latencyMs += r.rule.latencyMs ?? 0;
                else fault = r.rule;
            }
            return fault ? { latencyMs, fault } : { latencyMs };
        },
    };
}
