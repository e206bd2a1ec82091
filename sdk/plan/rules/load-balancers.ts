import { error, PlanIssue } from "../issues";
import type { PlanRule } from "./rule";

/** NodeBalancer listeners: supported protocols and coherent health checks. */
export const loadBalancerListeners: PlanRule = {
    id: "load-balancers",
    phase: "plan",
    check({ plan }) {
        const issues: PlanIssue[] = [];
        (plan.loadBalancers ?? []).forEach((lb, li) =>
            lb.listeners.forEach((l, i) => {
                const path = `loadBalancers[${li}].listeners[${i}]`;
                if (l.protocol === "https") {
                    issues.push(
                        error(
                            "load-balancers.https",
                            `${path}.protocol`,
                            "https listeners need a TLS certificate and key, which a plan must not carry; use protocol tcp and terminate TLS on the nodes",
                        ),
                    );
                }
                const hc = l.healthCheck;
                if (!hc) return;
                if (hc.intervalSec <= hc.timeoutSec) {
                    issues.push(error("load-balancers.health-check", `${path}.healthCheck.intervalSec`, `must exceed timeoutSec (${hc.timeoutSec})`));
                }
                if ((hc.type === "http" || hc.type === "http_body") && !hc.path) {
                    issues.push(error("load-balancers.health-check", `${path}.healthCheck.path`, `an ${hc.type} health check needs a path`));
                }
                if (hc.type === "http_body" && !hc.body) {
                    issues.push(error("load-balancers.health-check", `${path}.healthCheck.body`, "an http_body health check needs the expected body"));
                }
            }),
        );
        return issues;
    },
};
