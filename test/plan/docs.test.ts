import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { checkPlanText } from "../../sdk/plan/check";
import { PLAN_RULES } from "../../sdk/plan/rules";

/** The plan reference's examples must be plans LCT accepts, with the results the text claims. */
const DOC = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "plan-reference.md"), "utf8");
const examples = [...DOC.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((text) => /^name:/m.test(text));

describe("docs/plan-reference.md", () => {
    it("has example plans", () => {
        expect(examples.length).toBeGreaterThanOrEqual(4);
    });

    it.each(examples.map((text) => [text.match(/^name: (.*)$/m)![1]!, text]))("example %j validates", (_name, text) => {
        const c = checkPlanText(text, { file: "example.yaml" });
        expect(c.issues.filter((i) => i.severity === "error")).toEqual([]);
    });

    it("gives the addresses the VPC example states", () => {
        const text = examples.find((t) => t.startsWith("name: pinned"))!;
        const r = checkPlanText(text).resolved!;
        const ips = (group: string) => r.nodes.filter((n) => n.groupName === group).map((n) => n.vpcIp);
        expect(ips("kafka")[0]).toBe("10.40.2.10");
        expect(ips("kafka").at(-1)).toBe("10.40.3.64");
        expect(ips("zookeeper")).toEqual(["10.40.1.10", "10.40.1.11", "10.40.1.12"]);
    });

    it("lists every rule id the built-in rules report", () => {
        // Rule ids are the first words of the table rows; each registered rule must be documented.
        for (const rule of PLAN_RULES) expect(DOC, rule.id).toContain(`\`${rule.id}`);
    });
});
