/**
 * security.ssh-world for admin networks that are given but are (as good as) the Internet:
 * 0.0.0.0/0, ::/0, and anything broader than a /8 — each warned at its own plan path, with the
 * same words as an unset adminCidrs. (The other security warnings: rules.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { checkPlanText } from "../../sdk/plan/check";
import { check, planWith, warningsOf } from "./helpers";

const sshWarnings = (cidrs: string[]) => warningsOf(check(planWith((p) => (p.exposure.adminCidrs = cidrs)))).filter((w) => w.rule === "security.ssh-world");

describe("explicit admin networks open to the Internet", () => {
    it("warns for 0.0.0.0/0 and ::/0, at their index, and still accepts the plan", () => {
        const c = check(planWith((p) => (p.exposure.adminCidrs = ["203.0.113.0/24", "0.0.0.0/0", "::/0"])));
        expect(c.ok).toBe(true);
        expect(warningsOf(c)).toEqual([
            { rule: "security.ssh-world", path: "exposure.adminCidrs[1]", message: "0.0.0.0/0 opens SSH (key-only, fail2ban) to the whole IPv4 Internet; list your admin networks" },
            { rule: "security.ssh-world", path: "exposure.adminCidrs[2]", message: "::/0 opens SSH (key-only, fail2ban) to the whole IPv6 Internet; list your admin networks" },
        ]);
    });

    it("warns for prefixes shorter than /8 (with the share of the address space), not from /8 on", () => {
        expect(sshWarnings(["10.0.0.0/7", "0.0.0.0/1", "2000::/3", "10.0.0.0/8", "2001:db8::/32", "198.51.100.7"])).toEqual([
            { rule: "security.ssh-world", path: "exposure.adminCidrs[0]", message: "10.0.0.0/7 opens SSH to 1/128 of all IPv4 addresses (broader than a /8); list your admin networks" },
            { rule: "security.ssh-world", path: "exposure.adminCidrs[1]", message: "0.0.0.0/1 opens SSH to 1/2 of all IPv4 addresses (broader than a /8); list your admin networks" },
            { rule: "security.ssh-world", path: "exposure.adminCidrs[2]", message: "2000::/3 opens SSH to 1/8 of all IPv6 addresses (broader than a /8); list your admin networks" },
        ]);
    });

    it("a /0 written with host bits is the same network; invalid CIDRs are the schema's error only", () => {
        expect(sshWarnings(["1.2.3.4/0"]).map((w) => w.path)).toEqual(["exposure.adminCidrs[0]"]);
        const bad = check(planWith((p) => (p.exposure.adminCidrs = ["300.1.1.1/0"])));
        expect(bad.ok).toBe(false);
        expect(bad.issues.filter((i) => i.rule === "security.ssh-world")).toEqual([]);
    });

    it("locates the warning in a plan file (line and column of the CIDR)", () => {
        const text = ["name: demo", "exposure:", "  adminCidrs:", "    - 203.0.113.0/24", "    - 0.0.0.0/0", "regions:", "  - region: us-ord", "    nodeGroups: [{ name: web, count: 1 }]", ""].join("\n");
        const c = checkPlanText(text, { file: "plan.yaml" });
        expect(c.ok).toBe(true);
        expect(c.issues.filter((i) => i.rule === "security.ssh-world")).toEqual([
            expect.objectContaining({ severity: "warning", path: "exposure.adminCidrs[1]", line: 5, column: 7 }),
        ]);
    });
});
