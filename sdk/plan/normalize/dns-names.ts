/** Placeholders a DNS hostname pattern may use. */
export const DNS_PLACEHOLDERS = ["cluster", "region", "group", "role", "index"] as const;

/** Fills `{group}-{index}.{region}` for one node; lower-case, as DNS names are. */
export function dnsRecordName(
    pattern: string,
    vars: { cluster: string; region: string; group: string; role: string; index: number },
): string {
    return pattern.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k as keyof typeof vars]) : m)).toLowerCase();
}

/**
 * dnsRecordName for every node of one group: the pattern is taken apart once and only `{index}`
 * is filled per node (10,000-node plans call this per node). Same result as dnsRecordName.
 */
export function dnsRecordNamer(pattern: string, vars: { cluster: string; region: string; group: string; role: string }): (index: number) => string {
    const pieces: Array<string | null> = [];
    let last = 0;
    for (const m of pattern.matchAll(/\{(\w+)\}/g)) {
        pieces.push(pattern.slice(last, m.index));
        const k = m[1]!;
        // As dnsRecordName: a known placeholder (checked with `in`, like there), else the text as it is.
        pieces.push(k === "index" ? null : k in vars ? String((vars as Record<string, unknown>)[k]) : m[0]);
        last = m.index + m[0].length;
    }
    pieces.push(pattern.slice(last));
    if (!pieces.includes(null)) {
        const fixed = pieces.join("").toLowerCase();
        return () => fixed;
    }
    return (index) => pieces.map((p) => (p === null ? String(index) : p)).join("").toLowerCase();
}

/** Placeholders in the pattern that LCT does not know. */
export function unknownPlaceholders(pattern: string): string[] {
    return [...pattern.matchAll(/\{(\w*)\}/g)].map((m) => m[1]!).filter((k) => !(DNS_PLACEHOLDERS as readonly string[]).includes(k));
}
