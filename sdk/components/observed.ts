import type * as linode from "@pulumi/linode";
import * as pulumi from "@pulumi/pulumi";
import type { Observed, ObservedLoadBalancer, ObservedNode } from "../inventory/types";
import type { NodeGroup } from "./node-group";
import type { SecureNode } from "./secure-node";

/** What Linode reports about the cluster's resources, as one Output for the inventory. */
export function observe(
    nodes: ReadonlyMap<string, SecureNode>,
    groups: readonly NodeGroup[],
    loadBalancers: Record<string, linode.NodeBalancer>,
): pulumi.Output<Observed> {
    const nodeEntries = [...nodes].map(([name, node]) =>
        pulumi.all([node.instanceId, node.publicIpv4, node.privateIpv4, node.ipv6]).apply(
            ([id, publicIpv4, privateIpv4, ipv6]): [string, ObservedNode] => [
                name,
                { id, publicIpv4, ipv6, ...(privateIpv4 ? { privateIpv4 } : {}) },
            ],
        ),
    );
    const volumeEntries = groups.map((g) =>
        (g.storage?.volumeIds ?? pulumi.output({} as Record<string, string>)).apply((ids) =>
            Object.entries(ids).map(([volume, id]): [string, { id?: string }] => [volume, { id }]),
        ),
    );
    const lbEntries = Object.entries(loadBalancers).map(([name, nb]) =>
        pulumi.all([nb.id, nb.hostname, nb.ipv4, nb.ipv6]).apply(
            ([id, hostname, ipv4, ipv6]): [string, ObservedLoadBalancer] => [name, { id, hostname, ipv4, ipv6 }],
        ),
    );
    return pulumi.all([pulumi.all(nodeEntries), pulumi.all(volumeEntries), pulumi.all(lbEntries)]).apply(([n, v, l]) => ({
        nodes: Object.fromEntries(n),
        volumes: Object.fromEntries(v.flat()),
        loadBalancers: Object.fromEntries(l),
    }));
}
