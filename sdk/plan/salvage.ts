import type { z } from "zod";
import { formatPath, parsePath, PathSegment } from "./issues";

/**
 * When the schema rejects a plan, the plan rules still have things to say about the parts that
 * are fine (duplicate names, broken references, overlapping subnets…), and the user should hear
 * every problem at once. `salvage` removes what the schema rejected — the offending field or list
 * element, or the element holding a missing required field — until the rest parses, and maps
 * paths in that smaller plan back to the document.
 */
export interface Salvaged<T> {
    plan: T;
    /** Paths (in the document) of everything removed. */
    removed: string[];
    /** Paths (in the document) of required numbers replaced by a stand-in (see STAND_INS). */
    replaced: string[];
    /** The document path of a path in the salvaged plan. */
    originalPath(path: string): string;
}

/** Enough for the schema's depth (about ten levels); deeper values are shared, never edited. */
const CLONE_DEPTH = 24;
const MAX_ROUNDS = 32;
/** Required numbers no plan rule judges, replaced rather than removed so their element stays. */
const STAND_INS: Record<string, number> = { count: 1, sizeGb: 10 };

type Container = Record<string, unknown> | unknown[];

export function salvage<T>(value: unknown, schema: z.ZodType<T>): Salvaged<T> | undefined {
    const origin = new WeakMap<unknown[], number[]>();
    const root = clone(value, origin, 0);
    const removed: string[] = [];
    const replaced: string[] = [];

    const originalSegments = (segments: readonly PathSegment[]): PathSegment[] => {
        const out: PathSegment[] = [];
        let node: unknown = root;
        for (const seg of segments) {
            if (Array.isArray(node) && typeof seg === "number") {
                out.push(origin.get(node)?.[seg] ?? seg);
                node = node[seg];
            } else {
                out.push(seg);
                node = isRecord(node) ? node[seg] : undefined;
            }
        }
        return out;
    };

    for (let round = 0; round < MAX_ROUNDS; round++) {
        const parsed = schema.safeParse(root);
        if (parsed.success) {
            return { plan: parsed.data, removed, replaced, originalPath: (p) => formatPath(originalSegments(parsePath(p))) };
        }
        // Decide every removal against the current tree first: splicing shifts later indices.
        let changed = false;
        const cuts: Array<{ parent: Container; key: PathSegment; path: PathSegment[]; original: string }> = [];
        const cut = (parent: Container, path: PathSegment[]) =>
            cuts.push({ parent, key: path[path.length - 1]!, path, original: formatPath(originalSegments(path)) });
        for (const issue of parsed.error.issues) {
            const path = issue.path as PathSegment[];
            if (issue.code === "unrecognized_keys") {
                for (const key of issue.keys) {
                    const parent = at(root, path);
                    if (isRecord(parent)) cut(parent, [...path, key]);
                }
                continue;
            }
            const last = path[path.length - 1];
            const holder = at(root, path.slice(0, -1));
            if (typeof last === "string" && Object.hasOwn(STAND_INS, last) && isRecord(holder)) {
                // Keep the group (or volume) for the other rules: a bad count says nothing about its name.
                holder[last] = STAND_INS[last];
                replaced.push(formatPath(originalSegments(path)));
                changed = true;
                continue;
            }
            // A missing value cannot be removed: remove what holds it.
            let target = path;
            while (target.length > 0 && at(root, target) === undefined) target = target.slice(0, -1);
            if (target.length === 0) return undefined; // The plan itself is unusable.
            if (target.length === 1 && target[0] === "name") {
                // Plan rules never read the cluster name; a stand-in keeps the rest checkable.
                (root as Record<string, unknown>).name = "salvaged";
                changed = true;
                continue;
            }
            const parent = at(root, target.slice(0, -1));
            if (parent !== null && typeof parent === "object") cut(parent as Container, target);
        }
        if (cuts.length === 0 && !changed) return undefined;
        const seen = new Set<string>();
        const all = new Set(cuts.map((c) => formatPath(c.path)));
        const insideAnother = (path: PathSegment[]) => path.some((_, i) => i > 0 && all.has(formatPath(path.slice(0, i))));
        const ordered = cuts
            .filter((c) => {
                const k = formatPath(c.path);
                // Once, and not inside something removed in the same round.
                return !seen.has(k) && seen.add(k) && !insideAnother(c.path);
            })
            // Later indices first, so earlier splices do not move them.
            .sort((a, b) => (typeof b.key === "number" ? b.key : -1) - (typeof a.key === "number" ? a.key : -1));
        for (const c of ordered) {
            removed.push(c.original);
            if (Array.isArray(c.parent) && typeof c.key === "number") {
                c.parent.splice(c.key, 1);
                origin.get(c.parent)?.splice(c.key, 1);
            } else {
                delete (c.parent as Record<string, unknown>)[String(c.key)];
            }
        }
    }
    return undefined;
}

/** A copy of the plain data, with each list remembering its elements' original indices. */
function clone(value: unknown, origin: WeakMap<unknown[], number[]>, depth: number): unknown {
    if (depth > CLONE_DEPTH || value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) {
        const copy = value.map((v) => clone(v, origin, depth + 1));
        origin.set(
            copy,
            copy.map((_, i) => i),
        );
        return copy;
    }
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
        // defineProperty: a "__proto__" key from JSON stays a key instead of replacing the prototype.
        Object.defineProperty(copy, key, {
            value: clone((value as Record<string, unknown>)[key], origin, depth + 1),
            enumerable: true,
            writable: true,
            configurable: true,
        });
    }
    return copy;
}

function at(root: unknown, path: readonly PathSegment[]): unknown {
    let node = root;
    for (const seg of path) {
        if (node === null || typeof node !== "object") return undefined;
        node = (node as Record<string | number, unknown>)[seg];
    }
    return node;
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}
