import { PlanIssue, warning } from "../issues";
import { forEachGroup, PlanRule } from "./rule";

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
