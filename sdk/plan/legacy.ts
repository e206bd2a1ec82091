import {
    distributionToImageId,
    LEGACY_REGIONS,
    LEGACY_TYPES,
    retiredImageReplacement,
} from "../catalog/legacy-names";
import { error, formatPath, PathSegment, PlanIssue, warning } from "./issues";

/**
 * The original toolkit's plan format:
 * `{ name, regions: [{ region | datacenter, nodes: [{ name, type | plan, count, distribution | image }] }] }`.
 */
export function isLegacyPlan(raw: unknown): boolean {
    if (!isObject(raw) || !Array.isArray(raw.regions)) return false;
    return raw.regions.some((r) => isObject(r) && "nodes" in r && !("nodeGroups" in r));
}

export interface LegacyUpgrade {
    plan: Record<string, unknown>;
    /** Notices (what was mapped) and errors (what cannot be), at legacy paths. */
    issues: PlanIssue[];
}

/** Upgrades a legacy plan to the current format, recording every name it had to change. */
export function upgradeLegacyPlan(raw: Record<string, unknown>): LegacyUpgrade {
    const issues: PlanIssue[] = [];
    const plan: Record<string, unknown> = { ...raw };
    if (typeof raw.name === "string") plan.name = slugified(raw.name, ["name"], issues);
    plan.regions = (raw.regions as unknown[]).map((r, ri) => {
        if (!isObject(r)) return r;
        const { nodes, datacenter, ...rest } = r;
        const region: Record<string, unknown> = { ...rest };
        const regionValue = rest.region ?? datacenter;
        const regionKey = rest.region !== undefined ? "region" : "datacenter";
        region.region = mapRegion(regionValue, ["regions", ri, regionKey], issues);
        if (Array.isArray(nodes)) {
            region.nodeGroups = nodes.map((n, ni) => upgradeNode(n, ["regions", ri, "nodes", ni], issues));
        }
        return region;
    });
    return { plan, issues };
}

function upgradeNode(node: unknown, path: PathSegment[], issues: PlanIssue[]): unknown {
    if (!isObject(node)) return node;
    const { distribution, plan: planName, ...rest } = node;
    const group: Record<string, unknown> = { ...rest };
    if (typeof rest.name === "string") group.name = slugified(rest.name, [...path, "name"], issues);
    const type = rest.type ?? planName;
    if (type !== undefined) group.type = mapType(type, [...path, rest.type !== undefined ? "type" : "plan"], issues);
    const image = rest.image ?? distribution;
    delete group.image;
    if (image !== undefined) {
        const mapped = mapImage(image, [...path, rest.image !== undefined ? "image" : "distribution"], issues);
        if (mapped !== undefined) group.image = mapped;
    }
    return group;
}

function mapRegion(value: unknown, path: PathSegment[], issues: PlanIssue[]): unknown {
    if (typeof value !== "string") return value;
    const mapped = LEGACY_REGIONS[value.toLowerCase()];
    if (mapped === undefined) return value;
    issues.push(warning("legacy.region", formatPath(path), `legacy datacenter "${value}" is now region "${mapped}"`));
    return mapped;
}

function mapType(value: unknown, path: PathSegment[], issues: PlanIssue[]): unknown {
    if (typeof value !== "string") return value;
    const mapped = LEGACY_TYPES[value];
    if (mapped === undefined) return value;
    issues.push(warning("legacy.type", formatPath(path), `legacy plan "${value}" is mapped to the current type "${mapped}"`));
    return mapped;
}

function mapImage(value: unknown, path: PathSegment[], issues: PlanIssue[]): unknown {
    if (typeof value !== "string") return value;
    const id = value.includes("/") ? value : distributionToImageId(value);
    const replacement = retiredImageReplacement(id);
    if (replacement !== undefined) {
        issues.push(
            error(
                "legacy.image",
                formatPath(path),
                `"${value}" is a retired image; use "${replacement}" (upgrading the OS is a change LCT will not make silently)`,
            ),
        );
        return undefined;
    }
    if (id !== value) issues.push(warning("legacy.image", formatPath(path), `distribution "${value}" is image "${id}"`));
    return id;
}

function slugified(name: string, path: PathSegment[], issues: PlanIssue[]): string {
    const slug = name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^[^a-z]+/, "")
        .replace(/-+$/, "");
    if (slug !== name && slug.length > 0) {
        issues.push(warning("legacy.name", formatPath(path), `name "${name}" becomes "${slug}" (names are DNS-style)`));
        return slug;
    }
    return name;
}

/** Maps a current-format path back to the legacy document, so issues point at the user's text. */
export function toLegacyPath(path: readonly PathSegment[]): PathSegment[] {
    return path.map((seg, i) => (seg === "nodeGroups" && path[i - 2] === "regions" ? "nodes" : seg));
}

function isObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}
