import * as linode from "@pulumi/linode";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedPlan } from "../plan/resolved";
import type { SecureNode } from "./secure-node";

/** The plan's domain (created unless an existing id is given) and an A record per node. */
export function createDns(args: {
    plan: ResolvedPlan;
    nodes: ReadonlyMap<string, SecureNode>;
    componentName: string;
    parent: pulumi.Resource;
}): { domainId: pulumi.Output<number> } | undefined {
    const dns = args.plan.dns;
    if (!dns) return undefined;
    const domain =
        dns.domainId === undefined
            ? new linode.Domain(
                  `${args.componentName}-domain`,
                  { domain: dns.domain, type: "master", soaEmail: dns.soaEmail!, ttlSec: dns.ttlSec, tags: [args.plan.clusterTag, ...args.plan.planTags] },
                  { parent: args.parent },
              )
            : undefined;
    const domainId = domain ? domain.id.apply(Number) : pulumi.output(dns.domainId!);
    for (const r of dns.records) {
        const node = args.nodes.get(r.node)!;
        new linode.DomainRecord(
            `${args.componentName}-${r.node.slice(args.plan.name.length + 1)}-dns`,
            { domainId, name: r.name, recordType: r.type, target: node.publicIpv4, ttlSec: dns.ttlSec },
            { parent: args.parent },
        );
    }
    return { domainId };
}
