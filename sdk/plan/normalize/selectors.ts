import { parseCidr } from "../../network/cidr";
import { quote } from "../issues";
import type { SourceSet } from "../resolved";

/** What a selector can refer to: the plan's groups, and the client networks. */
export interface SelectorScope {
    groups: ReadonlyArray<{ key: string; name: string; region: string; role: string }>;
    clientCidrs: readonly string[];
}

export type SelectorResult = { ok: true; sources: SourceSet } | { ok: false; problem: string };

/**
 * Resolves one `from` selector: "cluster", "self", "world", "clients", "role:<role>",
 * "<region>/<group>", "<group>" (that name in every region), or a CIDR.
 */
export function resolveSelector(selector: string, self: string, scope: SelectorScope): SelectorResult {
    const empty = (): SourceSet => ({ groups: [], cidrs: [], world: false });
    const s = selector.trim();
    if (s === "cluster") return { ok: true, sources: { ...empty(), groups: scope.groups.map((g) => g.key) } };
    if (s === "self") return { ok: true, sources: { ...empty(), groups: [self] } };
    if (s === "world") return { ok: true, sources: { ...empty(), world: true } };
    if (s === "clients") {
        if (scope.clientCidrs.length === 0) {
            return { ok: false, problem: '"clients" is used but exposure.clientCidrs is empty' };
        }
        return { ok: true, sources: { ...empty(), cidrs: [...scope.clientCidrs] } };
    }
    if (s.startsWith("role:")) {
        const role = s.slice(5);
        const keys = scope.groups.filter((g) => g.role === role).map((g) => g.key);
        if (keys.length === 0) return { ok: false, problem: `no group has role ${quote(role)}` };
        return { ok: true, sources: { ...empty(), groups: keys } };
    }
    if (/^[0-9a-fA-F:.]+(\/\d+)?$/.test(s) && (s.includes(".") || s.includes(":"))) {
        if (!parseCidr(s)) return { ok: false, problem: `${quote(s)} is not a valid IP network` };
        return { ok: true, sources: { ...empty(), cidrs: [s] } };
    }
    if (s.includes("/")) {
        const hit = scope.groups.find((g) => g.key === s);
        if (!hit) return { ok: false, problem: `no group ${quote(s)}` };
        return { ok: true, sources: { ...empty(), groups: [hit.key] } };
    }
    const keys = scope.groups.filter((g) => g.name === s).map((g) => g.key);
    if (keys.length === 0) return { ok: false, problem: `no group named ${quote(s)}` };
    return { ok: true, sources: { ...empty(), groups: keys } };
}

/** Union of source sets, with stable order and no duplicates. */
export function mergeSources(sets: readonly SourceSet[]): SourceSet {
    return {
        groups: [...new Set(sets.flatMap((s) => s.groups))],
        cidrs: [...new Set(sets.flatMap((s) => s.cidrs))],
        world: sets.some((s) => s.world),
    };
}

/** Every selector word other than group names, for did-you-mean. */
export const SELECTOR_KEYWORDS = ["cluster", "self", "world", "clients"];
