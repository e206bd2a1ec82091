import { resolve } from "node:path";
import { checkPlanValue } from "../../sdk/plan/check";
import type { ResolvedPlan } from "../../sdk/plan/resolved";
import type { ClusterPlanInput } from "../../sdk/plan/schema";
import { renderTemplate } from "../../sdk/templates/render";

/** Test SSH keys (public halves only; no private key exists for them). */
export const KEY_ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBmKzMDrUq5q4KXq8n0x3Qx3m6K0dO6f1rJr0Zq9kYh1 ops@example";
export const KEY_GENERATED = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFg0dUi9p3w4s0L1kZ1Yb2yqGmQm8vQ7uJ3cXo5bNw2e lct-generated";

export const REPO = resolve(__dirname, "../..");

export function resolvePlan(plan: ClusterPlanInput): ResolvedPlan {
    const r = checkPlanValue(plan, { rules: [] });
    if (!r.resolved) throw new Error(`fixture plan ${plan.name} is invalid:\n${r.issues.map((i) => `${i.path}: ${i.message}`).join("\n")}`);
    return r.resolved;
}

export function quickstart(): ResolvedPlan {
    // templates/quickstart.yaml is a template: its default rendering is the plan.
    const r = checkPlanValue(renderTemplate("quickstart").plan, { rules: [] });
    if (!r.resolved) throw new Error("the quickstart template does not resolve");
    return r.resolved;
}

/**
 * Every hardening feature at once: strict and none profiles, a StackScript group, forwarding,
 * restricted egress with extra allowances, extra ports, UDP, xfs and ext4 volumes, IPv6 admin
 * networks, client CIDRs, a private-IP region and a bastion. `grown` adds groups and nodes
 * in other regions (and grows a private-IP group), for stability checks.
 */
export function featureInput(grown = false): ClusterPlanInput {
    return {
        name: "feat",
        defaults: { sshKeys: [KEY_ED25519], adminUser: "admin" },
        exposure: { adminCidrs: ["203.0.113.0/24", "2001:db8:1::/48"], clientCidrs: ["198.51.100.0/24"] },
        bastion: "us-ord/jump",
        regions: [
            {
                region: "us-ord",
                nodeGroups: [
                    { name: "jump", count: 1, type: "g6-nanode-1" },
                    {
                        name: "kafka",
                        count: 3,
                        hardening: { profile: "strict", egress: { mode: "restricted", allow: [9094, { port: 8125, protocol: "udp" }] } },
                        services: [
                            { name: "broker", ports: [9092], from: ["cluster", "clients"] },
                            { name: "controller", ports: [9093], from: ["self"] },
                        ],
                        storage: [{ name: "data", sizeGb: 50, mountPath: "/var/lib/kafka", filesystem: "xfs" }],
                    },
                    {
                        name: "k8s",
                        count: 2,
                        configMethod: "stackscript",
                        hardening: { forwarding: true, extraPorts: [{ port: "30000-32767", protocol: "tcp" }, { port: 8472, protocol: "udp" }] },
                        services: [{ name: "api", ports: [6443], from: ["k8s", "jump"] }],
                        publicPorts: [80, 443],
                        storage: [
                            { name: "etcd", sizeGb: 20, mountPath: "/var/lib/etcd" },
                            { name: "logs", sizeGb: 10, mountPath: "/var/log/pods", filesystem: "xfs" },
                        ],
                    },
                    { name: "lab", count: 1, hardening: { profile: "none" }, storage: [{ name: "scratch", sizeGb: 10, mountPath: "/srv/scratch" }] },
                ],
            },
            {
                region: "eu-central",
                nodeGroups: [
                    {
                        name: "edge",
                        count: grown ? 5 : 2,
                        configMethod: "stackscript",
                        hardening: { profile: "strict" },
                        services: [{ name: "gossip", ports: [7946], protocol: "udp", from: ["self", "us-ord/kafka"] }],
                    },
                    ...(grown ? [{ name: "cache", count: 3, services: [{ name: "redis", ports: [6379], from: ["cluster"] }] }] : []),
                ],
            },
            ...(grown ? [{ region: "fr-par", nodeGroups: [{ name: "replica", count: 4, services: [{ name: "pg", ports: [5432] }] }] }] : []),
        ],
    };
}

export const featurePlan = (): ResolvedPlan => resolvePlan(featureInput(false));
export const featurePlanGrown = (): ResolvedPlan => resolvePlan(featureInput(true));

/**
 * The biggest plan we build: 3 regions, VPC and private-IP, 1,500 nodes. The us-ord VPC
 * alone holds 900 members, which every us-ord node lists in /etc/hosts at first boot.
 */
export function bigPlan(): ResolvedPlan {
    const svc = (name: string, port: number) => ({ name, ports: [port] });
    return resolvePlan({
        name: "big",
        defaults: { sshKeys: [KEY_ED25519] },
        exposure: { adminCidrs: ["203.0.113.0/24"] },
        dns: { domain: "big.example.com", soaEmail: "hostmaster@example.com" },
        regions: [
            {
                region: "us-ord",
                nodeGroups: [
                    { name: "kafka", count: 300, services: [svc("broker", 9092), svc("controller", 9093)], storage: [{ name: "data", sizeGb: 100, mountPath: "/var/lib/kafka" }] },
                    { name: "zk", count: 5, services: [svc("zk", 2181), { name: "peer", ports: [2888, 3888], from: ["self"] }] },
                    { name: "spark", count: 500, services: [svc("worker", 7078)], hardening: { forwarding: true } },
                    { name: "db", count: 95, hardening: { profile: "strict" }, services: [{ name: "pg", ports: [5432], from: ["spark", "self"] }] },
                ],
            },
            {
                region: "eu-central",
                nodeGroups: [{ name: "cache", count: 400, services: [svc("redis", 6379), { name: "bus", ports: [16379], from: ["self"] }] }],
            },
            {
                region: "fr-par",
                nodeGroups: [{ name: "edge", count: 200, configMethod: "stackscript", publicPorts: [80, 443], services: [svc("metrics", 9100)] }],
            },
        ],
    });
}

/** One group whose VPC membership is too large for 64 KiB of user data. */
export function oversizedPlan(count: number): ClusterPlanInput {
    return {
        name: "huge",
        defaults: { sshKeys: [KEY_ED25519] },
        dns: { domain: "a-rather-long-domain-name-for-hosts.example.com", soaEmail: "hostmaster@example.com" },
        regions: [{ region: "us-ord", nodeGroups: [{ name: "workers-with-long-names", count, services: [{ name: "w", ports: [7000] }] }] }],
    };
}

export const ALL_PLANS: ReadonlyArray<[string, () => ResolvedPlan]> = [
    ["quickstart", quickstart],
    ["feature", featurePlan],
    ["grown", featurePlanGrown],
];
