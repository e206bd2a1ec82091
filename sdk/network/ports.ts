import type { PortRange } from "../plan/resolved";

/** Parses a plan port: 443, "443", or "8000-8010". Undefined when invalid. */
export function parsePortSpec(spec: number | string): PortRange | undefined {
    const text = String(spec).trim();
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
    if (!m) return undefined;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from < 1 || to > 65535 || from > to) return undefined;
    // Leading zeros are rejected by the Linode firewall API.
    if (/(^|-)0\d/.test(text)) return undefined;
    return { from, to };
}

/** Sorted, merged ranges (adjacent and overlapping ranges join). */
export function mergeRanges(ranges: readonly PortRange[]): PortRange[] {
    const sorted = [...ranges].sort((a, b) => a.from - b.from || a.to - b.to);
    const out: PortRange[] = [];
    for (const r of sorted) {
        const last = out[out.length - 1];
        if (last && r.from <= last.to + 1) last.to = Math.max(last.to, r.to);
        else out.push({ ...r });
    }
    return out;
}

export function formatRange(r: PortRange): string {
    return r.from === r.to ? String(r.from) : `${r.from}-${r.to}`;
}

/** Linode firewall `ports` text: "22, 80, 8000-8010". */
export function formatPorts(ranges: readonly PortRange[]): string {
    return ranges.map(formatRange).join(", ");
}

export function rangesOverlap(a: PortRange, b: PortRange): boolean {
    return a.from <= b.to && b.from <= a.to;
}

export function portInRanges(port: number, ranges: readonly PortRange[]): boolean {
    return ranges.some((r) => r.from <= port && port <= r.to);
}
