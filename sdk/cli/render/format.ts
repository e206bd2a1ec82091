import type { Money } from "../../cost/estimate";
import { formatRange } from "../../network/ports";
import type { PortRange, SourceSet } from "../../plan/resolved";

export function money(m: Money): string {
    if (m.monthly === null) return "price unknown";
    return `$${m.monthly.toFixed(2)}/month ($${(m.hourly ?? 0).toFixed(4)}/hour)`;
}

export function ports(ranges: readonly PortRange[], protocol: string): string {
    return `${ranges.map(formatRange).join(",")}/${protocol}`;
}

/** "world", "203.0.113.0/24", "us-ord/web", … — short and readable. */
export function sources(s: SourceSet, allGroups: readonly string[]): string {
    if (s.world) return "world";
    const parts: string[] = [];
    if (allGroups.length > 1 && s.groups.length === allGroups.length && allGroups.every((g) => s.groups.includes(g))) parts.push("cluster");
    else parts.push(...s.groups);
    parts.push(...s.cidrs);
    return parts.join(", ") || "nobody";
}

/** "1 node", "3 nodes": `plural(n, "node")`, with the plural form given when it is not regular. */
export function plural(n: number, one: string, many = `${one}s`): string {
    return `${n} ${n === 1 ? one : many}`;
}

export function gb(n: number): string {
    return Number.isInteger(n) ? `${n} GB` : `${n.toFixed(1)} GB`;
}
