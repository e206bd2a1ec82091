/**
 * Read-only disks and configuration profile of a Linode, as a create from an image makes
 * them (an image disk, a 512 MB swap disk, one boot config). The official providers read these
 * after every create, so a simulator without them cannot host `pulumi up`.
 */
import { notFound } from "./errors";
import { findInstance } from "./instances";
import { listResponse } from "./pagination";
import type { Route, SimRequest } from "./router";
import { apiTime, type InstanceRecord, type SimState } from "./state";

const SWAP_MB = 512;

export function renderDisks(state: SimState, r: InstanceRecord): Array<Record<string, unknown>> {
    if (r.image === null) return [];
    const diskMb = state.catalog.types.find((t) => t.id === r.type)?.disk ?? 25_600;
    const imageLabel = state.catalog.images.find((i) => i.id === r.image)?.label ?? r.image;
    const common = { status: "ready", created: apiTime(r.created), updated: apiTime(r.created) };
    return [
        { id: r.id * 10 + 1, label: `${imageLabel} Disk`.slice(0, 48), filesystem: "ext4", size: diskMb - SWAP_MB, ...common },
        { id: r.id * 10 + 2, label: `${SWAP_MB} MB Swap Image`, filesystem: "swap", size: SWAP_MB, ...common },
    ];
}

export function renderConfigs(r: InstanceRecord): Array<Record<string, unknown>> {
    if (r.image === null) return [];
    return [
        {
            id: r.id * 10,
            label: `Boot Config`,
            comments: null,
            kernel: "linode/grub2",
            root_device: "/dev/sda",
            run_level: "default",
            virt_mode: "paravirt",
            memory_limit: 0,
            helpers: { updatedb_disabled: true, distro: true, modules_dep: true, network: true, devtmpfs_automount: true },
            devices: { sda: { disk_id: r.id * 10 + 1 }, sdb: { disk_id: r.id * 10 + 2 } },
            interfaces: [],
        },
    ];
}

function byId(items: Array<Record<string, unknown>>, raw: string | undefined): Record<string, unknown> {
    const hit = items.find((i) => i.id === Number(raw));
    if (!hit) throw notFound();
    return hit;
}

const disksOf = (req: SimRequest) => renderDisks(req.state, findInstance(req.state, req.params.linodeId));
const configsOf = (req: SimRequest) => renderConfigs(findInstance(req.state, req.params.linodeId));

export const diskConfigRoutes: Route[] = [
    { method: "GET", path: "/linode/instances/{linodeId}/disks", collection: true, handler: (req) => listResponse(req, disksOf(req), []) },
    { method: "GET", path: "/linode/instances/{linodeId}/disks/{diskId}", handler: (req) => byId(disksOf(req), req.params.diskId) },
    { method: "GET", path: "/linode/instances/{linodeId}/configs", collection: true, handler: (req) => listResponse(req, configsOf(req), []) },
    { method: "GET", path: "/linode/instances/{linodeId}/configs/{configId}", handler: (req) => byId(configsOf(req), req.params.configId) },
];
