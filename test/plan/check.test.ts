import { afterAll, describe, expect, it } from "vitest";
import { bundledCatalog } from "../../sdk/catalog/load";
import { checkPlanValue } from "../../sdk/plan/check";
import { PlanInputError } from "../../sdk/plan/input-error";
import { error, formatIssue, formatPath, parsePath, quote, rewritePaths, sortIssues } from "../../sdk/plan/issues";
import { PlanValidationError } from "../../sdk/plan/plan-error";
import { resolvePlan } from "../../sdk/plan/resolve-plan";
import type { PlanRule } from "../../sdk/plan/rules";
import { clusterPlan } from "../../sdk/plan/schema";
import { salvage } from "../../sdk/plan/salvage";
import { basePlan, check, errorsOf, planWith, tempDir } from "./helpers";

const g = (p: any, i = 0) => p.regions[0].nodeGroups[i];

describe("every problem at once", () => {
    it("reports plan-rule problems together with schema problems", () => {
        const c = check(
            planWith((p) => {
                p.colour = "blue"; // schema
                g(p).count = 0; // schema
                p.regions[0].nodeGroups.push({ name: "web", count: 1 }); // duplicates
                p.regions[0].nodeGroups.push({ name: "db", count: 1, services: [{ name: "pg", ports: [5432], from: ["wbe"] }] }); // references
                p.regions[0].vpcSubnet = "192.168.200.0/24"; // vpc-subnets
                p.loadBalancers = [{ name: "lb", region: "us-ord", listeners: [{ port: 80, target: { group: "nope", port: 80 } }, { port: 80, target: { group: "web", port: 80 } }] }];
            }),
        );
        expect(errorsOf(c)).toEqual([
            { rule: "schema.unknown-key", path: "colour", message: 'unknown key "colour"' },
            { rule: "references.lb-target", path: "loadBalancers[0].listeners[0].target.group", message: 'no group "nope" in region us-ord' },
            { rule: "duplicates", path: "loadBalancers[0].listeners[1].port", message: 'duplicate listener port (NodeBalancer port clash) "80" (first at loadBalancers[0].listeners[0].port)' },
            { rule: "schema", path: "regions[0].nodeGroups[0].count", message: "must be at least 1" },
            { rule: "duplicates", path: "regions[0].nodeGroups[1].name", message: 'duplicate group name "web" (first at regions[0].nodeGroups[0].name)' },
            { rule: "references", path: "regions[0].nodeGroups[2].services[0].from[0]", message: 'no group named "wbe" (did you mean "web"?)' },
            { rule: "vpc-subnets.private-range", path: "regions[0].vpcSubnet", message: "192.168.200.0/24 overlaps Linode's private network 192.168.128.0/17" },
        ]);
    });

    it("keeps paths right when the schema rejects whole list elements before others", () => {
        const c = check({
            name: "demo",
            exposure: { adminCidrs: ["203.0.113.0/24"] },
            regions: [
                "us-east", // not a region at all: set aside
                { region: "us-ord", nodeGroups: [{ name: "web", count: 1 }, { name: "web", count: 1 }] },
            ],
        });
        expect(errorsOf(c)).toEqual([
            { rule: "schema", path: "regions[0]", message: 'must be a mapping (found "us-east")' },
            { rule: "duplicates", path: "regions[1].nodeGroups[1].name", message: 'duplicate group name "web" (first at regions[1].nodeGroups[0].name)' },
        ]);
    });

    it("does not invent follow-on problems from what the schema rejected", () => {
        // soaEmail is rejected; "give soaEmail or domainId" would only repeat it.
        const dns = check(planWith((p) => (p.dns = { domain: "example.com", soaEmail: "nope" })));
        expect(errorsOf(dns)).toEqual([{ rule: "schema", path: "dns.soaEmail", message: "soaEmail must be an e-mail address" }]);
        // A group set aside (its name is invalid) must not make references to it look broken.
        const ref = check(
            planWith((p) => {
                p.regions[0].nodeGroups.push({ name: "Db", count: 1 }, { name: "app", count: 1, services: [{ name: "x", ports: [1], from: ["Db", "nope"] }] });
            }),
        );
        expect(errorsOf(ref)).toEqual([
            { rule: "schema", path: "regions[0].nodeGroups[1].name", message: 'group name must be lower-case letters, digits and "-", starting with a letter and not ending with "-"' },
        ]);
    });

    it("still judges a group whose count is wrong", () => {
        const region = { ...bundledCatalog.regions[0]!, id: "xx-nometa", capabilities: ["Linodes", "Cloud Firewall"] };
        const c = check(planWith((p) => ((p.regions[0].region = "xx-nometa"), (g(p).count = 0))), { catalog: { ...bundledCatalog, regions: [...bundledCatalog.regions, region] } });
        expect(errorsOf(c)).toEqual([
            { rule: "capabilities.metadata", path: "regions[0].nodeGroups[0]", message: "region xx-nometa has no Metadata service for cloud-init; set configMethod: stackscript" },
            { rule: "schema", path: "regions[0].nodeGroups[0].count", message: "must be at least 1" },
        ]);
    });

    it("still finds references when only a count is wrong (the group itself is fine)", () => {
        const c = check(planWith((p) => ((g(p).count = -1), p.regions[0].nodeGroups.push({ name: "db", count: 1, services: [{ name: "pg", ports: [5432], from: ["wbe"] }] }))));
        expect(errorsOf(c)).toEqual([
            { rule: "schema", path: "regions[0].nodeGroups[0].count", message: "must be at least 1" },
            { rule: "references", path: "regions[0].nodeGroups[1].services[0].from[0]", message: 'no group named "wbe" (did you mean "web"?)' },
        ]);
    });

    it("gives a plan and its resolved form only when valid", () => {
        const ok = check(basePlan());
        expect(ok.ok).toBe(true);
        expect(ok.plan?.name).toBe("demo");
        expect(ok.resolved?.nodes).toHaveLength(2);
        const bad = check(planWith((p) => (g(p).count = 0)));
        expect(bad.ok).toBe(false);
        expect(bad.plan).toBeUndefined();
        expect(bad.resolved).toBeUndefined();
    });

    it("does not modify the plan object it is given", () => {
        const plan = planWith((p) => ((g(p).count = 0), (p.extra = 1)));
        const before = structuredClone(plan);
        check(plan);
        expect(plan).toEqual(before);
    });
});

describe("salvage", () => {
    it("returns the parsable rest, the removed paths and the way back to document paths", () => {
        const s = salvage({ name: "Bad Name", regions: [{ region: 1 }, { region: "us-ord", nodeGroups: [{ name: "a", count: 0 }, { name: "b", count: 2, x: 1 }] }] }, clusterPlan)!;
        expect(s.plan.name).toBe("salvaged");
        expect(s.plan.regions.map((r) => r.region)).toEqual(["us-ord"]);
        expect(s.plan.regions[0]!.nodeGroups.map((gr) => [gr.name, gr.count])).toEqual([
            ["a", 1],
            ["b", 2],
        ]);
        expect(s.removed.sort()).toEqual(["regions[0]", "regions[1].nodeGroups[1].x"]);
        expect(s.replaced).toEqual(["regions[1].nodeGroups[0].count"]);
        expect(s.originalPath("regions[0].nodeGroups[1].name")).toBe("regions[1].nodeGroups[1].name");
    });

    it("gives up when nothing of the plan remains", () => {
        expect(salvage({ name: "x" }, clusterPlan)).toBeUndefined();
        expect(salvage("junk", clusterPlan)).toBeUndefined();
        expect(salvage({ name: "x", regions: [{ region: 5 }] }, clusterPlan)).toBeUndefined();
    });
});

describe("rules from other capabilities", () => {
    it("run after the built-in ones; a rule that throws becomes an internal issue, not an exception", () => {
        const flaky: PlanRule = {
            id: "test.flaky",
            phase: "resolved",
            check: () => {
                throw new Error("boom");
            },
        };
        const polite: PlanRule = { id: "test.polite", phase: "resolved", check: ({ resolved }) => [error("test.polite", "name", `${resolved.nodes.length} nodes`)] };
        const c = checkPlanValue(basePlan(), { rules: [flaky, polite] });
        expect(errorsOf(c)).toEqual([
            { rule: "internal", path: "", message: "rule test.flaky failed (a bug in LCT): boom" },
            { rule: "test.polite", path: "name", message: "2 nodes" },
        ]);
    });
});

describe("resolvePlan (the code entry point)", () => {
    const tmp = tempDir();
    afterAll(() => tmp.cleanup());

    it("returns the resolved plan and passes an already resolved plan through", () => {
        const { resolved, check: c } = resolvePlan(basePlan());
        expect(c?.ok).toBe(true);
        expect(resolvePlan(resolved).resolved).toBe(resolved);
    });

    it("throws PlanValidationError listing every error with its path", () => {
        let caught: unknown;
        try {
            resolvePlan(planWith((p) => ((g(p).count = 0), (p.regions[0].region = "us-ordd"))));
        } catch (e) {
            caught = e;
        }
        expect(caught).toBeInstanceOf(PlanValidationError);
        const e = caught as PlanValidationError;
        expect(e.issues.filter((i) => i.severity === "error")).toHaveLength(2);
        expect(e.message).toBe(
            "the cluster plan is invalid (2 errors):\n" +
                '  error: regions[0].nodeGroups[0].count: must be at least 1\n  error: regions[0].region: unknown region "us-ordd" (did you mean "us-ord"?)',
        );
    });

    it("reads files, naming the file in errors, and throws PlanInputError for unusable ones", () => {
        const file = tmp.file("bad.yaml", "name: demo\nregions:\n  - region: us-ord\n    nodeGroups: [{ name: web, count: 0 }]\n");
        expect(() => resolvePlan(file)).toThrow(`the cluster plan ${file} is invalid (1 error):\n  ${file}:4:38: error: regions[0].nodeGroups[0].count: must be at least 1`);
        expect(() => resolvePlan(tmp.file("empty.yaml", ""))).toThrow(PlanInputError);
    });
});

describe("issue helpers", () => {
    it("formats and parses paths, including keys that are not identifiers", () => {
        const segments = ["regions", 0, "nodeGroups", 12, "weird key", "0"];
        expect(formatPath(segments)).toBe('regions[0].nodeGroups[12]["weird key"]["0"]');
        expect(parsePath(formatPath(segments))).toEqual(segments);
        expect(formatPath([])).toBe("");
    });

    it("formats one line per issue, with file and position when known", () => {
        const i = { severity: "error" as const, rule: "schema", path: "name", message: "is required", line: 3, column: 5 };
        expect(formatIssue(i, "plan.yaml")).toBe("plan.yaml:3:5: error: name: is required");
        expect(formatIssue({ ...i, line: undefined, column: undefined, path: "" })).toBe("error: is required");
    });

    it("sorts errors first, then by position, then by path", () => {
        const w = { severity: "warning" as const, rule: "w", path: "a", message: "w", line: 1, column: 1 };
        const e1 = { severity: "error" as const, rule: "e", path: "b", message: "e", line: 5, column: 1 };
        const e2 = { severity: "error" as const, rule: "e", path: "a", message: "e", line: 2, column: 9 };
        const e3 = { severity: "error" as const, rule: "e", path: "c", message: "e" };
        expect(sortIssues([w, e3, e1, e2])).toEqual([e2, e1, e3, w]);
    });

    it("quotes long or multi-line values briefly", () => {
        expect(quote("web")).toBe('"web"');
        expect(quote("a\nb")).toBe('"a\\nb"');
        expect(quote("x".repeat(1000))).toBe(`"${"x".repeat(63)}…"`);
    });

    it("rewrites indexed paths inside messages", () => {
        expect(rewritePaths("a (first at regions[0].nodeGroups[1].name) and regions[2].vpcSubnet; see dns", (p) => `<${p}>`)).toBe(
            "a (first at <regions[0].nodeGroups[1].name>) and <regions[2].vpcSubnet>; see dns",
        );
    });
});
