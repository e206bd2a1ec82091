import { FIREWALL_MAX_RULES, groupFirewallRules } from "../../network/firewall-rules";
import { error, PlanIssue } from "../issues";
import type { PlanRule } from "./rule";

/**
 * A Linode can have one firewall, so each group's rules must fit one firewall's 25 rules
 * after merging and splitting (255 addresses and 15 port pieces per rule).
 */
export const firewallLimits: PlanRule = {
    id: "firewall-limits",
    phase: "resolved",
    check({ resolved }) {
        const issues: PlanIssue[] = [];
        for (const g of resolved.groups) {
            const rules = groupFirewallRules(resolved, g.key);
            if (rules.length > FIREWALL_MAX_RULES) {
                const perSource = rules
                    .reduce((m, r) => m.set(r.description, (m.get(r.description) ?? 0) + 1), new Map<string, number>());
                const biggest = [...perSource.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([d, n]) => `${d} (${n})`).join("; ");
                issues.push(
                    error(
                        "firewall-limits",
                        g.path,
                        `needs ${rules.length} Cloud Firewall rules but a firewall holds ${FIREWALL_MAX_RULES} (largest: ${biggest}); narrow service sources, or use a VPC so that members aggregate into address blocks`,
                    ),
                );
            }
        }
        return issues;
    },
};
