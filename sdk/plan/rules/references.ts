import { didYouMean } from "../did-you-mean";
import { error, PlanIssue, quote } from "../issues";
import { targetKey } from "../normalize/normalize";
import { resolveSelector, SELECTOR_KEYWORDS, SelectorScope } from "../normalize/selectors";
import type { ClusterPlan } from "../schema";
import { forEachGroup, PlanRule } from "./rule";

export function selectorScope(plan: ClusterPlan): SelectorScope {
    return {
        groups: plan.regions.flatMap((r) =>
            r.nodeGroups.map((g) => ({ key: `${r.region}/${g.name}`, name: g.name, region: r.region, role: g.role ?? g.name })),
        ),
        clientCidrs: plan.exposure?.clientCidrs ?? [],
    };
}

/** Every name that points at something else must find it: service sources, public-port groups, bastion, load-balancer targets. */
export const references: PlanRule = {
    id: "references",
    phase: "plan",
    wholePlan: true,
    check({ plan, catalog }) {
        const issues: PlanIssue[] = [];
        const scope = selectorScope(plan);
        const candidates = [
            ...SELECTOR_KEYWORDS,
            ...scope.groups.flatMap((g) => [g.name, g.key, `role:${g.role}`]),
        ];
        const check = (selector: string, self: string, path: string) => {
            const r = resolveSelector(selector, self, scope);
            if (!r.ok) issues.push(error("references", path, `${r.problem}${didYouMean(selector, candidates)}`));
        };
        /** Selectors that must name node groups (not "self", "world", "clients" or networks). */
        const groupsOf = (selector: string, path: string): string[] | undefined => {
            const r = resolveSelector(selector, "", scope);
            if (!r.ok) {
                issues.push(error("references", path, `${r.problem}${didYouMean(selector, candidates)}`));
                return undefined;
            }
            if (selector.trim() === "self" || r.sources.groups.length === 0) {
                issues.push(
                    error("references", path, `${quote(selector)} does not name node groups; use a group name, "<region>/<group>", "role:<role>" or "cluster"`),
                );
                return undefined;
            }
            return r.sources.groups;
        };
        forEachGroup(plan, (g, path, region) => {
            if ((SELECTOR_KEYWORDS as readonly string[]).includes(g.name)) {
                issues.push(
                    error("references.keyword", `${path}.name`, `"${g.name}" is a keyword of service sources (\`from\`), so it cannot name a group`),
                );
            }
            (g.services ?? []).forEach((s, si) =>
                (s.from ?? []).forEach((sel, i) => check(sel, `${region.region}/${g.name}`, `${path}.services[${si}].from[${i}]`)),
            );
        });
        (plan.exposure?.publicPorts ?? []).forEach((p, pi) =>
            (p.groups ?? []).forEach((sel, i) => groupsOf(sel, `exposure.publicPorts[${pi}].groups[${i}]`)),
        );
        if (plan.bastion !== undefined) {
            const groups = groupsOf(plan.bastion, "bastion");
            if (groups && groups.length !== 1) {
                issues.push(error("references", "bastion", `${quote(plan.bastion)} names ${groups.length} groups; name exactly one as "<region>/<group>"`));
            }
        }
        (plan.loadBalancers ?? []).forEach((lb, li) =>
            lb.listeners.forEach((l, i) => {
                if (!catalog.region(lb.region)) return; // An unknown region is reported by the catalogue rule.
                const key = targetKey(lb.region, l.target.group);
                const path = `loadBalancers[${li}].listeners[${i}].target.group`;
                const group = scope.groups.find((g) => g.key === key);
                if (!group) {
                    const inRegion = scope.groups.filter((g) => g.region === lb.region).map((g) => g.name);
                    const other = scope.groups.find((g) => g.name === l.target.group);
                    const hint = other
                        ? ` (group "${other.name}" is in ${other.region}; a NodeBalancer reaches only nodes in its own region, ${lb.region})`
                        : didYouMean(l.target.group, inRegion);
                    issues.push(error("references.lb-target", path, `no group ${quote(l.target.group)} in region ${lb.region}${hint}`));
                } else if (group.region !== lb.region) {
                    issues.push(error("references.lb-target", path, `group ${key} is not in the load balancer's region ${lb.region}`));
                }
            }),
        );
        return issues;
    },
};
