import { formatRange, rangesOverlap } from "../../network/ports";
import { error, PlanIssue } from "../issues";
import type { PlanRule } from "./rule";

/**
 * A member-only service port must not also be opened to the world on the same group:
 * the plan would contradict itself and the wider rule would win.
 */
export const portExposure: PlanRule = {
    id: "port-exposure",
    phase: "resolved",
    check({ resolved }) {
        const issues: PlanIssue[] = [];
        for (const g of resolved.groups) {
            g.services.forEach((s, si) => {
                if (s.from.world) return;
                for (const pub of g.publicPorts) {
                    if (pub.protocol !== s.protocol) continue;
                    const clash = s.ports.find((r) => pub.ports.some((p) => rangesOverlap(r, p)));
                    if (clash) {
                        issues.push(
                            error(
                                "port-exposure",
                                `${g.path}.services[${si}]`,
                                `port ${formatRange(clash)}/${s.protocol} of service "${s.name}" is member-only but also public on this group; add "world" to its from, or drop it from the public ports`,
                            ),
                        );
                    }
                }
            });
        }
        return issues;
    },
};
