import { describe, expect, it } from "vitest";
import { nodeBootstrapInputs, userDataRenders } from "../../sdk/components/bootstrap";
import { renderNodeBootstrap } from "../../sdk/hardening";
import { resolvePlan } from "../../sdk/plan/resolve-plan";
import type { ResolvedPlan } from "../../sdk/plan/resolved";
import type { ClusterPlanInput } from "../../sdk/plan/schema";
import { renderTemplate, templateNames } from "../../sdk/templates";
import "../../sdk/templates/register-bootstrap";
import { fixturePlan } from "../support/plans";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJ0bFHIi1s9mRX5lQlUqkZs3Rg2dWvyqOe6S5WRrD0e ops@example";

/** What the components hand to Linode must be exactly what hardening renders, node by node. */
function expectSameAsHardening(plan: ResolvedPlan): { templated: number; full: number } {
    const before = { ...userDataRenders };
    for (const n of plan.nodes) {
        const reference = renderNodeBootstrap(plan, n.name);
        const got = nodeBootstrapInputs(plan, n.name);
        if (reference.method === "cloud-init") {
            expect(got.method).toBe("cloud-init");
            // Compared as text so that a difference shows where it is.
            const text = got.method === "cloud-init" ? Buffer.from(got.userDataBase64, "base64").toString("utf8") : "";
            expect(text, n.name).toBe(reference.userData);
        } else {
            expect(got).toEqual({ method: "stackscript", data: reference.data });
        }
    }
    return { templated: userDataRenders.templated - before.templated, full: userDataRenders.full - before.full };
}

/** As the component renders it: with every admin key (LCT's generated one when the plan has none). */
function resolved(plan: ClusterPlanInput): ResolvedPlan {
    const r = resolvePlan(plan).resolved;
    return { ...r, admin: { ...r.admin, sshKeys: r.admin.sshKeys.length ? r.admin.sshKeys : [KEY] } };
}

describe("per-group user data templates", () => {
    it("give every node of the two-region fixture exactly hardening's user data (volumes, DNS names, anti-affinity)", () => {
        const counts = expectSameAsHardening(resolved(fixturePlan("two-region")));
        // One full render per group, the other nodes from the group's template.
        expect(counts).toEqual({ full: 3, templated: 4 });
    });

    it("hold for strict and none profiles, xfs volumes, a bastion, and hundreds of VPC members (compressed hosts list)", () => {
        const plan: ClusterPlanInput = {
            name: "tpl",
            defaults: { sshKeys: [KEY], hardening: "strict" },
            exposure: { adminCidrs: ["203.0.113.0/24"] },
            bastion: "us-ord/bastion",
            regions: [
                {
                    region: "us-ord",
                    nodeGroups: [
                        { name: "bastion", count: 2 },
                        {
                            name: "data",
                            count: 600,
                            addressBlock: 10,
                            storage: [
                                { name: "a", sizeGb: 10, mountPath: "/a", filesystem: "xfs" },
                                { name: "b", sizeGb: 10, mountPath: "/b" },
                            ],
                            services: [{ name: "s", ports: [9000], from: ["self"] }],
                        },
                        { name: "open", count: 3, hardening: { profile: "none" }, addressBlock: 40 },
                    ],
                },
            ],
            dns: { domain: "tpl.example.com", soaEmail: "hostmaster@example.com" },
        } as ClusterPlanInput;
        const counts = expectSameAsHardening(resolved(plan));
        expect(counts).toEqual({ full: 3, templated: 602 });
    });

    it("render StackScript groups through hardening, unchanged", () => {
        const plan = fixturePlan("two-region");
        (plan as { defaults?: Record<string, unknown> }).defaults = { configMethod: "stackscript" };
        expect(expectSameAsHardening(resolved(plan))).toEqual({ full: 0, templated: 0 });
    });

    it("hold for every bundled template, with and without its per-role bootstrap (a first-boot extension)", () => {
        for (const name of templateNames()) {
            for (const bootstrap of [false, true]) {
                let rendered;
                try {
                    rendered = renderTemplate(name, bootstrap ? { bootstrap: true } : {});
                } catch {
                    continue; // a template without the bootstrap parameter
                }
                const plan = rendered.plan as ClusterPlanInput & { defaults?: Record<string, unknown> };
                expectSameAsHardening(resolved(plan));
            }
        }
    }, 120_000);

    it("fall back to a full render for values YAML would quote", () => {
        const plan = resolved(fixturePlan("two-region"));
        // A hand-made resolved plan whose hostnames are YAML keywords: never templated.
        const odd: ResolvedPlan = {
            ...plan,
            nodes: plan.nodes.map((n, i) => (n.group === "us-ord/web" ? { ...n, hostname: ["true", "null", "1e3"][i % 3]! } : n)),
        };
        const counts = expectSameAsHardening(odd);
        expect(counts.full).toBeGreaterThanOrEqual(5);
    });
});
