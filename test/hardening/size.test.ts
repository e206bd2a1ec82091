import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hardeningRules, renderNodeBootstrap, userDataSizes } from "../../sdk/hardening";
import { checkPlanValue } from "../../sdk/plan/check";
import { renderTemplate } from "../../sdk/templates/render";
import { bigPlan, KEY_GENERATED, oversizedPlan, REPO, resolvePlan } from "./fixtures";

describe("user data size (Linode Metadata: 65,535 bytes)", () => {
    it("every bundled template fits, checked through the registered plan rule", () => {
        const templates = readdirSync(join(REPO, "templates")).filter((f) => /\.ya?ml$/.test(f)).map((f) => f.replace(/\.ya?ml$/, ""));
        expect(templates.length).toBeGreaterThan(0);
        for (const t of templates) {
            // Importing sdk/hardening registered the rule: a plain check runs it.
            const r = checkPlanValue(renderTemplate(t).plan); // templates/<t>.yaml rendered with its defaults
            expect(r.issues.filter((i) => i.rule === "hardening.user-data-size"), t).toEqual([]);
            for (const s of userDataSizes(r.resolved!, { sshKeys: [KEY_GENERATED] })) expect(s.size, s.node).toBeLessThanOrEqual(s.limit);
        }
    });

    it("every node of the 1,500-node plan fits (900 VPC members in one region)", () => {
        const plan = bigPlan();
        const sizes = userDataSizes(plan);
        expect(sizes).toHaveLength(1500);
        const cloud = sizes.filter((s) => s.method === "cloud-init");
        expect(cloud.length).toBe(1300);
        for (const s of sizes) expect(s.size, s.node).toBeLessThanOrEqual(s.limit);
        const max = Math.max(...cloud.map((s) => s.size));
        console.log(`[size] 1,500-node plan: largest cloud-config ${max} bytes, largest stackscript_data ${Math.max(...sizes.filter((s) => s.method === "stackscript").map((s) => s.size))} chars`);
        // The count is real: bytes of the text, not characters.
        expect(max).toBeGreaterThan(10_000);
    });

    it("a plan that would not fit fails validation, naming the group, the node and the size", () => {
        const r = checkPlanValue(oversizedPlan(4500), { rules: hardeningRules });
        expect(r.ok).toBe(false);
        const issue = r.issues.find((i) => i.rule === "hardening.user-data-size")!;
        expect(issue.severity).toBe("error");
        expect(issue.path).toBe("regions[0].nodeGroups[0]");
        expect(issue.message).toMatch(/cloud-init user data of 4500 node\(s\) exceeds Linode's limit: huge-us-ord-workers-with-long-names-\d+ needs \d+ bytes, the limit is 65535/);
        expect(issue.message).toContain("configMethod: stackscript");
        // The remedy it names works: the same group as a StackScript fits.
        const fixed = oversizedPlan(4500);
        fixed.regions[0]!.nodeGroups[0]!.configMethod = "stackscript";
        expect(checkPlanValue(fixed, { rules: hardeningRules }).issues.filter((i) => i.rule === "hardening.user-data-size")).toEqual([]);
    }, 60_000);

    it("measures bytes of the exact text each node gets, with the generated key placeholder when the plan has no key", () => {
        const plan = resolvePlan(oversizedPlan(3));
        const sizes = userDataSizes(plan, { sshKeys: [KEY_GENERATED] });
        for (const n of plan.nodes) {
            const b = renderNodeBootstrap(plan, n.name, { sshKeys: [KEY_GENERATED] }) as { userData: string };
            expect(sizes.find((s) => s.node === n.name)!.size).toBe(Buffer.byteLength(b.userData, "utf8"));
        }
        const noKey = resolvePlan({ ...oversizedPlan(1), defaults: {} });
        expect(noKey.admin.generateKey).toBe(true);
        const withPlaceholder = userDataSizes(noKey)[0]!.size;
        const withEd25519 = userDataSizes(noKey, { sshKeys: [KEY_GENERATED] })[0]!.size;
        // The placeholder is as long as an RSA-4096 key: sizing never underestimates.
        expect(withPlaceholder - withEd25519).toBeGreaterThan(600);
    });
});
