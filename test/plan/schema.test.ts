import * as fs from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import { clusterPlan, clusterPlanJsonSchema, clusterPlanJsonSchemaText, JSON_SCHEMA_ID } from "../../sdk/plan/schema";
import { renderTemplate } from "../../sdk/templates/render";
import { basePlan, check, errorsOf, planWith } from "./helpers";

const ROOT = path.join(__dirname, "..", "..");
const g = (p: any) => p.regions[0].nodeGroups[0];

describe("schema: structure and types", () => {
    it("accepts the minimal plan and fills the schema defaults", () => {
        const parsed = clusterPlan.parse(basePlan());
        expect(parsed.privateNetwork).toBe("auto");
        const full = clusterPlan.parse(planWith((p) => (p.defaults = {})));
        expect(full.defaults).toEqual({
            image: "linode/debian12",
            type: "g6-standard-2",
            adminUser: "ops",
            sshKeys: [],
            hardening: "baseline",
            configMethod: "cloud-init",
        });
    });

    it("requires name and regions, naming each missing key", () => {
        expect(errorsOf(check({}))).toEqual([
            { rule: "schema", path: "name", message: "is required" },
            { rule: "schema", path: "regions", message: "is required" },
        ]);
    });

    it("rejects a top level that is not a mapping, saying what it found", () => {
        expect(errorsOf(check(null))).toEqual([{ rule: "schema", path: "", message: "must be a mapping (found null)" }]);
        expect(errorsOf(check([]))).toEqual([{ rule: "schema", path: "", message: "must be a mapping (found a list)" }]);
        expect(errorsOf(check(42))).toEqual([{ rule: "schema", path: "", message: "must be a mapping (found 42)" }]);
    });

    it("reports unknown keys at every level with a did-you-mean", () => {
        const c = check(
            planWith((p) => {
                p.regoins = [];
                p.regions[0].nodeGroup = [];
                g(p).cuont = 3;
                p.exposure.adminCIDRs = [];
            }),
        );
        expect(errorsOf(c)).toEqual([
            { rule: "schema.unknown-key", path: "exposure.adminCIDRs", message: 'unknown key "adminCIDRs" (did you mean "adminCidrs"?)' },
            { rule: "schema.unknown-key", path: "regions[0].nodeGroup", message: 'unknown key "nodeGroup" (did you mean "nodeGroups"?)' },
            { rule: "schema.unknown-key", path: "regions[0].nodeGroups[0].cuont", message: 'unknown key "cuont" (did you mean "count"?)' },
            { rule: "schema.unknown-key", path: "regoins", message: 'unknown key "regoins" (did you mean "regions"?)' },
        ]);
    });

    it("offers no suggestion for a key that resembles nothing", () => {
        expect(errorsOf(check(planWith((p) => (p.zzzzzz = 1))))).toEqual([{ rule: "schema.unknown-key", path: "zzzzzz", message: 'unknown key "zzzzzz"' }]);
    });

    it("names the expected and the found type", () => {
        const c = check(
            planWith((p) => {
                g(p).count = "3";
                g(p).antiAffinity = "yes";
                p.tags = "web";
                p.regions[0].tags = [5];
            }),
        );
        expect(errorsOf(c)).toEqual([
            { rule: "schema", path: "regions[0].nodeGroups[0].antiAffinity", message: 'must be true or false (found "yes")' },
            { rule: "schema", path: "regions[0].nodeGroups[0].count", message: 'must be a number (found "3")' },
            { rule: "schema", path: "regions[0].tags[0]", message: "must be a string (found 5)" },
            { rule: "schema", path: "tags", message: 'must be a list (found "web")' },
        ]);
    });

    it("suggests the closest enum value", () => {
        const c = check(planWith((p) => (p.defaults = { hardening: "strcit", configMethod: "cloudinit" })));
        expect(errorsOf(c)).toEqual([
            { rule: "schema", path: "defaults.configMethod", message: '"cloudinit" is not one of "cloud-init", "stackscript" (did you mean "cloud-init"?)' },
            { rule: "schema", path: "defaults.hardening", message: '"strcit" is not one of "baseline", "strict", "none" (did you mean "strict"?)' },
        ]);
    });

    it("rejects empty region and group lists", () => {
        expect(errorsOf(check(planWith((p) => (p.regions = []))))).toEqual([{ rule: "schema", path: "regions", message: "a plan needs at least one region" }]);
        expect(errorsOf(check(planWith((p) => (p.regions[0].nodeGroups = []))))).toEqual([
            { rule: "schema", path: "regions[0].nodeGroups", message: "a region needs at least one node group" },
        ]);
    });
});

describe("schema: counts", () => {
    it.each([
        [1, []],
        [10_000, []],
    ])("accepts count %s", (count, expected) => {
        expect(errorsOf(check(planWith((p) => (g(p).count = count))))).toEqual(expected);
    });

    it.each([
        [0, "must be at least 1"],
        [-3, "must be at least 1"],
        [1.5, "must be a whole number (found 1.5)"],
        [10_001, "must be at most 10000 (LCT plans at most 10000 nodes per cluster)"],
    ])("rejects count %s", (count, message) => {
        expect(errorsOf(check(planWith((p) => (g(p).count = count))))).toEqual([{ rule: "schema", path: "regions[0].nodeGroups[0].count", message }]);
    });
});

describe("schema: names", () => {
    it.each([
        ["Bad_Name", 'cluster name must be lower-case letters, digits and "-", starting with a letter and not ending with "-"'],
        ["1st", 'cluster name must be lower-case letters, digits and "-", starting with a letter and not ending with "-"'],
        ["web-", 'cluster name must be lower-case letters, digits and "-", starting with a letter and not ending with "-"'],
        ["a--b", 'cluster name must not contain "--"'],
        ["a".repeat(33), "cluster name must be at most 32 characters"],
        ["", "cluster name must not be empty"],
    ])("rejects the cluster name %j", (name, message) => {
        expect(errorsOf(check(planWith((p) => (p.name = name))))).toContainEqual({ rule: "schema", path: "name", message });
    });

    it("limits group names to 24 characters and accepts 24", () => {
        expect(errorsOf(check(planWith((p) => (g(p).name = "a".repeat(24)))))).toEqual([]);
        expect(errorsOf(check(planWith((p) => (g(p).name = "a".repeat(25)))))).toEqual([
            { rule: "schema", path: "regions[0].nodeGroups[0].name", message: "group name must be at most 24 characters" },
        ]);
    });
});

describe("schema: ports, networks, storage and the rest", () => {
    it("accepts every port form and rejects malformed ones, each at its index", () => {
        expect(errorsOf(check(planWith((p) => (g(p).publicPorts = [443, "8000-8010", { port: 53, protocol: "udp" }, { port: "60000-61000" }]))))).toEqual([]);
        const c = check(planWith((p) => (g(p).publicPorts = [0, "8000-7000", "080", 65536, { port: 53, protocol: "sctp" }, true])));
        const bad = 'a port is a number 1–65535 or a range like "8000-8010" (low-high, no leading zeros)';
        const entry = 'a port entry is 443, "8000-8010", or { port: 53, protocol: udp }';
        expect(errorsOf(c)).toEqual([
            { rule: "schema", path: "regions[0].nodeGroups[0].publicPorts[0]", message: bad },
            { rule: "schema", path: "regions[0].nodeGroups[0].publicPorts[1]", message: bad },
            { rule: "schema", path: "regions[0].nodeGroups[0].publicPorts[2]", message: bad },
            { rule: "schema", path: "regions[0].nodeGroups[0].publicPorts[3]", message: bad },
            { rule: "schema", path: "regions[0].nodeGroups[0].publicPorts[4]", message: entry },
            { rule: "schema", path: "regions[0].nodeGroups[0].publicPorts[5]", message: entry },
        ]);
    });

    it("requires at least one port per service and one source when `from` is given", () => {
        const c = check(planWith((p) => (g(p).services = [{ name: "a", ports: [] }, { name: "b", ports: [1], from: [] }])));
        expect(errorsOf(c)).toEqual([
            { rule: "schema", path: "regions[0].nodeGroups[0].services[0].ports", message: "a service needs at least one port" },
            { rule: "schema", path: "regions[0].nodeGroups[0].services[1].from", message: "`from` needs at least one source; omit it to allow the whole cluster" },
        ]);
    });

    it("checks IP networks", () => {
        expect(errorsOf(check(planWith((p) => (p.exposure.adminCidrs = ["203.0.113.0/24", "2001:db8::/32", "198.51.100.7"]))))).toEqual([]);
        const c = check(planWith((p) => (p.exposure.adminCidrs = ["300.1.1.1/8", "10.0.0.0/33", 5])));
        const msg = "not an IP network: expected an IPv4 or IPv6 address with an optional /prefix, like 203.0.113.0/24";
        expect(errorsOf(c)).toEqual([
            { rule: "schema", path: "exposure.adminCidrs[0]", message: msg },
            { rule: "schema", path: "exposure.adminCidrs[1]", message: msg },
            { rule: "schema", path: "exposure.adminCidrs[2]", message: "must be a string (found 5)" },
        ]);
    });

    it("bounds volume sizes to 10–16,384 GB", () => {
        const vol = (sizeGb: unknown) => planWith((p) => (g(p).storage = [{ name: "data", sizeGb, mountPath: "/data" }]));
        expect(errorsOf(check(vol(10)))).toEqual([]);
        expect(errorsOf(check(vol(16_384)))).toEqual([]);
        const path = "regions[0].nodeGroups[0].storage[0].sizeGb";
        expect(errorsOf(check(vol(9)))).toEqual([{ rule: "schema", path, message: "Block Storage volumes are at least 10 GB" }]);
        expect(errorsOf(check(vol(16_385)))).toEqual([{ rule: "schema", path, message: "Block Storage volumes are at most 16,384 GB (16 TB)" }]);
        expect(errorsOf(check(vol(10.5)))).toEqual([{ rule: "schema", path, message: "must be a whole number (found 10.5)" }]);
    });

    it("requires absolute mount paths that are not / and have no ..", () => {
        const c = check(
            planWith(
                (p) =>
                    (g(p).storage = [
                        { name: "a", sizeGb: 10, mountPath: "var/lib" },
                        { name: "b", sizeGb: 10, mountPath: "/" },
                        { name: "c", sizeGb: 10, mountPath: "/a/../etc" },
                    ]),
            ),
        );
        expect(errorsOf(c)).toEqual([
            { rule: "schema", path: "regions[0].nodeGroups[0].storage[0].mountPath", message: 'a mount path is absolute, like "/var/lib/kafka"' },
            { rule: "schema", path: "regions[0].nodeGroups[0].storage[1].mountPath", message: 'a mount path must not be "/" or contain ".."' },
            { rule: "schema", path: "regions[0].nodeGroups[0].storage[2].mountPath", message: 'a mount path must not be "/" or contain ".."' },
        ]);
    });

    it("refuses root as the admin user", () => {
        expect(errorsOf(check(planWith((p) => (p.defaults = { adminUser: "root" }))))).toEqual([
            { rule: "schema", path: "defaults.adminUser", message: "the admin user must not be root (root login is disabled)" },
        ]);
    });

    it("words zod's range errors for people", () => {
        const c = check(
            planWith((p) => {
                p.description = "x".repeat(256);
                g(p).addressBlock = 255;
                p.loadBalancers = [{ name: "lb", region: "us-ord", listeners: [{ port: 70000, target: { group: "web", port: 80 } }] }];
            }),
        );
        expect(errorsOf(c)).toEqual([
            { rule: "schema", path: "description", message: "must be at most 255 characters (found 256)" },
            { rule: "schema", path: "loadBalancers[0].listeners[0].port", message: "must be at most 65535 (found 70000)" },
            { rule: "schema", path: "regions[0].nodeGroups[0].addressBlock", message: "must be at most 254 (found 255)" },
        ]);
    });

    it("checks the DNS domain and SOA e-mail", () => {
        expect(errorsOf(check(planWith((p) => (p.dns = { domain: "example.com", soaEmail: "hostmaster@example.com" }))))).toEqual([]);
        expect(errorsOf(check(planWith((p) => (p.dns = { domain: "example", soaEmail: "nope" }))))).toEqual([
            { rule: "schema", path: "dns.domain", message: "not a domain name" },
            { rule: "schema", path: "dns.soaEmail", message: "soaEmail must be an e-mail address" },
        ]);
    });
});

describe("the published JSON Schema", () => {
    const committed = fs.readFileSync(path.join(ROOT, "schema", "cluster-plan.schema.json"), "utf8");

    it("is in step with the zod source (run `npm run schema` after changing the schema)", () => {
        expect(committed).toBe(clusterPlanJsonSchemaText());
    });

    it("is a draft 2020-12 schema with LCT's id", () => {
        const schema = clusterPlanJsonSchema();
        expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
        expect(schema.$id).toBe(JSON_SCHEMA_ID);
    });

    // Editors validate with the JSON Schema: it must accept what LCT accepts and reject the same shapes.
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(committed) as object);

    it("accepts the quickstart template and every plan the schema tests accept", () => {
        // templates/quickstart.yaml is a template; the plan it renders is what editors see.
        const quickstart = JSON.parse(JSON.stringify(renderTemplate("quickstart").plan));
        expect(validate(quickstart), JSON.stringify(validate.errors)).toBe(true);
        const full = planWith((p) => {
            p.$schema = "../schema/cluster-plan.schema.json";
            p.defaults = { sshKeys: [], hardening: "strict" };
            g(p).publicPorts = [443, "8000-8010", { port: 53, protocol: "udp" }];
            g(p).storage = [{ name: "data", sizeGb: 16_384, mountPath: "/data" }];
            p.loadBalancers = [{ name: "lb", region: "us-ord", listeners: [{ port: 80, target: { group: "web", port: 8080 } }] }];
        });
        expect(check(full).ok).toBe(true);
        expect(validate(full), JSON.stringify(validate.errors)).toBe(true);
    });

    it("rejects unknown keys, bad counts, bad names and wrong types", () => {
        const cases = [
            planWith((p) => (p.regoins = [])),
            planWith((p) => (g(p).count = 0)),
            planWith((p) => (g(p).count = 1.5)),
            planWith((p) => (p.name = "Bad_Name")),
            planWith((p) => (g(p).antiAffinity = "yes")),
            planWith((p) => (g(p).storage = [{ name: "data", sizeGb: 5, mountPath: "/data" }])),
            planWith((p) => delete p.regions),
        ];
        for (const plan of cases) {
            expect(validate(plan)).toBe(false);
            expect(check(plan).ok).toBe(false);
        }
    });
});
