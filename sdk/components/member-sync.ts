import * as command from "@pulumi/command";
import type * as linode from "@pulumi/linode";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { renderMemberSync } from "../hardening";
import type { MemberAddresses } from "../hardening";
import { COMPLETION_MARKER_FILE } from "../hardening/marker";
import type { ResolvedPlan } from "../plan/resolved";
import type { SecureNode } from "./secure-node";
import { createInBatches } from "./batching";
import { bastionRoutes } from "./bastion-route";
import { sshSudoCommand } from "./ssh-command";

/**
 * Pushes membership that first boot could not know (private IPv4s, other regions' public
 * addresses, members added by growing the cluster later) to running nodes: one command per
 * node whose trigger is its rendered script, so it runs again exactly when that node's view of
 * the cluster changes — never replacing a node.
 */
export async function createMemberSync(args: {
    plan: ResolvedPlan;
    nodes: ReadonlyMap<string, SecureNode>;
    firewalls: Record<string, linode.Firewall>;
    privateKey: pulumi.Input<string>;
}): Promise<number> {
    const { plan, nodes } = args;
    // One pulumi.all over every node's addresses (an all + apply per node costs thousands of
    // Outputs on big clusters); the same map, depending on the same instances.
    const names = [...nodes.keys()];
    const perNode: pulumi.Output<string | undefined>[] = [];
    for (const n of nodes.values()) perNode.push(n.publicIpv4, n.privateIpv4);
    const addresses: pulumi.Output<MemberAddresses> = pulumi.all(perNode).apply((v) =>
        Object.fromEntries(
            names.map((name, i) => {
                const pub = v[2 * i]!;
                const priv = v[2 * i + 1];
                return [name, { publicIpv4: pub, ...(priv ? { privateIpv4: priv } : {}) }] as const;
            }),
        ),
    );
    // Every command needs every member's address, but must not *depend* on every instance: with
    // thousands of nodes that made registration quadratic (each command listed every instance).
    // A plain promise carries the values without the dependencies; each command depends on its
    // own node and firewall instead, and runs only once the addresses exist.
    const known = valueWithoutDependencies(addresses);
    const privateKey = pulumi.secret(args.privateKey);
    const routeTo = bastionRoutes(plan, nodes);
    let created = 0;
    // In batches, like the nodes: one command per node is thousands of registrations.
    const members = plan.groups.flatMap((group) => group.nodes.map((nodeName) => ({ group, nodeName })));
    await createInBatches(members, ({ group, nodeName }) => {
        const node = nodes.get(nodeName)!;
        const script = known.then((a) => (a === undefined ? UNKNOWN : WAIT_FOR_FIRST_BOOT + renderMemberSync(plan, nodeName, a)));
        const trigger = script.then((s) => (s === UNKNOWN ? UNKNOWN : createHash("sha256").update(s).digest("hex")));
        const opts: pulumi.CustomResourceOptions = {
            parent: node,
            dependsOn: [node.instance, args.firewalls[group.key]!],
            additionalSecretOutputs: ["stdout", "stderr"],
        };
        const name = `${node.logicalName}-member-sync`;
        const route = routeTo(nodeName);
        if (route) {
            new command.local.Command(
                name,
                {
                    create: sshSudoCommand(),
                    stdin: script,
                    triggers: [trigger],
                    environment: {
                        LCT_SSH_KEY: privateKey,
                        LCT_SSH_USER: plan.admin.user,
                        LCT_SSH_HOST: route.host,
                        LCT_SSH_BASTION: route.bastion,
                    },
                },
                opts,
            );
        } else {
            new command.remote.Command(
                name,
                {
                    connection: { host: node.publicIpv4, user: plan.admin.user, privateKey },
                    create: "sudo bash -s",
                    stdin: script,
                    triggers: [trigger],
                },
                opts,
            );
        }
        created++;
    });
    return created;
}

/** Pulumi's marker for a value known only after the engine creates resources (previews). */
const UNKNOWN = pulumi.runtime.unknownValue as string;

/** The value of an Output as a plain promise (no resource dependencies); undefined while unknown. */
function valueWithoutDependencies<T>(o: pulumi.Output<T>): Promise<T | undefined> {
    const internal = o as unknown as { isKnown: Promise<boolean>; promise(): Promise<T> };
    return Promise.all([internal.isKnown, internal.promise()]).then(([isKnown, value]) => (isKnown ? value : undefined));
}

/** A new node may still be in its first boot: sync only once hardening has completed. */
const WAIT_FOR_FIRST_BOOT = [
    "# Wait up to 20 minutes for first-boot hardening (it creates the firewall this script fills).",
    `for _ in $(seq 1 240); do [ -e ${COMPLETION_MARKER_FILE} ] && break; sleep 5; done`,
    `[ -e ${COMPLETION_MARKER_FILE} ] || { echo "LCT: first-boot hardening has not completed on $(hostname); see /var/log/cloud-init-output.log" >&2; exit 1; }`,
    "",
].join("\n");
