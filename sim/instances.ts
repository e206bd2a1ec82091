/**
 * Linode instances: create, get, list (X-Filter), update, delete, boot, shutdown, reboot, with
 * the status lifecycle of the real API (provisioning → booting → running; running →
 * shutting_down → offline; …) and its events. A power action on a Linode that is mid-way
 * through another answers 400 "Linode busy.", as the API does.
 */
import { randomUUID } from "node:crypto";
import { badRequest, linodeBusy, notFound, Problems } from "./errors";
import { FILTERABLE } from "./filterable";
import { listResponse } from "./pagination";
import type { Route, SimRequest } from "./router";
import { apiTime, type InstanceRecord, type InstanceStatus, type SimState } from "./state";
import { asBody, checkBool, checkEnum, checkInt, checkLabel, checkString, checkTags, LINODE_LABEL } from "./validate";

export function renderInstance(state: SimState, r: InstanceRecord): Record<string, unknown> {
    const type = state.catalog.types.find((t) => t.id === r.type);
    return {
        id: r.id,
        label: r.label,
        group: r.group,
        status: r.status,
        created: apiTime(r.created),
        updated: apiTime(r.updated),
        type: r.type,
        region: r.region,
        image: r.image,
        ipv4: r.privateIpv4 ? [r.publicIpv4, r.privateIpv4] : [r.publicIpv4],
        ipv6: r.ipv6,
        specs: {
            disk: type?.disk ?? 0,
            memory: type?.memory ?? 0,
            vcpus: type?.vcpus ?? 0,
            gpus: type?.gpus ?? 0,
            transfer: type?.transfer ?? 0,
        },
        alerts: { ...r.alerts },
        backups: { enabled: r.backupsEnabled, available: false, schedule: { ...r.backupSchedule } },
        hypervisor: "kvm",
        watchdog_enabled: r.watchdog,
        tags: [...r.tags],
        host_uuid: r.hostUuid,
        has_user_data: r.hasUserData,
        lke_cluster_id: null,
        placement_group: null,
        capabilities: [],
    };
}

export function instanceEntity(r: InstanceRecord): { id: number; label: string; type: string; url: string } {
    return { id: r.id, label: r.label, type: "linode", url: `/v4/linode/instances/${r.id}` };
}

export function findInstance(state: SimState, rawId: string | undefined): InstanceRecord {
    const id = Number(rawId);
    const r = Number.isInteger(id) ? state.instances.get(id) : undefined;
    if (!r) throw notFound();
    return r;
}

/**
 * Moves a Linode through `transient` to `final` after `ms`, with a started→finished event.
 * A later action bumps `op`, which cancels this one's ending.
 */
function runAction(
    state: SimState,
    r: InstanceRecord,
    action: string,
    transient: InstanceStatus,
    final: InstanceStatus,
    ms: number,
    now: number,
    then?: (at: number) => void,
): void {
    const op = ++r.op;
    r.status = transient;
    r.updated = now;
    const ev = state.addEvent(action, instanceEntity(r), now);
    state.schedule(now + ms, (at) => {
        if (state.instances.get(r.id) !== r || r.op !== op) return;
        r.status = final;
        r.updated = at;
        state.finishEvent(ev, at);
        then?.(at);
    });
}

export function bootLinode(state: SimState, r: InstanceRecord, now: number): void {
    if (r.status === "running") return; // already up: nothing to do
    if (r.status !== "offline" && r.status !== "stopped") throw linodeBusy();
    runAction(state, r, "linode_boot", "booting", "running", state.timings.bootMs, now);
}

export function shutdownLinode(state: SimState, r: InstanceRecord, now: number): void {
    if (r.status === "offline" || r.status === "stopped") return;
    if (r.status !== "running") throw linodeBusy();
    runAction(state, r, "linode_shutdown", "shutting_down", "offline", state.timings.shutdownMs, now);
}

export function rebootLinode(state: SimState, r: InstanceRecord, now: number): void {
    if (r.status === "offline" || r.status === "stopped") {
        runAction(state, r, "linode_reboot", "booting", "running", state.timings.bootMs, now);
        return;
    }
    if (r.status !== "running") throw linodeBusy();
    runAction(state, r, "linode_reboot", "rebooting", "running", state.timings.rebootMs, now);
}

export interface NewInstance {
    label?: string;
    region: string;
    type: string;
    image: string | null;
    tags?: string[];
    group?: string;
    privateIp?: boolean;
    booted?: boolean;
    hasUserData?: boolean;
    watchdog?: boolean;
}

/**
 * Adds a Linode. With `lifecycle`, it provisions and boots on the simulated clock like a real
 * create; without, it appears at once in `initialStatus` (for seeding big test clusters
 * without spending the create rate limit).
 */
export function addInstance(
    state: SimState,
    spec: NewInstance,
    now: number,
    opts: { lifecycle: true } | { lifecycle: false; initialStatus: "running" | "offline" },
): InstanceRecord {
    const id = state.newId("linode");
    const r: InstanceRecord = {
        id,
        label: spec.label ?? `linode${id}`,
        region: spec.region,
        type: spec.type,
        image: spec.image,
        status: opts.lifecycle ? "provisioning" : opts.initialStatus,
        tags: [...new Set(spec.tags ?? [])],
        group: spec.group ?? "",
        created: now,
        updated: now,
        publicIpv4: state.allocatePublicIpv4(),
        ...(spec.privateIp ? { privateIpv4: state.allocatePrivateIpv4() } : {}),
        ipv6: `2001:db8:0:1::${id.toString(16)}/128`,
        rdns: {},
        watchdog: spec.watchdog ?? true,
        alerts: { cpu: 180, io: 10000, network_in: 10, network_out: 10, transfer_quota: 80 },
        backupsEnabled: false,
        // The API reports "Scheduling" until a backup window is assigned.
        backupSchedule: { day: "Scheduling", window: "Scheduling" },
        hasUserData: spec.hasUserData ?? false,
        hostUuid: randomUUID(),
        op: 0,
    };
    state.instances.set(id, r);
    if (!opts.lifecycle) return r;
    const boots = spec.booted ?? spec.image !== null;
    const create = state.addEvent("linode_create", instanceEntity(r), now);
    const op = ++r.op;
    state.schedule(now + state.timings.provisionMs, (at) => {
        if (state.instances.get(id) !== r || r.op !== op) return;
        state.finishEvent(create, at);
        r.updated = at;
        if (boots) runAction(state, r, "linode_boot", "booting", "running", state.timings.bootMs, at);
        else r.status = "offline";
    });
    return r;
}

function createInstance(req: SimRequest): unknown {
    const { state } = req;
    const b = asBody(req.body);
    const p = new Problems();
    const region = checkString(p, "region", b.region, { required: true });
    const regionInfo = region === undefined ? undefined : state.catalog.regions.find((x) => x.id === region);
    if (region !== undefined && !regionInfo) p.add("region", "region is not valid");
    const type = checkString(p, "type", b.type, { required: true });
    if (type !== undefined && !state.catalog.types.some((t) => t.id === type)) p.add("type", "type is not valid");
    const image = checkString(p, "image", b.image);
    const imageInfo = image === undefined ? undefined : state.catalog.images.find((i) => i.id === image);
    if (image !== undefined && !imageInfo) p.add("image", "image is not valid");
    const label = checkLabel(p, b.label, { min: 3, max: 64, pattern: LINODE_LABEL, required: false });
    if (label !== undefined && [...state.instances.values()].some((i) => i.label === label)) {
        p.add("label", "Label must be unique among your Linodes");
    }
    const rootPass = checkString(p, "root_pass", b.root_pass, { min: 7, max: 128 });
    if (image !== undefined && rootPass === undefined && b.root_pass === undefined) {
        p.add("root_pass", "root_pass is required when creating a Linode from an Image");
    }
    if (b.backup_id !== undefined && image !== undefined) p.add("backup_id", "backup_id and image are mutually exclusive");
    if (b.stackscript_id !== undefined) p.add("stackscript_id", "StackScript not found (the simulator has no StackScripts)");
    if (b.authorized_keys !== undefined && (!Array.isArray(b.authorized_keys) || b.authorized_keys.some((k) => typeof k !== "string"))) {
        p.add("authorized_keys", "authorized_keys must be an array of strings");
    }
    const tags = checkTags(p, b.tags);
    const booted = checkBool(p, "booted", b.booted);
    const privateIp = checkBool(p, "private_ip", b.private_ip);
    checkInt(p, "swap_size", b.swap_size, { min: 0 });
    const group = checkString(p, "group", b.group, { max: 50 });
    const hasUserData = checkUserData(p, b.metadata, regionInfo?.capabilities, imageInfo?.capabilities);
    const firewallId = checkInt(p, "firewall_id", b.firewall_id);
    if (firewallId !== undefined && !state.firewalls.has(firewallId)) p.add("firewall_id", "Firewall not found");
    checkInterfaces(p, b.interfaces);
    p.throwIfAny();

    const r = addInstance(
        state,
        {
            ...(label === undefined ? {} : { label }),
            region: region as string,
            type: type as string,
            image: image ?? null,
            tags: tags ?? [],
            group: group ?? "",
            privateIp: privateIp ?? false,
            ...(booted === undefined ? {} : { booted }),
            hasUserData,
        },
        req.now,
        { lifecycle: true },
    );
    if (firewallId !== undefined) {
        const fw = state.firewalls.get(firewallId);
        fw?.devices.push({ id: state.newId("device"), type: "linode", entityId: r.id, created: req.now, updated: req.now });
    }
    return renderInstance(state, r);
}

function checkUserData(p: Problems, metadata: unknown, regionCaps?: string[], imageCaps?: string[]): boolean {
    if (metadata === undefined) return false;
    const userData = asBody(metadata).user_data;
    if (userData === undefined) return false;
    if (typeof userData !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(userData) || userData.length % 4 !== 0) {
        p.add("metadata.user_data", "user_data must be base64-encoded");
        return false;
    }
    if (Buffer.from(userData, "base64").length > 65_535) {
        p.add("metadata.user_data", "user_data must be at most 65535 bytes before encoding");
    }
    if (regionCaps && !regionCaps.includes("Metadata")) p.add("metadata.user_data", "The region does not support Metadata");
    if (imageCaps && !imageCaps.includes("cloud-init")) p.add("metadata.user_data", "The image does not support cloud-init");
    return true;
}

function checkInterfaces(p: Problems, value: unknown): void {
    if (value === undefined) return;
    if (!Array.isArray(value) || value.length > 3) {
        p.add("interfaces", "interfaces must be an array of at most 3 interfaces");
        return;
    }
    value.forEach((raw, i) => {
        const purpose = asBody(raw).purpose;
        if (purpose !== "public" && purpose !== "vlan" && purpose !== "vpc") {
            p.add(`interfaces[${i}].purpose`, "purpose must be one of public, vlan, vpc");
        }
    });
}

function updateInstance(req: SimRequest): unknown {
    const { state } = req;
    const r = findInstance(state, req.params.linodeId);
    const b = asBody(req.body);
    const p = new Problems();
    const label = checkLabel(p, b.label, { min: 3, max: 64, pattern: LINODE_LABEL, required: false });
    if (label !== undefined && [...state.instances.values()].some((i) => i.label === label && i.id !== r.id)) {
        p.add("label", "Label must be unique among your Linodes");
    }
    const tags = checkTags(p, b.tags);
    const group = checkString(p, "group", b.group, { max: 50 });
    const watchdog = checkBool(p, "watchdog_enabled", b.watchdog_enabled);
    const schedule = asBody(asBody(b.backups).schedule);
    const day = checkEnum(p, "backups.schedule.day", schedule.day, ["Scheduling", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const);
    const window = checkEnum(p, "backups.schedule.window", schedule.window, ["Scheduling", "W0", "W2", "W4", "W6", "W8", "W10", "W12", "W14", "W16", "W18", "W20", "W22"] as const);
    const alerts = asBody(b.alerts);
    for (const k of Object.keys(alerts)) {
        if (!(k in r.alerts)) p.add(`alerts.${k}`, "unknown alert");
        else checkInt(p, `alerts.${k}`, alerts[k], { min: 0 });
    }
    p.throwIfAny();
    if (label !== undefined) r.label = label;
    if (tags !== undefined) r.tags = tags;
    if (group !== undefined) r.group = group;
    if (watchdog !== undefined) r.watchdog = watchdog;
    for (const [k, v] of Object.entries(alerts)) (r.alerts as Record<string, number>)[k] = v as number;
    if (day !== undefined) r.backupSchedule.day = day;
    if (window !== undefined) r.backupSchedule.window = window;
    r.updated = req.now;
    state.addEvent("linode_update", instanceEntity(r), req.now, "notification");
    return renderInstance(state, r);
}

function deleteInstance(req: SimRequest): unknown {
    const { state } = req;
    const r = findInstance(state, req.params.linodeId);
    if (r.status === "deleting") return {};
    const op = ++r.op;
    r.status = "deleting";
    r.updated = req.now;
    // Volumes and firewall attachments go at once; the Linode itself after deleteMs.
    for (const v of state.volumes.values()) if (v.linodeId === r.id) v.linodeId = null;
    for (const fw of state.firewalls.values()) fw.devices = fw.devices.filter((d) => !(d.type === "linode" && d.entityId === r.id));
    const ev = state.addEvent("linode_delete", instanceEntity(r), req.now);
    state.schedule(req.now + state.timings.deleteMs, (at) => {
        if (r.op !== op) return;
        state.instances.delete(r.id);
        state.finishEvent(ev, at);
    });
    return {};
}

function powerAction(fn: (state: SimState, r: InstanceRecord, now: number) => void) {
    return (req: SimRequest): unknown => {
        const r = findInstance(req.state, req.params.linodeId);
        if (r.status === "deleting") throw badRequest("Linode is being deleted");
        fn(req.state, r, req.now);
        return {};
    };
}

export const instanceRoutes: Route[] = [
    {
        method: "GET",
        path: "/linode/instances",
        collection: true,
        handler: (req) => listResponse(req, [...req.state.instances.values()].map((r) => renderInstance(req.state, r)), FILTERABLE.instances),
    },
    { method: "POST", path: "/linode/instances", handler: createInstance },
    { method: "GET", path: "/linode/instances/{linodeId}", handler: (req) => renderInstance(req.state, findInstance(req.state, req.params.linodeId)) },
    { method: "PUT", path: "/linode/instances/{linodeId}", handler: updateInstance },
    { method: "DELETE", path: "/linode/instances/{linodeId}", handler: deleteInstance },
    { method: "POST", path: "/linode/instances/{linodeId}/boot", handler: powerAction(bootLinode) },
    { method: "POST", path: "/linode/instances/{linodeId}/shutdown", handler: powerAction(shutdownLinode) },
    { method: "POST", path: "/linode/instances/{linodeId}/reboot", handler: powerAction(rebootLinode) },
];
