/** Placeholders a DNS hostname pattern may use. */
export const DNS_PLACEHOLDERS = ["cluster", "region", "group", "role", "index"] as const;

/** Fills `{group}-{index}.{region}` for one node; lower-case, as DNS names are. */
export function dnsRecordName(
    pattern: string,
    vars: { cluster: string; region: string; group: string; role: string; index: number },
): string {
    return pattern.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k as keyof typeof vars]) : m)).toLowerCase();
}

/** Placeholders in the pattern that LCT does not know. */
export function unknownPlaceholders(pattern: string): string[] {
    return [...pattern.matchAll(/\{(\w*)\}/g)].map((m) => m[1]!).filter((k) => !(DNS_PLACEHOLDERS as readonly string[]).includes(k));
}
