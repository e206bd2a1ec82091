import * as linode from "@pulumi/linode";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedGroup, ResolvedRegion } from "../plan/resolved";
import { TYPES } from "./types";

export interface RegionArgs {
    /** The region as resolved (plain data: it decides which resources exist). */
    region: ResolvedRegion;
    /** Its groups, for placement groups. */
    groups: ResolvedGroup[];
    description?: pulumi.Input<string>;
}

/** A region of the cluster: its VPC and subnet, and placement groups for anti-affinity groups. */
export class Region extends pulumi.ComponentResource {
    public readonly vpcId?: pulumi.Output<number>;
    public readonly subnetId?: pulumi.Output<number>;
    /** Placement group ids by label. */
    public readonly placementGroupIds: Record<string, pulumi.Output<number>> = {};

    constructor(name: string, args: RegionArgs, opts?: pulumi.ComponentResourceOptions) {
        super(TYPES.region, name, {}, opts);
        const { region } = args;
        if (region.vpc) {
            const vpc = new linode.Vpc(
                `${name}-vpc`,
                { label: region.vpc.label, region: region.id, ...(args.description ? { description: args.description } : {}) },
                { parent: this },
            );
            const subnet = new linode.VpcSubnet(
                `${name}-subnet`,
                { vpcId: vpc.id.apply(Number), label: region.vpc.subnetLabel, ipv4: region.vpc.subnet },
                { parent: this },
            );
            this.vpcId = vpc.id.apply(Number);
            this.subnetId = subnet.id.apply(Number);
        }
        for (const g of args.groups) {
            (g.placementGroups ?? []).forEach((pg, i) => {
                const resource = new linode.PlacementGroup(
                    `${name}-${g.name}-pg${i + 1}`,
                    { label: pg.label, region: region.id, placementGroupType: "anti_affinity:local", placementGroupPolicy: "strict" },
                    { parent: this },
                );
                this.placementGroupIds[pg.label] = resource.id.apply(Number);
            });
        }
        this.registerOutputs({
            vpcId: this.vpcId,
            subnetId: this.subnetId,
            placementGroupIds: this.placementGroupIds,
        });
    }
}
