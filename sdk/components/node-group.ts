import * as linode from "@pulumi/linode";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ResolvedGroup, ResolvedNode, ResolvedPlan } from "../plan/resolved";
import { createInBatches, reportProgress } from "./batching";
import { groupStackScript, nodeBootstrapInputs } from "./bootstrap";
import type { Region } from "./region";
import { SecureNode } from "./secure-node";
import { StorageTier } from "./storage-tier";
import { TYPES } from "./types";

export interface NodeGroupArgs {
    /** The resolved plan and the group's key (plain data: they decide which resources exist). */
    plan: ResolvedPlan;
    groupKey: string;
    /** The plan as rendered into user data: with the generated admin key when LCT made one. */
    renderPlan: pulumi.Input<ResolvedPlan>;
    /** Every admin public key (the plan's and the generated one). */
    adminKeys: pulumi.Input<pulumi.Input<string>[]>;
    region: Region;
    /** Resources every node waits for (readiness of groups earlier in boot order). */
    after?: pulumi.Resource[];
}

/** A group of identical nodes with one role, its storage and first-boot configuration. */
export class NodeGroup extends pulumi.ComponentResource {
    /** The component's logical name; its children are named after it. */
    public readonly logicalName: string;
    public readonly group: ResolvedGroup;
    /** Created nodes by node name; complete once `built` resolves. */
    public readonly nodes = new Map<string, SecureNode>();
    public readonly storage?: StorageTier;
    public readonly instanceIds: pulumi.Output<number[]>;
    /** Resolves when every node of the group has been registered. */
    public readonly built: Promise<void>;

    constructor(name: string, args: NodeGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super(TYPES.nodeGroup, name, {}, opts);
        this.logicalName = name;
        const { plan } = args;
        const group = plan.groups.find((g) => g.key === args.groupKey);
        if (!group) throw new Error(`NodeGroup ${name}: the plan has no group ${args.groupKey}`);
        this.group = group;
        const rootPassword = new random.RandomPassword(
            `${name}-root-password`,
            { length: 32, special: true, overrideSpecial: "!#%*+-_=?", minLower: 2, minUpper: 2, minNumeric: 2, minSpecial: 2 },
            { parent: this, additionalSecretOutputs: ["result"] },
        );
        const stackScript =
            group.configMethod === "stackscript"
                ? new linode.StackScript(
                      `${name}-stackscript`,
                      {
                          label: `${group.resourceName}-hardening`.slice(0, 128),
                          description: `LCT hardening for ${group.key} (${group.hardening.profile})`,
                          images: [group.image],
                          isPublic: false,
                          script: pulumi.output(args.renderPlan).apply((p) => groupStackScript(p, group.key)),
                      },
                      { parent: this },
                  )
                : undefined;
        const volumes = plan.volumes.filter((v) => v.group === group.key);
        if (volumes.length > 0) this.storage = new StorageTier(`${name}-storage`, { volumes }, { parent: this });
        const nodesByName = new Map(plan.nodes.map((n) => [n.name, n]));
        const pgOf = new Map<string, string>();
        for (const pg of group.placementGroups ?? []) for (const n of pg.nodes) pgOf.set(n, pg.label);
        const renderPlan = pulumi.output(args.renderPlan);

        this.built = createInBatches(group.nodes, (nodeName, i) => {
            const node = nodesByName.get(nodeName) as ResolvedNode;
            const pgLabel = pgOf.get(nodeName);
            const secure = new SecureNode(
                `${name}-${node.index}`,
                {
                    node,
                    bootstrap: renderPlan.apply((p) => nodeBootstrapInputs(p, nodeName)),
                    ...(stackScript ? { stackScriptId: stackScript.id.apply(Number) } : {}),
                    rootPassword: rootPassword.result,
                    authorizedKeys: args.adminKeys,
                    ...(args.region.subnetId ? { subnetId: args.region.subnetId } : {}),
                    ...(pgLabel ? { placementGroupId: args.region.placementGroupIds[pgLabel]! } : {}),
                    ...(args.after?.length ? { after: args.after } : {}),
                },
                { parent: this },
            );
            this.nodes.set(nodeName, secure);
            this.storage?.attach(nodeName, node.index, secure.instance);
            if ((i + 1) % 100 === 0 || i + 1 === group.nodes.length) reportProgress(`nodes of ${group.key}`, i + 1, group.nodes.length);
        }).then(() => this.storage?.complete());

        // One apply for the group rather than one per node (thousands of Outputs); same value.
        this.instanceIds = pulumi.output(
            this.built.then(() => pulumi.all(group.nodes.map((n) => this.nodes.get(n)!.instanceId)).apply((ids) => ids.map(Number))),
        );
        this.registerOutputs({ instanceIds: this.instanceIds });
    }
}
