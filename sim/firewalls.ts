/**
 * Cloud Firewalls: CRUD, rule sets (PUT replaces both directions and bumps `version`), and
 * devices (Linodes, NodeBalancers). Limits from the spec: ≤ 25 rules, ≤ 255 addresses a rule,
 * ports only for TCP/UDP.
 */
import { createHash } from "node:crypto";
import { badRequest, notFound, Problems } from "./errors";
import { FILTERABLE } from "./filterable";
import { findInstance } from "./instances";
import { listResponse } from "./pagination";
import type { Route, SimRequest } from "./router";
import { apiTime, type FirewallRecord, type FirewallRule, type SimState } from "./state";
import { asBody, checkEnum, checkLabel, checkString, checkTags, LINODE_LABEL } from "./validate";

const MAX_RULES = 25;
const MAX_ADDRESSES = 255;

function fingerprint(fw: FirewallRecord): string {
    const json = JSON.stringify([fw.inboundPolicy, fw.outboundPolicy, fw.inbound, fw.outbound]);
    return createHash("sha256").update(json).digest("hex").slice(0, 8);
}

function renderRules(fw: FirewallRecord): Record<string, unknown> {
    return {
        inbound_policy: fw.inboundPolicy,
        outbound_policy: fw.outboundPolicy,
        inbound: fw.inbound.map((r) => ({ ...r })),
        outbound: fw.outbound.map((r) => ({ ...r })),
        version: fw.version,
        fingerprint: fingerprint(fw),
    };
}

export function renderFirewall(fw: FirewallRecord): Record<string, unknown> {
    return {
        id: fw.id,
        label: fw.label,
        status: fw.status,
        rules: renderRules(fw),
        tags: [...fw.tags],
        created: apiTime(fw.created),
        updated: apiTime(fw.updated),
    };
}

function renderDevice(state: SimState, d: FirewallRecord["devices"][number]): Record<string, unknown> {
    const label =
        d.type === "linode" ? (state.instances.get(d.entityId)?.label ?? "") : (state.nodebalancers.get(d.entityId)?.label ?? "");
    const url = d.type === "linode" ? `/v4/linode/instances/${d.entityId}` : `/v4/nodebalancers/${d.entityId}`;
    return {
        id: d.id,
        entity: { id: d.entityId, label, type: d.type, url },
        created: apiTime(d.created),
        updated: apiTime(d.updated),
    };
}

function findFirewall(req: SimRequest): FirewallRecord {
    const fw = req.state.firewalls.get(Number(req.params.firewallId));
    if (!fw) throw notFound();
    return fw;
}

const PORTS = /^\d{1,5}(-\d{1,5})?(, ?\d{1,5}(-\d{1,5})?)*$/;

function checkRule(p: Problems, raw: unknown, field: string): FirewallRule | undefined {
    const b = asBody(raw);
    const action = checkEnum(p, `${field}.action`, b.action, ["ACCEPT", "DROP"] as const);
    if (b.action === undefined) p.add(`${field}.action`, "action is required");
    const protocol = checkEnum(p, `${field}.protocol`, b.protocol, ["TCP", "UDP", "ICMP", "IPENCAP"] as const);
    if (b.protocol === undefined) p.add(`${field}.protocol`, "protocol is required");
    const addresses = asBody(b.addresses);
    const v4 = addresses.ipv4;
    const v6 = addresses.ipv6;
    const lists = [v4, v6].filter((l) => l !== undefined);
    if (lists.length === 0) p.add(`${field}.addresses`, "addresses is required");
    for (const l of lists) {
        if (!Array.isArray(l) || l.some((a) => typeof a !== "string") || l.length === 0) {
            p.add(`${field}.addresses`, "addresses must be non-empty lists of IP/mask strings");
        }
    }
    const count = (Array.isArray(v4) ? v4.length : 0) + (Array.isArray(v6) ? v6.length : 0);
    if (count > MAX_ADDRESSES) p.add(`${field}.addresses`, `A rule may list at most ${MAX_ADDRESSES} addresses`);
    const ports = b.ports === null ? undefined : checkString(p, `${field}.ports`, b.ports);
    if (ports !== undefined) {
        if (protocol === "ICMP" || protocol === "IPENCAP") p.add(`${field}.ports`, "Ports are only allowed for TCP and UDP");
        else if (!PORTS.test(ports) || ports.split(",").length > 15) p.add(`${field}.ports`, "Invalid port range");
        else if (ports.match(/\d+/g)?.some((n) => Number(n) < 1 || Number(n) > 65535 || /^0/.test(n))) p.add(`${field}.ports`, "Ports must be 1-65535");
    }
    const label = checkString(p, `${field}.label`, b.label, { min: 3, max: 32 });
    const description = checkString(p, `${field}.description`, b.description, { min: 1, max: 100 });
    if (!action || !protocol) return undefined;
    return {
        action,
        protocol,
        addresses: {
            ...(Array.isArray(v4) ? { ipv4: v4 as string[] } : {}),
            ...(Array.isArray(v6) ? { ipv6: v6 as string[] } : {}),
        },
        ...(ports === undefined ? {} : { ports }),
        ...(label === undefined ? {} : { label }),
        ...(description === undefined ? {} : { description }),
    };
}

function checkRuleSet(p: Problems, raw: unknown, field: string) {
    const b = asBody(raw);
    const inboundPolicy = checkEnum(p, `${field}.inbound_policy`, b.inbound_policy, ["ACCEPT", "DROP"] as const);
    if (b.inbound_policy === undefined) p.add(`${field}.inbound_policy`, "inbound_policy is required");
    const outboundPolicy = checkEnum(p, `${field}.outbound_policy`, b.outbound_policy, ["ACCEPT", "DROP"] as const);
    if (b.outbound_policy === undefined) p.add(`${field}.outbound_policy`, "outbound_policy is required");
    const list = (key: "inbound" | "outbound"): FirewallRule[] => {
        const v = b[key];
        if (v === undefined) return [];
        if (!Array.isArray(v)) {
            p.add(`${field}.${key}`, `${key} must be an array`);
            return [];
        }
        return v.map((r, i) => checkRule(p, r, `${field}.${key}[${i}]`)).filter((r): r is FirewallRule => r !== undefined);
    };
    const inbound = list("inbound");
    const outbound = list("outbound");
    if (inbound.length + outbound.length > MAX_RULES) p.add(field, `A firewall may have at most ${MAX_RULES} rules`);
    return { inboundPolicy, outboundPolicy, inbound, outbound };
}

function addDevice(state: SimState, fw: FirewallRecord, type: "linode" | "nodebalancer", id: number, now: number) {
    if (fw.devices.some((d) => d.type === type && d.entityId === id)) throw badRequest(`This ${type} is already assigned to the firewall`);
    const device = { id: state.newId("device"), type, entityId: id, created: now, updated: now };
    fw.devices.push(device);
    return device;
}

function createFirewall(req: SimRequest): unknown {
    const { state } = req;
    const b = asBody(req.body);
    const p = new Problems();
    const label = checkLabel(p, b.label, { min: 3, max: 32, pattern: LINODE_LABEL, required: true });
    if (label !== undefined && [...state.firewalls.values()].some((f) => f.label === label)) p.add("label", "Label must be unique");
    if (b.rules === undefined) p.add("rules", "rules is required");
    const rules = checkRuleSet(p, b.rules, "rules");
    const tags = checkTags(p, b.tags);
    const devices = asBody(b.devices);
    const linodes = Array.isArray(devices.linodes) ? (devices.linodes as unknown[]) : [];
    const nbs = Array.isArray(devices.nodebalancers) ? (devices.nodebalancers as unknown[]) : [];
    linodes.forEach((id) => typeof id === "number" && state.instances.has(id) ? undefined : p.add("devices.linodes", `Linode ${String(id)} not found`));
    nbs.forEach((id) => typeof id === "number" && state.nodebalancers.has(id) ? undefined : p.add("devices.nodebalancers", `NodeBalancer ${String(id)} not found`));
    p.throwIfAny();
    const fw: FirewallRecord = {
        id: state.newId("firewall"),
        label: label as string,
        status: "enabled",
        tags: tags ?? [],
        inboundPolicy: rules.inboundPolicy as "ACCEPT" | "DROP",
        outboundPolicy: rules.outboundPolicy as "ACCEPT" | "DROP",
        inbound: rules.inbound,
        outbound: rules.outbound,
        version: 1,
        devices: [],
        created: req.now,
        updated: req.now,
    };
    state.firewalls.set(fw.id, fw);
    linodes.forEach((id) => addDevice(state, fw, "linode", id as number, req.now));
    nbs.forEach((id) => addDevice(state, fw, "nodebalancer", id as number, req.now));
    state.addEvent("firewall_create", { id: fw.id, label: fw.label, type: "firewall", url: `/v4/networking/firewalls/${fw.id}` }, req.now, "notification");
    return renderFirewall(fw);
}

function updateFirewall(req: SimRequest): unknown {
    const fw = findFirewall(req);
    const b = asBody(req.body);
    const p = new Problems();
    const label = checkLabel(p, b.label, { min: 3, max: 32, pattern: LINODE_LABEL, required: false });
    if (label !== undefined && [...req.state.firewalls.values()].some((f) => f.label === label && f.id !== fw.id)) p.add("label", "Label must be unique");
    const tags = checkTags(p, b.tags);
    const status = checkEnum(p, "status", b.status, ["enabled", "disabled"] as const);
    p.throwIfAny();
    if (label !== undefined) fw.label = label;
    if (tags !== undefined) fw.tags = tags;
    if (status !== undefined) fw.status = status;
    fw.updated = req.now;
    return renderFirewall(fw);
}

function replaceRules(req: SimRequest): unknown {
    const fw = findFirewall(req);
    const p = new Problems();
    const rules = checkRuleSet(p, req.body, "rules");
    p.throwIfAny();
    fw.inboundPolicy = rules.inboundPolicy as "ACCEPT" | "DROP";
    fw.outboundPolicy = rules.outboundPolicy as "ACCEPT" | "DROP";
    fw.inbound = rules.inbound;
    fw.outbound = rules.outbound;
    fw.version++;
    fw.updated = req.now;
    return renderRules(fw);
}

function postDevice(req: SimRequest): unknown {
    const fw = findFirewall(req);
    const b = asBody(req.body);
    const p = new Problems();
    const type = checkEnum(p, "type", b.type, ["linode", "nodebalancer"] as const);
    if (b.type === undefined) p.add("type", "type is required");
    if (typeof b.id !== "number") p.add("id", "id is required");
    p.throwIfAny();
    const id = b.id as number;
    const exists = type === "linode" ? req.state.instances.has(id) : req.state.nodebalancers.has(id);
    if (!exists) throw badRequest(`${type} ${id} not found`, "id");
    return renderDevice(req.state, addDevice(req.state, fw, type as "linode" | "nodebalancer", id, req.now));
}

function findDevice(req: SimRequest) {
    const fw = findFirewall(req);
    const d = fw.devices.find((x) => x.id === Number(req.params.deviceId));
    if (!d) throw notFound();
    return { fw, d };
}

export const firewallRoutes: Route[] = [
    {
        method: "GET",
        path: "/networking/firewalls",
        collection: true,
        handler: (req) => listResponse(req, [...req.state.firewalls.values()].map(renderFirewall), FILTERABLE.firewalls),
    },
    { method: "POST", path: "/networking/firewalls", handler: createFirewall },
    { method: "GET", path: "/networking/firewalls/{firewallId}", handler: (req) => renderFirewall(findFirewall(req)) },
    { method: "PUT", path: "/networking/firewalls/{firewallId}", handler: updateFirewall },
    {
        method: "DELETE",
        path: "/networking/firewalls/{firewallId}",
        handler: (req) => {
            req.state.firewalls.delete(findFirewall(req).id);
            return {};
        },
    },
    { method: "GET", path: "/networking/firewalls/{firewallId}/rules", handler: (req) => renderRules(findFirewall(req)) },
    { method: "PUT", path: "/networking/firewalls/{firewallId}/rules", handler: replaceRules },
    {
        method: "GET",
        path: "/networking/firewalls/{firewallId}/devices",
        collection: true,
        handler: (req) => listResponse(req, findFirewall(req).devices.map((d) => renderDevice(req.state, d)), []),
    },
    { method: "POST", path: "/networking/firewalls/{firewallId}/devices", handler: postDevice },
    { method: "GET", path: "/networking/firewalls/{firewallId}/devices/{deviceId}", handler: (req) => renderDevice(req.state, findDevice(req).d) },
    {
        method: "DELETE",
        path: "/networking/firewalls/{firewallId}/devices/{deviceId}",
        handler: (req) => {
            const { fw, d } = findDevice(req);
            fw.devices = fw.devices.filter((x) => x !== d);
            return {};
        },
    },
    {
        method: "GET",
        path: "/linode/instances/{linodeId}/firewalls",
        collection: true,
        handler: (req) => {
            const linode = findInstance(req.state, req.params.linodeId);
            const fws = [...req.state.firewalls.values()].filter((f) => f.devices.some((d) => d.type === "linode" && d.entityId === linode.id));
            return listResponse(req, fws.map(renderFirewall), FILTERABLE.firewalls);
        },
    },
];
