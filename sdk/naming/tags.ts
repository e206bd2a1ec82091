/**
 * LCT's tag vocabulary. Every taggable resource carries `lct:cluster=<name>`; nodes also carry
 * region, group, role and boot order, so a live cluster describes itself to `lct cluster`,
 * inventory queries and Ansible without any state file.
 */
export const TAG_PREFIX = "lct:";

export type LctTagKey = "cluster" | "region" | "group" | "role" | "boot-order";

/** Linode tags are 3–50 characters. */
export const TAG_MIN = 3;
export const TAG_MAX = 50;

export function lctTag(key: LctTagKey, value: string | number): string {
    return `${TAG_PREFIX}${key}=${value}`;
}

/** Reads `lct:<key>=<value>` back from a tag list; undefined when absent. */
export function readLctTag(tags: readonly string[], key: LctTagKey): string | undefined {
    const prefix = `${TAG_PREFIX}${key}=`;
    const hit = tags.find((t) => t.startsWith(prefix));
    return hit === undefined ? undefined : hit.slice(prefix.length);
}

/** Why a tag breaks Linode's rules, or undefined when it is fine. */
export function tagProblem(tag: string): string | undefined {
    // JSON-quoted and shortened: the tag may be long or hold control characters.
    const shown = JSON.stringify(tag.length > 64 ? `${tag.slice(0, 63)}…` : tag);
    if (tag.length < TAG_MIN || tag.length > TAG_MAX) {
        return `tag ${shown} is ${tag.length} character${tag.length === 1 ? "" : "s"}; Linode tags are ${TAG_MIN}–${TAG_MAX}`;
    }
    if (/[\u0000-\u001f\u007f]/.test(tag)) return `tag ${shown} contains control characters`;
    return undefined;
}

/** Tags of a node: LCT tags first, then the plan's and the group's own, without duplicates. */
export function nodeTags(args: {
    cluster: string;
    region: string;
    group: string;
    role: string;
    bootOrder: number;
    extra: readonly string[];
}): string[] {
    return dedupe([
        lctTag("cluster", args.cluster),
        lctTag("region", args.region),
        lctTag("group", args.group),
        lctTag("role", args.role),
        lctTag("boot-order", args.bootOrder),
        ...args.extra,
    ]);
}

export function dedupe(tags: readonly string[]): string[] {
    return [...new Set(tags)];
}
