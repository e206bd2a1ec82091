import { describe, expect, it } from "vitest";
import { distributionToImageId, legacyTypeFor, LEGACY_REGIONS, LEGACY_TYPES, retiredImageReplacement } from "../../sdk/catalog/legacy-names";
import { bundledCatalog } from "../../sdk/catalog/load";
import { checkPlanText } from "../../sdk/plan/check";
import { isLegacyPlan, toLegacyPath, upgradeLegacyPlan } from "../../sdk/plan/legacy";
import { check, errorsOf, warningsOf } from "./helpers";

/** What the original toolkit (LinodeTool) wrote: plan names, datacenters and distribution labels. */
const ORIGINAL = [
    "name: My Web Cluster",
    "regions:",
    "  - region: us-east-1a",
    "    nodes:",
    "      - name: web",
    "        type: Linode 2048",
    "        count: 3",
    "        distribution: Ubuntu 22.04 LTS",
    "      - name: db",
    "        type: Linode 4096",
    "        count: 2",
    "        distribution: Debian 12",
    "  - region: eu-central-1a",
    "    nodes:",
    "      - name: web",
    "        type: Linode 1024",
    "        count: 1",
    "        distribution: Ubuntu 22.04 LTS",
    "",
].join("\n");

describe("the original toolkit's plan format", () => {
    it("is recognised by its `nodes` lists", () => {
        expect(isLegacyPlan({ name: "x", regions: [{ region: "us-east", nodes: [] }] })).toBe(true);
        expect(isLegacyPlan({ name: "x", regions: [{ region: "us-east", nodeGroups: [] }] })).toBe(false);
        expect(isLegacyPlan({ name: "x", regions: "nope" })).toBe(false);
        expect(isLegacyPlan(null)).toBe(false);
    });

    it("loads a realistic plan, mapping every old name to a current id and saying so", () => {
        const c = checkPlanText(ORIGINAL, { file: "linodetool.yaml" });
        expect(c.ok).toBe(true);
        expect(c.legacy).toBe(true);
        const r = c.resolved!;
        expect(r.name).toBe("my-web-cluster");
        expect(r.groups.map((g) => [g.key, g.type, g.image, g.count])).toEqual([
            ["us-east/web", "g6-standard-1", "linode/ubuntu22.04", 3],
            ["us-east/db", "g6-standard-2", "linode/debian12", 2],
            ["eu-central/web", "g6-nanode-1", "linode/ubuntu22.04", 1],
        ]);
        expect(r.nodes.map((n) => n.name)).toEqual([
            "my-web-cluster-us-east-web-1",
            "my-web-cluster-us-east-web-2",
            "my-web-cluster-us-east-web-3",
            "my-web-cluster-us-east-db-1",
            "my-web-cluster-us-east-db-2",
            "my-web-cluster-eu-central-web-1",
        ]);
        // Every mapping is reported at the user's own key and line.
        expect(warningsOf(c).filter((w) => w.rule.startsWith("legacy"))).toEqual([
            { rule: "legacy.name", path: "name", message: 'name "My Web Cluster" becomes "my-web-cluster" (names are DNS-style)', line: 1, column: 7 },
            { rule: "legacy.region", path: "regions[0].region", message: 'legacy datacenter "us-east-1a" is now region "us-east"', line: 3, column: 13 },
            { rule: "legacy.type", path: "regions[0].nodes[0].type", message: 'legacy plan "Linode 2048" is mapped to the current type "g6-standard-1"', line: 6, column: 15 },
            { rule: "legacy.image", path: "regions[0].nodes[0].distribution", message: 'distribution "Ubuntu 22.04 LTS" is image "linode/ubuntu22.04"', line: 8, column: 23 },
            { rule: "legacy.type", path: "regions[0].nodes[1].type", message: 'legacy plan "Linode 4096" is mapped to the current type "g6-standard-2"', line: 10, column: 15 },
            { rule: "legacy.image", path: "regions[0].nodes[1].distribution", message: 'distribution "Debian 12" is image "linode/debian12"', line: 12, column: 23 },
            { rule: "legacy.region", path: "regions[1].region", message: 'legacy datacenter "eu-central-1a" is now region "eu-central"', line: 13, column: 13 },
            { rule: "legacy.type", path: "regions[1].nodes[0].type", message: 'legacy plan "Linode 1024" is mapped to the current type "g6-nanode-1"', line: 16, column: 15 },
            { rule: "legacy.image", path: "regions[1].nodes[0].distribution", message: 'distribution "Ubuntu 22.04 LTS" is image "linode/ubuntu22.04"', line: 18, column: 23 },
        ]);
    });

    it("rejects retired images, naming the modern replacement, at the user's key", () => {
        const text = ORIGINAL.replace("distribution: Debian 12", "distribution: Debian 9").replace("type: Linode 1024\n        count: 1\n        distribution: Ubuntu 22.04 LTS", "type: Linode 1024\n        count: 1\n        image: linode/ubuntu16.04lts");
        const c = checkPlanText(text, { file: "old.yaml" });
        expect(c.ok).toBe(false);
        expect(errorsOf(c)).toEqual([
            {
                rule: "legacy.image",
                path: "regions[0].nodes[1].distribution",
                message: '"Debian 9" is a retired image; use "linode/debian12" (upgrading the OS is a change LCT will not make silently)',
                line: 12,
                column: 23,
            },
            {
                rule: "legacy.image",
                path: "regions[1].nodes[0].image",
                message: '"linode/ubuntu16.04lts" is a retired image; use "linode/ubuntu24.04" (upgrading the OS is a change LCT will not make silently)',
                line: 18,
                column: 16,
            },
        ]);
    });

    it("keeps an old image the catalogue still offers, with its end-of-life warning", () => {
        const c = check({ name: "old", regions: [{ region: "us-east", nodes: [{ name: "a", count: 1, distribution: "CentOS 7" }] }] });
        expect(errorsOf(c)).toEqual([]);
        expect(c.resolved!.groups[0]!.image).toBe("linode/centos7");
        expect(warningsOf(c).filter((w) => w.rule !== "security.ssh-world")).toEqual([
            { rule: "legacy.image", path: "regions[0].nodes[0].distribution", message: 'distribution "CentOS 7" is image "linode/centos7"' },
            { rule: "catalog.image-eol", path: "regions[0].nodes[0].distribution", message: 'image "linode/centos7" reached end of life on 2024-06-30; it gets no security updates' },
        ]);
    });

    it("accepts `datacenter` and `plan`, the older spellings, and reports problems at them", () => {
        const c = check({ name: "old", regions: [{ datacenter: "newark", nodes: [{ name: "web", plan: "Linode 9999", count: 0 }] }] });
        expect(errorsOf(c)).toEqual([
            { rule: "schema", path: "regions[0].nodes[0].count", message: "must be at least 1" },
            { rule: "catalog.type", path: "regions[0].nodes[0].plan", message: 'unknown Linode type "Linode 9999" (see `lct catalog types`)' },
        ]);
        expect(warningsOf(c).filter((w) => w.rule === "legacy.region")).toEqual([
            { rule: "legacy.region", path: "regions[0].datacenter", message: 'legacy datacenter "newark" is now region "us-east"' },
        ]);
    });

    it("loads a plan mixing old and current regions, keeping the current region's paths", () => {
        const c = check({
            name: "mixed",
            regions: [
                { region: "us-east-1a", nodes: [{ name: "web", count: 1 }] },
                { region: "eu-central", nodeGroups: [{ name: "api", count: 0 }] },
            ],
        });
        expect(errorsOf(c)).toEqual([{ rule: "schema", path: "regions[1].nodeGroups[0].count", message: "must be at least 1" }]);
    });

    it("suggests the legacy key a typo is aiming at, where it stands in the file", () => {
        const text = "name: old\nregions:\n  - datacentr: us-east-1a\n    nodes:\n      - { name: web, plan: Linode 1024, count: 2, distributon: Debian 12 }\n";
        const c = checkPlanText(text, { file: "old.yaml" });
        const unknown = c.issues.filter((i) => i.rule === "schema.unknown-key").map((i) => [i.path, i.message, i.line]);
        expect(unknown).toEqual([
            ["regions[0].datacentr", 'unknown key "datacentr" (did you mean "datacenter"?)', 3],
            ["regions[0].nodes[0].distributon", 'unknown key "distributon" (did you mean "distribution"?)', 5],
        ]);
    });

    it("rewrites paths quoted inside messages too", () => {
        const c = check({ name: "dup", regions: [{ region: "us-east", nodes: [{ name: "web", count: 1 }, { name: "web", count: 1 }] }] });
        expect(errorsOf(c)).toEqual([{ rule: "duplicates", path: "regions[0].nodes[1].name", message: 'duplicate group name "web" (first at regions[0].nodes[0].name)' }]);
    });
});

describe("legacy name tables", () => {
    it("map every old datacenter and plan to an id in the bundled catalogue", () => {
        const regions = new Set(bundledCatalog.regions.map((r) => r.id));
        const types = new Set(bundledCatalog.types.map((t) => t.id));
        for (const [old, id] of Object.entries(LEGACY_REGIONS)) expect(regions.has(id), old).toBe(true);
        for (const [old, id] of Object.entries(LEGACY_TYPES)) expect(types.has(id), old).toBe(true);
    });

    it("map old plans to a current type with at least as much memory", () => {
        for (const [old, id] of Object.entries(LEGACY_TYPES)) {
            const mb = /^Linode (\d+)$/.exec(old)?.[1];
            if (mb) expect(bundledCatalog.types.find((t) => t.id === id)!.memoryMb, old).toBeGreaterThanOrEqual(Number(mb));
        }
    });

    it("look plan names up regardless of case and spacing", () => {
        expect(legacyTypeFor("linode  2048")).toBe("g6-standard-1");
        expect(legacyTypeFor("Linode 3000")).toBeUndefined();
    });

    it("turn distribution labels into image ids", () => {
        expect(distributionToImageId("Ubuntu 16.04 LTS")).toBe("linode/ubuntu16.04");
        expect(distributionToImageId("Debian 9")).toBe("linode/debian9");
        expect(distributionToImageId("CentOS Stream 9")).toBe("linode/centos-stream9");
        expect(distributionToImageId("openSUSE Leap 15.6")).toBe("linode/opensuse15.6");
        expect(distributionToImageId("Arch Linux")).toBe("linode/arch");
        expect(distributionToImageId("Kali Linux")).toBe("linode/kali");
        expect(distributionToImageId("Plan 9")).toBe("Plan 9");
    });

    it("name a replacement for every retired family, and never for a current image", () => {
        expect(retiredImageReplacement("linode/ubuntu16.04lts")).toBe("linode/ubuntu24.04");
        expect(retiredImageReplacement("linode/debian9")).toBe("linode/debian12");
        expect(retiredImageReplacement("linode/centos8")).toBe("linode/rocky9");
        expect(retiredImageReplacement("linode/fedora38")).toBe("linode/fedora43");
        expect(retiredImageReplacement("linode/slackware14.2")).toBe("linode/slackware15.0");
        const current = bundledCatalog.images.map((i) => i.id).filter((id) => id !== "linode/centos7");
        expect(current.filter((id) => retiredImageReplacement(id) !== undefined)).toEqual([]);
        // Every replacement is an image the catalogue offers.
        const ids = new Set(bundledCatalog.images.map((i) => i.id));
        for (const id of ["linode/ubuntu16.04", "linode/debian8", "linode/centos6", "linode/centos-stream8", "linode/fedora30", "linode/alpine3.12", "linode/opensuse15.2", "linode/slackware14.1"]) {
            expect(ids.has(retiredImageReplacement(id)!), id).toBe(true);
        }
    });
});

describe("upgradeLegacyPlan and toLegacyPath", () => {
    it("is pure: the input is not modified", () => {
        const raw = { name: "A B", regions: [{ datacenter: "newark", nodes: [{ name: "web", plan: "Linode 1024", count: 1 }] }] };
        const before = structuredClone(raw);
        const up = upgradeLegacyPlan(raw);
        expect(raw).toEqual(before);
        expect(up.plan).toEqual({ name: "a-b", regions: [{ region: "us-east", nodeGroups: [{ name: "web", type: "g6-nanode-1", count: 1 }] }] });
    });

    it("maps current paths to the legacy document's keys", () => {
        const raw = { regions: [{ datacenter: "newark", nodes: [{ plan: "Linode 1024", distribution: "Debian 12" }] }, { region: "us-ord", nodeGroups: [] }] };
        expect(toLegacyPath(["regions", 0, "region"], raw)).toEqual(["regions", 0, "datacenter"]);
        expect(toLegacyPath(["regions", 0, "nodeGroups", 0, "type"], raw)).toEqual(["regions", 0, "nodes", 0, "plan"]);
        expect(toLegacyPath(["regions", 0, "nodeGroups", 0, "image"], raw)).toEqual(["regions", 0, "nodes", 0, "distribution"]);
        expect(toLegacyPath(["regions", 1, "nodeGroups", 0], raw)).toEqual(["regions", 1, "nodeGroups", 0]);
        expect(toLegacyPath(["name"], raw)).toEqual(["name"]);
    });
});
