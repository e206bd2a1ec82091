import { parseCidr } from "../../network/cidr";
import { PlanIssue, warning } from "../issues";
import { forEachGroup, PlanRule } from "./rule";

/** Admin networks broader than this (fewer prefix bits) are a large part of the Internet: warned. */
export const WIDE_ADMIN_PREFIX = 8;

/** Legal but risky choices: said out loud, every time. */
export const securityWarnings: PlanRule = {
    id: "security",
    phase: "plan",
    check({ plan }) {
        const issues: PlanIssue[] = [];
        if (!plan.exposure?.adminCidrs?.length) {
            issues.push(
                warning("security.ssh-world", "exposure.adminCidrs", "not set: SSH (key-only, fail2ban) is open to the whole Internet; list your admin networks"),
            );
        }
        (plan.exposure?.adminCidrs ?? []).forEach((cidr, i) => {
            const issue = adminCidrWarning(cidr, `exposure.adminCidrs[${i}]`);
            if (issue) issues.push(issue);
        });
        if (plan.defaults?.hardening === "none") {
            issues.push(warning("security.hardening-none", "defaults.hardening", "hardening is OFF for every group that does not set its own profile"));
        }
        forEachGroup(plan, (g, path) => {
            if (g.hardening?.profile === "none") {
                issues.push(warning("security.hardening-none", `${path}.hardening.profile`, `hardening is OFF for group ${g.name}`));
            }
            (g.storage ?? []).forEach((s, i) => {
                if (s.deletionPolicy === "delete") {
                    issues.push(warning("security.volume-delete", `${path}.storage[${i}].deletionPolicy`, "`pulumi destroy` will delete these volumes and their data"));
                }
            });
        });
        return issues;
    },
};

/**
 * An admin network given explicitly but as good as the Internet: /0 (0.0.0.0/0, ::/0) is the
 * same as leaving adminCidrs out, and anything broader than a /8 is a large part of it (the same
 * rule as an unset adminCidrs: docs/plan-reference.md lists it). Invalid CIDRs are the schema's
 * to report.
 */
function adminCidrWarning(cidr: string, path: string): PlanIssue | undefined {
    const n = parseCidr(cidr);
    if (!n) return undefined;
    const family = n.version === 4 ? "IPv4" : "IPv6";
    if (n.prefix === 0) {
        return warning("security.ssh-world", path, `${cidr} opens SSH (key-only, fail2ban) to the whole ${family} Internet; list your admin networks`);
    }
    if (n.prefix < WIDE_ADMIN_PREFIX) {
        const share = `1/${2 ** n.prefix}`;
        return warning("security.ssh-world", path, `${cidr} opens SSH to ${share} of all ${family} addresses (broader than a /${WIDE_ADMIN_PREFIX}); list your admin networks`);
    }
    return undefined;
}
