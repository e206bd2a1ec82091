import { didYouMean } from "./did-you-mean";
import { distributionToImageId, LEGACY_REGIONS, legacyTypeFor, retiredImageReplacement } from "../catalog/legacy-names";
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

export interface LegacyOptions {
    /**
     * Whether the catalogue still lists an image: an old image that is still offered (with an
     * end-of-life warning from the catalogue rule) is kept rather than rejected as retired.
     */
    knownImage?: (id: string) => boolean;
}

/** Upgrades a legacy plan to the current format, recording every name it had to change. */
export function upgradeLegacyPlan(raw: Record<string, unknown>, opts: LegacyOptions = {}): LegacyUpgrade {
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
            region.nodeGroups = nodes.map((n, ni) => upgradeNode(n, ["regions", ri, "nodes", ni], issues, opts));
        }
        return region;
    });
    return { plan, issues };
}

function upgradeNode(node: unknown, path: PathSegment[], issues: PlanIssue[], opts: LegacyOptions): unknown {
    if (!isObject(node)) return node;
    const { distribution, plan: planName, ...rest } = node;
    const group: Record<string, unknown> = { ...rest };
    if (typeof rest.name === "string") group.name = slugified(rest.name, [...path, "name"], issues);
    const type = rest.type ?? planName;
    if (type !== undefined) group.type = mapType(type, [...path, rest.type !== undefined ? "type" : "plan"], issues);
    const image = rest.image ?? distribution;
    delete group.image;
    if (image !== undefined) {
        const mapped = mapImage(image, [...path, rest.image !== undefined ? "image" : "distribution"], issues, opts);
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
    const mapped = legacyTypeFor(value);
    if (mapped === undefined) return value;
    issues.push(warning("legacy.type", formatPath(path), `legacy plan "${value}" is mapped to the current type "${mapped}"`));
    return mapped;
}

function mapImage(value: unknown, path: PathSegment[], issues: PlanIssue[], opts: LegacyOptions): unknown {
    if (typeof value !== "string") return value;
    const id = value.includes("/") ? value : distributionToImageId(value);
    const replacement = opts.knownImage?.(id) ? undefined : retiredImageReplacement(id);
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

/**
 * Maps a current-format path back to the legacy document `raw`, so issues name the user's keys
 * (`nodes`, `datacenter`, `plan`, `distribution`) and point at their text. Regions already in the
 * current format (a plan may mix both) keep their paths.
 */
export function toLegacyPath(path: readonly PathSegment[], raw: unknown): PathSegment[] {
    const out = [...path];
    const ri = out[1];
    if (out[0] !== "regions" || typeof ri !== "number" || !isObject(raw) || !Array.isArray(raw.regions)) return out;
    const region: unknown = raw.regions[ri];
    if (!isObject(region) || !("nodes" in region) || "nodeGroups" in region) return out;
    if (out[2] === "region" && region.region === undefined && "datacenter" in region) out[2] = "datacenter";
    if (out[2] !== "nodeGroups") return out;
    out[2] = "nodes";
    const ni = out[3];
    const node: unknown = Array.isArray(region.nodes) && typeof ni === "number" ? region.nodes[ni] : undefined;
    if (isObject(node)) {
        if (out[4] === "type" && node.type === undefined && "plan" in node) out[4] = "plan";
        if (out[4] === "image" && node.image === undefined && "distribution" in node) out[4] = "distribution";
    }
    return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Keys of the original format, which a typo in a legacy plan is most likely aiming at. */
const LEGACY_KEYS = { region: ["region", "datacenter", "nodes"], node: ["name", "type", "plan", "count", "distribution", "image"] } as const;

/**
 * For an unknown key at a legacy path (`regions[0].nodes[1].distributon`), the legacy key it is
 * probably meant to be, as " (did you mean …?)", or "".
 */
export function legacyKeySuggestion(path: readonly PathSegment[]): string {
    const key = path[path.length - 1];
    if (typeof key !== "string" || path[0] !== "regions") return "";
    if (path.length === 3) return didYouMean(key, LEGACY_KEYS.region);
    if (path.length === 5 && path[2] === "nodes") return didYouMean(key, LEGACY_KEYS.node);
    return "";
}
