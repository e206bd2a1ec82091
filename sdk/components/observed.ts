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
    // One pulumi.all over every node's four outputs: each Output costs kilobytes and several
    // promises, and an all + apply per node made this a hot spot for 5,000-node clusters
    // (bench/README.md). Same value, same dependencies, unknown or secret exactly when an
    // input is.
    const names = [...nodes.keys()];
    const perNode: pulumi.Output<string | undefined>[] = [];
    for (const node of nodes.values()) perNode.push(node.instanceId, node.publicIpv4, node.privateIpv4, node.ipv6);
    const nodeEntries = pulumi.all(perNode).apply((v) =>
        names.map((name, i): [string, ObservedNode] => {
            const [id, publicIpv4, privateIpv4, ipv6] = v.slice(4 * i, 4 * i + 4);
            return [name, { id, publicIpv4, ipv6, ...(privateIpv4 ? { privateIpv4 } : {}) }];
        }),
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
    return pulumi.all([nodeEntries, pulumi.all(volumeEntries), pulumi.all(lbEntries)]).apply(([n, v, l]) => ({
        nodes: Object.fromEntries(n),
        volumes: Object.fromEntries(v.flat()),
        loadBalancers: Object.fromEntries(l),
    }));
}
