import * as linode from "@pulumi/linode";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedVolume } from "../plan/resolved";
import { TYPES } from "./types";

export interface StorageTierArgs {
    /** The group's volumes, all nodes (plain data: it decides which resources exist). */
    volumes: ResolvedVolume[];
}

/**
 * A group's Block Storage: one volume per node per storage entry, attached to its node.
 * Volumes are protected by default so that `pulumi destroy` never silently deletes data.
 */
export class StorageTier extends pulumi.ComponentResource {
    public readonly volumeIds: pulumi.Output<Record<string, string>>;
    private readonly ids: Record<string, pulumi.Output<string>> = {};
    private readonly byNode = new Map<string, ResolvedVolume[]>();
    private readonly done: Promise<void>;
    private finish!: () => void;

    constructor(
        private readonly tierName: string,
        args: StorageTierArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super(TYPES.storageTier, tierName, {}, opts);
        for (const v of args.volumes) this.byNode.set(v.node, [...(this.byNode.get(v.node) ?? []), v]);
        this.done = new Promise((resolve) => (this.finish = resolve));
        this.volumeIds = pulumi.output(this.done.then(() => pulumi.all(this.ids)));
        this.registerOutputs({ volumeIds: this.volumeIds });
    }

    /** Creates and attaches the volumes of one node (called as its node is created). */
    attach(nodeName: string, nodeIndex: number, instance: linode.Instance): void {
        for (const v of this.byNode.get(nodeName) ?? []) {
            const options: pulumi.CustomResourceOptions =
                v.deletionPolicy === "protect" ? { protect: true } : v.deletionPolicy === "retain" ? { retainOnDelete: true } : {};
            const volume = new linode.Volume(
                `${this.tierName}-${nodeIndex}-${v.storageName}`,
                { label: v.label, region: v.region, size: v.sizeGb, linodeId: instance.id.apply(Number), tags: v.tags },
                pulumi.mergeOptions({ parent: this }, options),
            );
            this.ids[v.name] = volume.id;
        }
    }

    /** Called once every node's volumes are attached. */
    complete(): void {
        this.finish();
    }
}
