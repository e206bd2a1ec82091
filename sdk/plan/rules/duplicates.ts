import { error, PlanIssue } from "../issues";
import { forEachGroup, PlanRule } from "./rule";

/** Names that must be unique where they live: regions, groups, services, storage, load balancers, listener ports. */
export const duplicates: PlanRule = {
    id: "duplicates",
    phase: "plan",
    check({ plan }) {
        const issues: PlanIssue[] = [];
        const unique = <T>(items: readonly T[], keyOf: (t: T) => string, pathOf: (i: number) => string, what: string) => {
            const first = new Map<string, number>();
            items.forEach((item, i) => {
                const k = keyOf(item);
                const at = first.get(k);
                if (at === undefined) first.set(k, i);
                else issues.push(error("duplicates", pathOf(i), `duplicate ${what} "${k}" (first at ${pathOf(at)})`));
            });
        };
        unique(plan.regions, (r) => r.region, (i) => `regions[${i}].region`, "region");
        plan.regions.forEach((r, ri) =>
            unique(r.nodeGroups, (g) => g.name, (i) => `regions[${ri}].nodeGroups[${i}].name`, "group name"),
        );
        forEachGroup(plan, (g, path) => {
            unique(g.services ?? [], (s) => s.name, (i) => `${path}.services[${i}].name`, "service name");
            unique(g.storage ?? [], (s) => s.name, (i) => `${path}.storage[${i}].name`, "storage name");
            unique(g.storage ?? [], (s) => s.mountPath.replace(/\/+$/, ""), (i) => `${path}.storage[${i}].mountPath`, "mount path");
        });
        const lbs = plan.loadBalancers ?? [];
        unique(lbs, (lb) => lb.name, (i) => `loadBalancers[${i}].name`, "load balancer name");
        lbs.forEach((lb, li) =>
            unique(lb.listeners, (l) => String(l.port), (i) => `loadBalancers[${li}].listeners[${i}].port`, "listener port (NodeBalancer port clash)"),
        );
        return issues;
    },
};
