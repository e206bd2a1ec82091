import { didYouMean } from "../did-you-mean";
import { error, PlanIssue } from "../issues";
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
    check({ plan }) {
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
        forEachGroup(plan, (g, path, region) => {
            (g.services ?? []).forEach((s, si) =>
                (s.from ?? []).forEach((sel, i) => check(sel, `${region.region}/${g.name}`, `${path}.services[${si}].from[${i}]`)),
            );
        });
        (plan.exposure?.publicPorts ?? []).forEach((p, pi) =>
            (p.groups ?? []).forEach((sel, i) => check(sel, "", `exposure.publicPorts[${pi}].groups[${i}]`)),
        );
        if (plan.bastion !== undefined) {
            const r = resolveSelector(plan.bastion, "", scope);
            if (!r.ok) issues.push(error("references", "bastion", `${r.problem}${didYouMean(plan.bastion, candidates)}`));
            else if (r.sources.groups.length !== 1) {
                issues.push(error("references", "bastion", `"${plan.bastion}" names ${r.sources.groups.length} groups; name exactly one as "<region>/<group>"`));
            }
        }
        (plan.loadBalancers ?? []).forEach((lb, li) =>
            lb.listeners.forEach((l, i) => {
                const key = targetKey(lb.region, l.target.group);
                const path = `loadBalancers[${li}].listeners[${i}].target.group`;
                const group = scope.groups.find((g) => g.key === key);
                if (!group) {
                    const inRegion = scope.groups.filter((g) => g.region === lb.region).map((g) => g.name);
                    const other = scope.groups.find((g) => g.name === l.target.group);
                    const hint = other
                        ? ` (group "${other.name}" is in ${other.region}; a NodeBalancer reaches only nodes in its own region, ${lb.region})`
                        : didYouMean(l.target.group, inRegion);
                    issues.push(error("references.lb-target", path, `no group "${l.target.group}" in region ${lb.region}${hint}`));
                } else if (group.region !== lb.region) {
                    issues.push(error("references.lb-target", path, `group ${key} is not in the load balancer's region ${lb.region}`));
                }
            }),
        );
        return issues;
    },
};
