import { FIREWALL_MAX_RULES, groupFirewallRules } from "../../network/firewall-rules";
import { error, PlanIssue } from "../issues";
import type { PlanRule } from "./rule";

/**
 * A Linode can have one enabled firewall ("A service can have one assigned firewall enabled at
 * a time", Linode API), so each group's rules must fit one firewall's 25 rules after merging
 * (same protocol and sources) and splitting (255 addresses and 15 port pieces per rule).
 */
export const firewallLimits: PlanRule = {
    id: "firewall-limits",
    phase: "resolved",
    check({ resolved }) {
        const issues: PlanIssue[] = [];
        for (const g of resolved.groups) {
            const rules = groupFirewallRules(resolved, g.key);
            if (rules.length > FIREWALL_MAX_RULES) {
                const perSource = rules.reduce((m, r) => m.set(r.description, (m.get(r.description) ?? 0) + 1), new Map<string, number>());
                const split = [...perSource.entries()].filter(([, n]) => n > 1).sort((a, b) => b[1] - a[1]);
                const listed = [...perSource.keys()].slice(0, 6).join("; ") + (perSource.size > 6 ? `; … (${perSource.size - 6} more)` : "");
                const why = split.length > 0
                    ? `${split.slice(0, 3).map(([d, n]) => `${d} needs ${n} rules (more than 255 addresses or 15 port ranges)`).join("; ")}; `
                    : "";
                issues.push(
                    error(
                        "firewall-limits",
                        g.path,
                        `needs ${rules.length} Cloud Firewall rules but a Linode takes one firewall of at most ${FIREWALL_MAX_RULES}: ` +
                            `${perSource.size} different protocol and source combinations (${listed}) each need their own rule; ${why}` +
                            "ports with the same protocol and sources share a rule, so give services the same sources where you can (e.g. from: [cluster]), " +
                            "or use a VPC so that members aggregate into address blocks",
                    ),
                );
            }
        }
        return issues;
    },
};
