import * as command from "@pulumi/command";
import type * as linode from "@pulumi/linode";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { renderMemberSync } from "../hardening";
import type { MemberAddresses } from "../hardening";
import { COMPLETION_MARKER_FILE } from "../hardening/marker";
import { indexPlan, memberAddress } from "../network/member-addresses";
import type { ResolvedPlan } from "../plan/resolved";
import type { SecureNode } from "./secure-node";
import { sshSudoCommand } from "./ssh-command";

/**
 * Pushes membership that first boot could not know (private IPv4s, other regions' public
 * addresses, members added by growing the cluster later) to running nodes: one command per
 * node whose trigger is its rendered script, so it runs again exactly when that node's view of
 * the cluster changes — never replacing a node.
 */
export function createMemberSync(args: {
    plan: ResolvedPlan;
    nodes: ReadonlyMap<string, SecureNode>;
    firewalls: Record<string, linode.Firewall>;
    privateKey: pulumi.Input<string>;
}): number {
    const { plan, nodes } = args;
    const index = indexPlan(plan);
    const addresses: pulumi.Output<MemberAddresses> = pulumi
        .all([...nodes].map(([name, n]) => pulumi.all([n.publicIpv4, n.privateIpv4]).apply(([pub, priv]) => [name, { publicIpv4: pub, ...(priv ? { privateIpv4: priv } : {}) }] as const)))
        .apply((entries) => Object.fromEntries(entries));
    const bastionGroup = plan.bastion ? index.group(plan.bastion) : undefined;
    const bastionNode = bastionGroup ? nodes.get(bastionGroup.nodes[0]!) : undefined;
    let created = 0;
    for (const group of plan.groups) {
        for (const nodeName of group.nodes) {
            const node = nodes.get(nodeName)!;
            const script = addresses.apply((a) => WAIT_FOR_FIRST_BOOT + renderMemberSync(plan, nodeName, a));
            const trigger = script.apply((s) => createHash("sha256").update(s).digest("hex"));
            const opts: pulumi.CustomResourceOptions = { parent: node, dependsOn: [args.firewalls[group.key]!], additionalSecretOutputs: ["stdout", "stderr"] };
            const name = `${node.logicalName}-member-sync`;
            if (bastionGroup && bastionNode && group.key !== bastionGroup.key) {
                // Reached through the bastion at the address the bastion sees it by.
                const member = index.node(nodeName)!;
                const seen = memberAddress(member, bastionGroup, index.region);
                const host = seen.kind === "vpc" ? pulumi.output(seen.address) : seen.kind === "private" ? node.privateIpv4.apply((ip) => ip ?? "") : node.publicIpv4;
                new command.local.Command(
                    name,
                    {
                        create: sshSudoCommand(),
                        stdin: script,
                        triggers: [trigger],
                        environment: {
                            LCT_SSH_KEY: pulumi.secret(args.privateKey),
                            LCT_SSH_USER: plan.admin.user,
                            LCT_SSH_HOST: host,
                            LCT_SSH_BASTION: bastionNode.publicIpv4,
                        },
                    },
                    opts,
                );
            } else {
                new command.remote.Command(
                    name,
                    {
                        connection: { host: node.publicIpv4, user: plan.admin.user, privateKey: pulumi.secret(args.privateKey) },
                        create: "sudo bash -s",
                        stdin: script,
                        triggers: [trigger],
                    },
                    opts,
                );
            }
            created++;
        }
    }
    return created;
}

/** A new node may still be in its first boot: sync only once hardening has completed. */
const WAIT_FOR_FIRST_BOOT = [
    "# Wait up to 20 minutes for first-boot hardening (it creates the firewall this script fills).",
    `for _ in $(seq 1 240); do [ -e ${COMPLETION_MARKER_FILE} ] && break; sleep 5; done`,
    `[ -e ${COMPLETION_MARKER_FILE} ] || { echo "LCT: first-boot hardening has not completed on $(hostname); see /var/log/cloud-init-output.log" >&2; exit 1; }`,
    "",
].join("\n");
