import { LEGACY_REGIONS, legacyTypeFor, retiredImageReplacement } from "../../catalog/legacy-names";
import type { CatalogIndex } from "../../catalog/catalog-index";
import { closest } from "../did-you-mean";
import { error, PlanIssue, quote, warning } from "../issues";
import type { PlanRule } from "./rule";

/** Unknown regions, types and images, checked against the catalogue on the raw document. */
export const catalogRefs: PlanRule = {
    id: "catalog",
    phase: "raw",
    check({ raw, catalog }) {
        const issues: PlanIssue[] = [];
        const obj = (v: unknown) => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
        const arr = (v: unknown) => (Array.isArray(v) ? v : []);
        const plan = obj(raw);
        if (!plan) return issues;
        const defaults = obj(plan.defaults);
        if (defaults) {
            checkType(defaults.type, "defaults.type", catalog, issues);
            checkImage(defaults.image, "defaults.image", catalog, issues);
        }
        arr(plan.regions).forEach((r, ri) => {
            const region = obj(r);
            if (!region) return;
            checkRegion(region.region, `regions[${ri}].region`, catalog, issues);
            arr(region.nodeGroups).forEach((g, gi) => {
                const group = obj(g);
                if (!group) return;
                checkType(group.type, `regions[${ri}].nodeGroups[${gi}].type`, catalog, issues);
                checkImage(group.image, `regions[${ri}].nodeGroups[${gi}].image`, catalog, issues);
            });
        });
        arr(plan.loadBalancers).forEach((lb, i) => checkRegion(obj(lb)?.region, `loadBalancers[${i}].region`, catalog, issues));
        return issues;
    },
};

function checkRegion(value: unknown, path: string, catalog: CatalogIndex, issues: PlanIssue[]): void {
    if (typeof value !== "string" || catalog.region(value)) return;
    const legacy = LEGACY_REGIONS[value.toLowerCase()];
    const hint = legacy
        ? ` (the old datacenter "${value}" is now "${legacy}")`
        : suggestion(value, catalog.catalog.regions.map((r) => r.id), "regions");
    issues.push(error("catalog.region", path, `unknown region ${quote(value)}${hint}`));
}

function checkType(value: unknown, path: string, catalog: CatalogIndex, issues: PlanIssue[]): void {
    if (typeof value !== "string" || catalog.type(value)) return;
    const legacy = legacyTypeFor(value);
    const hint = legacy
        ? ` (the old plan "${value}" is now "${legacy}")`
        : suggestion(value, catalog.catalog.types.map((t) => t.id), "types");
    issues.push(error("catalog.type", path, `unknown Linode type ${quote(value)}${hint}`));
}

function checkImage(value: unknown, path: string, catalog: CatalogIndex, issues: PlanIssue[]): void {
    if (typeof value !== "string") return;
    const image = catalog.image(value);
    if (image) {
        if (image.eol && image.eol < catalog.catalog.date) {
            issues.push(warning("catalog.image-eol", path, `image "${value}" reached end of life on ${image.eol}; it gets no security updates`));
        }
        return;
    }
    if (value.startsWith("private/")) return; // Own images are not in the public catalogue.
    const replacement = retiredImageReplacement(value);
    const hint = replacement
        ? ` (it is retired; use "${replacement}")`
        : suggestion(value, catalog.catalog.images.map((i) => i.id), "images");
    issues.push(error("catalog.image", path, `unknown image ${quote(value)}${hint}`));
}

function suggestion(value: string, ids: string[], what: string): string {
    const near = closest(value, ids) ?? closest(value.includes("/") ? value : `linode/${value}`, ids);
    return near ? ` (did you mean "${near}"?)` : ` (see \`lct catalog ${what}\`)`;
}
