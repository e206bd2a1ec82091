import type { ResolvedPlan } from "../plan/resolved";
import { indexPlan } from "../network/member-addresses";

/**
 * A node's volumes, in storage order: Linode exposes each at
 * /dev/disk/by-id/scsi-0Linode_Volume_<label>; `lct-node volume` waits for it, formats it only
 * when it holds no filesystem, and mounts it by UUID with `nofail`.
 */
export interface VolumeMount {
    label: string;
    mountPath: string;
    filesystem: "ext4" | "xfs";
}

export function nodeVolumes(plan: ResolvedPlan, nodeName: string): VolumeMount[] {
    const node = indexPlan(plan).node(nodeName);
    if (!node) throw new Error(`no node ${nodeName} in plan ${plan.name}`);
    const index = indexPlan(plan);
    return node.volumes.map((name) => {
        const v = index.volume(name);
        if (!v) throw new Error(`node ${nodeName} lists volume ${name}, which the plan does not have`);
        return { label: v.label, mountPath: v.mountPath, filesystem: v.filesystem };
    });
}

/** Packages that provide mkfs for the filesystems used. */
export function filesystemPackages(volumes: readonly VolumeMount[]): string[] {
    const fs = new Set(volumes.map((v) => v.filesystem));
    return [...(fs.has("ext4") ? ["e2fsprogs"] : []), ...(fs.has("xfs") ? ["xfsprogs"] : [])];
}
