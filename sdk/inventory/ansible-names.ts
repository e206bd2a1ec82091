/**
 * Ansible group names from cluster, region, group, role and tag values. Only `[A-Za-z0-9_]`
 * (anything else becomes `_`), always behind a prefix, so a name never starts with a digit and
 * never collides with `all` or `ungrouped`. Two values that would share a name get `_2`, `_3` …
 */
export type GroupDimension = "cluster" | "region" | "group" | "role" | "tag";

export function sanitizeGroupPart(value: string): string {
    return value.replace(/[^A-Za-z0-9_]/g, "_");
}

export const VALID_GROUP_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Hands out names per dimension, remembering which value got which name. */
export class GroupNamer {
    private readonly byValue = new Map<string, string>();
    private readonly taken = new Set<string>();
    readonly warnings: string[] = [];

    name(dimension: GroupDimension, value: string): string {
        const key = `${dimension}\u0000${value}`;
        const hit = this.byValue.get(key);
        if (hit) return hit;
        const base = `${dimension}_${sanitizeGroupPart(value)}`;
        let name = base;
        for (let i = 2; this.taken.has(name); i++) name = `${base}_${i}`;
        if (name !== base) this.warnings.push(`${dimension} "${value}" is Ansible group ${name} (${base} was taken by another ${dimension})`);
        this.byValue.set(key, name);
        this.taken.add(name);
        return name;
    }
}
