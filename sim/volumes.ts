/**
 * Block Storage volumes: create (creating → active after `volumeMs`), attach, detach, resize,
 * update, delete. A volume and its Linode must share a region; an attached volume cannot be
 * deleted.
 */
import { badRequest, notFound, Problems } from "./errors";
import { FILTERABLE } from "./filterable";
import { findInstance } from "./instances";
import { listResponse } from "./pagination";
import type { Route, SimRequest } from "./router";
import { apiTime, type SimState, type VolumeRecord } from "./state";
import { asBody, checkBool, checkInt, checkLabel, checkString, checkTags, VOLUME_LABEL } from "./validate";

// Spec 4.189.0 maximum; techdocs give the 10 GB minimum.
const MIN_SIZE = 10;
const MAX_SIZE = 10240;

export function renderVolume(state: SimState, v: VolumeRecord): Record<string, unknown> {
    const linode = v.linodeId === null ? undefined : state.instances.get(v.linodeId);
    return {
        id: v.id,
        label: v.label,
        status: v.status,
        size: v.size,
        region: v.region,
        linode_id: v.linodeId,
        linode_label: linode?.label ?? null,
        filesystem_path: `/dev/disk/by-id/scsi-0Linode_Volume_${v.label}`,
        hardware_type: "nvme",
        encryption: "disabled",
        tags: [...v.tags],
        created: apiTime(v.created),
        updated: apiTime(v.updated),
    };
}

function volumeEntity(v: VolumeRecord): { id: number; label: string; type: string; url: string } {
    return { id: v.id, label: v.label, type: "volume", url: `/v4/volumes/${v.id}` };
}

function findVolume(req: SimRequest): VolumeRecord {
    const v = req.state.volumes.get(Number(req.params.volumeId));
    if (!v) throw notFound();
    return v;
}

function volumesPerLinode(state: SimState, typeId: string): number {
    const memory = state.catalog.types.find((t) => t.id === typeId)?.memory ?? 1024;
    return Math.min(64, Math.max(8, Math.floor(memory / 1024)));
}

function checkAttachable(req: SimRequest, p: Problems, linodeId: number, region: string | undefined, exceptVolume?: number): void {
    const linode = req.state.instances.get(linodeId);
    if (!linode) {
        p.add("linode_id", "Linode not found");
        return;
    }
    if (region !== undefined && linode.region !== region) p.add("linode_id", "Volume and Linode must be in the same region");
    const attached = [...req.state.volumes.values()].filter((v) => v.linodeId === linodeId && v.id !== exceptVolume).length;
    if (attached >= volumesPerLinode(req.state, linode.type)) p.add("linode_id", "This Linode has reached its volume limit");
}

function createVolume(req: SimRequest): unknown {
    const { state } = req;
    const b = asBody(req.body);
    const p = new Problems();
    const label = checkLabel(p, b.label, { min: 1, max: 32, pattern: VOLUME_LABEL, required: true });
    const linodeId = checkInt(p, "linode_id", b.linode_id);
    let region = checkString(p, "region", b.region);
    if (region === undefined && linodeId === undefined) p.add("region", "region is required unless linode_id is given");
    if (region !== undefined && !state.catalog.regions.some((r) => r.id === region)) p.add("region", "region is not valid");
    if (linodeId !== undefined) {
        checkAttachable(req, p, linodeId, region);
        region ??= state.instances.get(linodeId)?.region;
    }
    if (b.config_id !== undefined && linodeId === undefined) p.add("config_id", "config_id requires linode_id");
    const size = checkInt(p, "size", b.size, { min: MIN_SIZE, max: MAX_SIZE }) ?? 20;
    const tags = checkTags(p, b.tags);
    p.throwIfAny();
    const v: VolumeRecord = {
        id: state.newId("volume"),
        label: label as string,
        status: "creating",
        size,
        region: region as string,
        linodeId: linodeId ?? null,
        tags: tags ?? [],
        created: req.now,
        updated: req.now,
    };
    state.volumes.set(v.id, v);
    const ev = state.addEvent("volume_create", volumeEntity(v), req.now);
    state.schedule(req.now + state.timings.volumeMs, (at) => {
        if (state.volumes.get(v.id) !== v) return;
        v.status = "active";
        v.updated = at;
        state.finishEvent(ev, at);
    });
    return renderVolume(state, v);
}

function attachVolume(req: SimRequest): unknown {
    const v = findVolume(req);
    const b = asBody(req.body);
    const p = new Problems();
    const linodeId = checkInt(p, "linode_id", b.linode_id, { required: true });
    checkInt(p, "config_id", b.config_id);
    checkBool(p, "persist_across_boots", b.persist_across_boots);
    if (linodeId !== undefined) {
        if (v.linodeId !== null && v.linodeId !== linodeId) p.add("linode_id", "Volume is already attached to a Linode");
        checkAttachable(req, p, linodeId, v.region, v.id);
    }
    p.throwIfAny();
    if (v.status !== "active") throw badRequest("Volume is not ready to be attached yet");
    v.linodeId = linodeId as number;
    v.updated = req.now;
    req.state.addEvent("volume_attach", volumeEntity(v), req.now, "notification");
    return renderVolume(req.state, v);
}

function detachVolume(req: SimRequest): unknown {
    const v = findVolume(req);
    if (v.linodeId !== null) {
        v.linodeId = null;
        v.updated = req.now;
        req.state.addEvent("volume_detach", volumeEntity(v), req.now, "notification");
    }
    return {};
}

function resizeVolume(req: SimRequest): unknown {
    const v = findVolume(req);
    const p = new Problems();
    const size = checkInt(p, "size", asBody(req.body).size, { required: true, min: MIN_SIZE, max: MAX_SIZE });
    if (size !== undefined && size <= v.size) p.add("size", "Volumes can only be resized up");
    p.throwIfAny();
    if (v.status !== "active") throw badRequest("Volume is not active");
    v.size = size as number;
    v.updated = req.now;
    req.state.addEvent("volume_resize", volumeEntity(v), req.now, "notification");
    return renderVolume(req.state, v);
}

function updateVolume(req: SimRequest): unknown {
    const v = findVolume(req);
    const b = asBody(req.body);
    const p = new Problems();
    const label = checkLabel(p, b.label, { min: 1, max: 32, pattern: VOLUME_LABEL, required: false });
    const tags = checkTags(p, b.tags);
    p.throwIfAny();
    if (label !== undefined) v.label = label;
    if (tags !== undefined) v.tags = tags;
    v.updated = req.now;
    return renderVolume(req.state, v);
}

function deleteVolume(req: SimRequest): unknown {
    const v = findVolume(req);
    if (v.linodeId !== null) throw badRequest("Volume must be detached before it can be deleted");
    req.state.volumes.delete(v.id);
    req.state.addEvent("volume_delete", volumeEntity(v), req.now, "notification");
    return {};
}

export const volumeRoutes: Route[] = [
    {
        method: "GET",
        path: "/volumes",
        collection: true,
        handler: (req) => listResponse(req, [...req.state.volumes.values()].map((v) => renderVolume(req.state, v)), FILTERABLE.volumes),
    },
    { method: "POST", path: "/volumes", handler: createVolume },
    { method: "GET", path: "/volumes/{volumeId}", handler: (req) => renderVolume(req.state, findVolume(req)) },
    { method: "PUT", path: "/volumes/{volumeId}", handler: updateVolume },
    { method: "DELETE", path: "/volumes/{volumeId}", handler: deleteVolume },
    { method: "POST", path: "/volumes/{volumeId}/attach", handler: attachVolume },
    { method: "POST", path: "/volumes/{volumeId}/detach", handler: detachVolume },
    { method: "POST", path: "/volumes/{volumeId}/resize", handler: resizeVolume },
    {
        method: "GET",
        path: "/linode/instances/{linodeId}/volumes",
        collection: true,
        handler: (req) => {
            const linode = findInstance(req.state, req.params.linodeId);
            const attached = [...req.state.volumes.values()].filter((v) => v.linodeId === linode.id);
            return listResponse(req, attached.map((v) => renderVolume(req.state, v)), FILTERABLE.volumes);
        },
    },
];
