import * as linode from "@pulumi/linode";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedNode } from "../plan/resolved";
import type { NodeBootstrapInputs } from "./bootstrap";
import { TYPES } from "./types";

export interface SecureNodeArgs {
    /** The node as the resolved plan describes it (decides which resources exist, so plain data). */
    node: ResolvedNode;
    /** First-boot hardening: cloud-init user data or StackScript data. */
    bootstrap: pulumi.Input<NodeBootstrapInputs>;
    /** The group's StackScript, when the group uses one. */
    stackScriptId?: pulumi.Input<number>;
    /** Root password required by the API for image deployments (a secret; root login is disabled). */
    rootPassword: pulumi.Input<string>;
    /** Admin public keys, also installed for root by the API as a recovery path for Lish. */
    authorizedKeys: pulumi.Input<pulumi.Input<string>[]>;
    /** VPC subnet id when the region uses a VPC (the node's deterministic address is in `node.vpcIp`). */
    subnetId?: pulumi.Input<number>;
    placementGroupId?: pulumi.Input<number>;
    /** Resources the instance waits for (e.g. readiness of groups that boot first). */
    after?: pulumi.Resource[];
}

/** One hardened Linode: label, tags, keys, network interfaces, placement and first-boot hardening. */
export class SecureNode extends pulumi.ComponentResource {
    /** The component's logical name; its children are named after it. */
    public readonly logicalName: string;
    public readonly instance: linode.Instance;
    public readonly instanceId: pulumi.Output<string>;
    public readonly publicIpv4: pulumi.Output<string>;
    public readonly privateIpv4: pulumi.Output<string | undefined>;
    public readonly ipv6: pulumi.Output<string>;

    constructor(name: string, args: SecureNodeArgs, opts?: pulumi.ComponentResourceOptions) {
        super(TYPES.secureNode, name, {}, opts);
        this.logicalName = name;
        const { node } = args;
        // Only the inputs this node's method uses: every Output costs kilobytes and promises,
        // which adds up over thousands of nodes (bench/README.md).
        const bootstrap = pulumi.Output.isInstance(args.bootstrap) ? args.bootstrap : pulumi.output(args.bootstrap);
        const viaStackScript = args.stackScriptId !== undefined;
        const cloudInit = viaStackScript ? undefined : bootstrap.apply((b) => (b.method === "cloud-init" ? [{ userData: b.userDataBase64 }] : []));
        const stackscriptData = viaStackScript ? bootstrap.apply((b) => (b.method === "stackscript" ? b.data : {})) : undefined;
        this.instance = new linode.Instance(
            `${name}-instance`,
            {
                label: node.label,
                region: node.region,
                type: node.type,
                image: node.image,
                tags: node.tags,
                authorizedKeys: args.authorizedKeys,
                rootPass: args.rootPassword,
                booted: true,
                ...(node.privateIp ? { privateIp: true } : {}),
                ...(node.vpcIp && args.subnetId !== undefined
                    ? { interfaces: [{ purpose: "public" }, { purpose: "vpc", subnetId: args.subnetId, ipv4: { vpc: node.vpcIp } }] }
                    : {}),
                ...(args.placementGroupId !== undefined ? { placementGroup: { id: args.placementGroupId } } : {}),
                ...(viaStackScript ? { stackscriptId: args.stackScriptId, stackscriptData } : { metadatas: cloudInit }),
            },
            // User data cannot change after creation; membership changes reach running nodes
            // through the member-sync command instead, so growing the cluster never replaces nodes.
            { parent: this, ignoreChanges: ["metadatas", "stackscriptData"], ...(args.after ? { dependsOn: args.after } : {}) },
        );
        this.instanceId = this.instance.id;
        this.publicIpv4 = this.instance.ipAddress;
        this.privateIpv4 = this.instance.privateIpAddress.apply((ip) => ip || undefined);
        this.ipv6 = this.instance.ipv6;
        this.registerOutputs({
            instanceId: this.instanceId,
            publicIpv4: this.publicIpv4,
            privateIpv4: this.privateIpv4,
            ipv6: this.ipv6,
        });
    }
}
