import * as linode from "@pulumi/linode";
import * as pulumi from "@pulumi/pulumi";
import { fitLabel, LABEL_RULES } from "../naming/labels";
import type { ResolvedPlan } from "../plan/resolved";
import type { SecureNode } from "./secure-node";

/** NodeBalancers with one config per listener and the target group's nodes by private IPv4. */
export function createLoadBalancers(args: {
    plan: ResolvedPlan;
    nodes: ReadonlyMap<string, SecureNode>;
    nameOf: (resourceName: string) => string;
    parent: pulumi.Resource;
    /** Readiness per group key: targets join a NodeBalancer only once their group is ready. */
    readyGroups?: ReadonlyMap<string, pulumi.Resource>;
}): Record<string, linode.NodeBalancer> {
    const out: Record<string, linode.NodeBalancer> = {};
    for (const lb of args.plan.loadBalancers) {
        const name = args.nameOf(lb.resourceName);
        const nb = new linode.NodeBalancer(
            name,
            { label: lb.label, region: lb.region, clientConnThrottle: lb.clientConnThrottle, tags: lb.tags },
            { parent: args.parent },
        );
        const nbId = nb.id.apply(Number);
        for (const l of lb.listeners) {
            const config = new linode.NodeBalancerConfig(
                `${name}-${l.port}`,
                {
                    nodebalancerId: nbId,
                    port: l.port,
                    protocol: l.protocol,
                    algorithm: l.algorithm,
                    stickiness: l.stickiness,
                    check: l.check.type,
                    checkInterval: l.check.intervalSec,
                    checkTimeout: l.check.timeoutSec,
                    checkAttempts: l.check.attempts,
                    checkPassive: l.check.passive,
                    ...(l.check.path ? { checkPath: l.check.path } : {}),
                    ...(l.check.body ? { checkBody: l.check.body } : {}),
                },
                { parent: args.parent, dependsOn: [nb] },
            );
            for (const nodeName of l.nodes) {
                const node = args.nodes.get(nodeName)!;
                new linode.NodeBalancerNode(
                    `${name}-${l.port}-${nodeName.slice(args.plan.name.length + 1)}`,
                    {
                        nodebalancerId: nbId,
                        configId: config.id.apply(Number),
                        address: node.privateIpv4.apply((ip) => `${ip}:${l.target.port}`),
                        label: fitLabel(nodeName, LABEL_RULES.nodeBalancerNode.max),
                        mode: "accept",
                    },
                    { parent: args.parent, dependsOn: [config, ...(args.readyGroups?.has(l.target.group) ? [args.readyGroups.get(l.target.group)!] : [])] },
                );
            }
        }
        out[lb.name] = nb;
    }
    return out;
}
