/** An `/etc/hosts` block per cluster: address, label, hostname and FQDN. Pure. */
import { bareIpv6, clusterAddress, privateAddress } from "./addresses";
import { type NodeSelector, selectorPredicate } from "./query";
import type { ClusterInventory, InventoryNode } from "./types";

export const HOSTS_ADDRESS_KINDS = ["public", "private", "vpc", "cluster", "ipv6"] as const;
export type HostsAddressKind = (typeof HOSTS_ADDRESS_KINDS)[number];

export interface HostsFileOptions {
    selector?: NodeSelector;
    /** Which address each line maps: public IPv4 (default), private, VPC, in-cluster (VPC → private → public) or IPv6. */
    address?: HostsAddressKind;
}

function addressOf(n: InventoryNode, kind: HostsAddressKind): string | undefined {
    switch (kind) {
        case "public":
            return n.publicIpv4;
        case "private":
            return privateAddress(n);
        case "vpc":
            return n.vpcIpv4;
        case "cluster":
            return clusterAddress(n);
        case "ipv6":
            return bareIpv6(n.ipv6);
    }
}

export function renderHostsFile(inventories: readonly ClusterInventory[], opts: HostsFileOptions = {}): { text: string; warnings: string[] } {
    const pick = selectorPredicate(opts.selector);
    const kind = opts.address ?? "public";
    const warnings: string[] = [];
    const blocks: string[] = [];
    for (const inv of inventories) {
        const selected = inv.nodes.filter((n) => pick(n, inv.cluster));
        if (selected.length === 0) continue;
        const lines = [`# BEGIN lct cluster ${inv.cluster} (${kind} addresses)`];
        for (const n of selected) {
            const address = addressOf(n, kind);
            const names = [...new Set([n.label, n.hostname, ...(n.fqdn ? [n.fqdn] : [])])];
            if (address === undefined) {
                warnings.push(`${n.label}: no ${kind} address; left out of the hosts block`);
                lines.push(`# ${names.join(" ")}: no ${kind} address`);
                continue;
            }
            lines.push(`${address}\t${names.join(" ")}`);
        }
        lines.push(`# END lct cluster ${inv.cluster}`);
        blocks.push(lines.join("\n"));
    }
    return { text: blocks.length > 0 ? blocks.join("\n\n") + "\n" : "", warnings };
}
