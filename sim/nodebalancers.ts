/**
 * NodeBalancers with configs and nodes. A node's status follows the Linode behind its
 * private address: UP while that Linode is running, DOWN otherwise — so a test can watch a
 * backend join only once it has booted.
 */
import { notFound, Problems } from "./errors";
import { FILTERABLE } from "./filterable";
import { listResponse } from "./pagination";
import type { Route, SimRequest } from "./router";
import { apiTime, type NbConfigRecord, type NbNodeRecord, type NodeBalancerRecord, type SimState } from "./state";
import { asBody, checkBool, checkEnum, checkInt, checkLabel, checkString, checkTags, NB_NODE_LABEL, NODEBALANCER_LABEL } from "./validate";

export function renderNodeBalancer(nb: NodeBalancerRecord): Record<string, unknown> {
    return {
        id: nb.id,
        label: nb.label,
        region: nb.region,
        hostname: `nb-${nb.ipv4.replace(/\./g, "-")}.${nb.region}.nodebalancer.linode.com`,
        ipv4: nb.ipv4,
        ipv6: nb.ipv6,
        client_conn_throttle: nb.clientConnThrottle,
        transfer: { in: 0, out: 0, total: 0 },
        tags: [...nb.tags],
        created: apiTime(nb.created),
        updated: apiTime(nb.updated),
    };
}

function nodeStatus(state: SimState, n: NbNodeRecord): "UP" | "DOWN" {
    const ip = n.address.replace(/:\d+$/, "");
    return state.instanceByPrivateIp(ip)?.status === "running" && n.mode !== "reject" ? "UP" : "DOWN";
}

function renderConfig(state: SimState, nb: NodeBalancerRecord, c: NbConfigRecord): Record<string, unknown> {
    const statuses = c.nodes.map((n) => nodeStatus(state, n));
    return {
        ...c.settings,
        id: c.id,
        nodebalancer_id: nb.id,
        nodes_status: { up: statuses.filter((s) => s === "UP").length, down: statuses.filter((s) => s === "DOWN").length },
        ssl_commonname: "",
        ssl_fingerprint: "",
    };
}

function renderNode(state: SimState, nb: NodeBalancerRecord, c: NbConfigRecord, n: NbNodeRecord): Record<string, unknown> {
    return { id: n.id, address: n.address, label: n.label, weight: n.weight, mode: n.mode, status: nodeStatus(state, n), config_id: c.id, nodebalancer_id: nb.id };
}

const CONFIG_DEFAULTS = {
    port: 80,
    protocol: "http",
    algorithm: "roundrobin",
    stickiness: "none",
    check: "none",
    check_interval: 31,
    check_timeout: 30,
    check_attempts: 3,
    check_path: "",
    check_body: "",
    check_passive: true,
    cipher_suite: "recommended",
    proxy_protocol: "none",
    ssl_cert: null,
    ssl_key: null,
};

function checkConfig(p: Problems, raw: unknown, base: Record<string, unknown>, field: string): NbConfigRecord["settings"] {
    const b = asBody(raw);
    const s: Record<string, unknown> = { ...base };
    const set = (key: string, v: unknown): void => {
        if (v !== undefined) s[key] = v;
    };
    set("port", checkInt(p, `${field}port`, b.port, { min: 1, max: 65535 }));
    set("protocol", checkEnum(p, `${field}protocol`, b.protocol, ["http", "https", "tcp"] as const));
    set("algorithm", checkEnum(p, `${field}algorithm`, b.algorithm, ["roundrobin", "leastconn", "source"] as const));
    set("stickiness", checkEnum(p, `${field}stickiness`, b.stickiness, ["none", "table", "http_cookie"] as const));
    set("check", checkEnum(p, `${field}check`, b.check, ["none", "connection", "http", "http_body"] as const));
    set("check_interval", checkInt(p, `${field}check_interval`, b.check_interval, { min: 2, max: 3600 }));
    set("check_timeout", checkInt(p, `${field}check_timeout`, b.check_timeout, { min: 1, max: 30 }));
    set("check_attempts", checkInt(p, `${field}check_attempts`, b.check_attempts, { min: 1, max: 30 }));
    set("check_path", checkString(p, `${field}check_path`, b.check_path));
    set("check_body", checkString(p, `${field}check_body`, b.check_body));
    set("check_passive", checkBool(p, `${field}check_passive`, b.check_passive));
    set("cipher_suite", checkEnum(p, `${field}cipher_suite`, b.cipher_suite, ["recommended", "legacy"] as const));
    set("proxy_protocol", checkEnum(p, `${field}proxy_protocol`, b.proxy_protocol, ["none", "v1", "v2"] as const));
    set("ssl_cert", checkString(p, `${field}ssl_cert`, b.ssl_cert));
    set("ssl_key", checkString(p, `${field}ssl_key`, b.ssl_key));
    if ((s.check_interval as number) <= (s.check_timeout as number)) p.add(`${field}check_interval`, "check_interval must be greater than check_timeout");
    if (s.protocol === "https" && (!s.ssl_cert || !s.ssl_key)) p.add(`${field}ssl_cert`, "ssl_cert and ssl_key are required for https");
    return s as NbConfigRecord["settings"];
}

function checkNode(p: Problems, state: SimState, raw: unknown, field: string, existing?: NbNodeRecord): Omit<NbNodeRecord, "id"> {
    const b = asBody(raw);
    const address = checkString(p, `${field}address`, b.address, { required: existing === undefined });
    if (address !== undefined) {
        const m = /^(192\.168\.(\d+)\.(\d+)):(\d+)$/.exec(address);
        if (!m || Number(m[2]) < 128 || Number(m[2]) > 255 || Number(m[4]) < 1 || Number(m[4]) > 65535) {
            p.add(`${field}address`, "address must be a private IPv4 address (192.168.128.0/17) with a port");
        } else if (!state.instanceByPrivateIp(m[1] as string)) {
            p.add(`${field}address`, "No Linode has this private address");
        }
    }
    const label = checkLabel(p, b.label, { field: `${field}label`, min: 3, max: 32, pattern: NB_NODE_LABEL, required: existing === undefined });
    const weight = checkInt(p, `${field}weight`, b.weight, { min: 1, max: 255 });
    const mode = checkEnum(p, `${field}mode`, b.mode, ["accept", "reject", "drain", "backup"] as const);
    return {
        address: address ?? existing?.address ?? "",
        label: label ?? existing?.label ?? "",
        weight: weight ?? existing?.weight ?? 100,
        mode: mode ?? existing?.mode ?? "accept",
    };
}

function findNb(req: SimRequest): NodeBalancerRecord {
    const nb = req.state.nodebalancers.get(Number(req.params.nodeBalancerId));
    if (!nb) throw notFound();
    return nb;
}

function findConfig(req: SimRequest): { nb: NodeBalancerRecord; c: NbConfigRecord } {
    const nb = findNb(req);
    const c = nb.configs.find((x) => x.id === Number(req.params.configId));
    if (!c) throw notFound();
    return { nb, c };
}

function findNode(req: SimRequest): { nb: NodeBalancerRecord; c: NbConfigRecord; n: NbNodeRecord } {
    const { nb, c } = findConfig(req);
    const n = c.nodes.find((x) => x.id === Number(req.params.nodeId));
    if (!n) throw notFound();
    return { nb, c, n };
}

function uniquePort(p: Problems, nb: NodeBalancerRecord, port: number, self?: NbConfigRecord): void {
    if (nb.configs.some((c) => c !== self && c.settings.port === port)) p.add("port", "Port is already in use on this NodeBalancer");
}

function createNb(req: SimRequest): unknown {
    const { state } = req;
    const b = asBody(req.body);
    const p = new Problems();
    const region = checkString(p, "region", b.region, { required: true });
    const info = state.catalog.regions.find((r) => r.id === region);
    if (region !== undefined && !info) p.add("region", "region is not valid");
    if (info && !info.capabilities.includes("NodeBalancers")) p.add("region", "NodeBalancers are not available in this region");
    const label = checkLabel(p, b.label, { min: 3, max: 32, pattern: NODEBALANCER_LABEL, required: false });
    if (label !== undefined && [...state.nodebalancers.values()].some((n) => n.label === label)) p.add("label", "Label must be unique");
    const throttle = checkInt(p, "client_conn_throttle", b.client_conn_throttle, { min: 0, max: 20 });
    const tags = checkTags(p, b.tags);
    const rawConfigs = b.configs === undefined ? [] : Array.isArray(b.configs) ? b.configs : (p.add("configs", "configs must be an array"), []);
    const configs = rawConfigs.map((rc, i) => {
        const settings = checkConfig(p, rc, CONFIG_DEFAULTS, `configs[${i}].`);
        const nodesRaw = asBody(rc).nodes;
        if (!Array.isArray(nodesRaw)) p.add(`configs[${i}].nodes`, "nodes is required");
        const nodes = (Array.isArray(nodesRaw) ? nodesRaw : []).map((n, j) => checkNode(p, state, n, `configs[${i}].nodes[${j}].`));
        return { settings, nodes };
    });
    const ports = configs.map((c) => c.settings.port);
    if (new Set(ports).size !== ports.length) p.add("configs", "Each config needs its own port");
    p.throwIfAny();
    const id = state.newId("nb");
    const nb: NodeBalancerRecord = {
        id,
        label: label ?? `nodebalancer${id}`,
        region: region as string,
        ipv4: state.allocatePublicIpv4(),
        ipv6: `2001:db8:0:2::${id.toString(16)}`,
        clientConnThrottle: throttle ?? 0,
        tags: tags ?? [],
        configs: configs.map((c) => ({
            id: state.newId("nbConfig"),
            settings: c.settings,
            nodes: c.nodes.map((n) => ({ ...n, id: state.newId("nbNode") })),
        })),
        created: req.now,
        updated: req.now,
    };
    state.nodebalancers.set(id, nb);
    state.addEvent("nodebalancer_create", { id, label: nb.label, type: "nodebalancer", url: `/v4/nodebalancers/${id}` }, req.now, "notification");
    return renderNodeBalancer(nb);
}

function updateNb(req: SimRequest): unknown {
    const nb = findNb(req);
    const b = asBody(req.body);
    const p = new Problems();
    const label = checkLabel(p, b.label, { min: 3, max: 32, pattern: NODEBALANCER_LABEL, required: false });
    if (label !== undefined && [...req.state.nodebalancers.values()].some((n) => n.label === label && n.id !== nb.id)) p.add("label", "Label must be unique");
    const throttle = checkInt(p, "client_conn_throttle", b.client_conn_throttle, { min: 0, max: 20 });
    const tags = checkTags(p, b.tags);
    p.throwIfAny();
    if (label !== undefined) nb.label = label;
    if (throttle !== undefined) nb.clientConnThrottle = throttle;
    if (tags !== undefined) nb.tags = tags;
    nb.updated = req.now;
    return renderNodeBalancer(nb);
}

function createConfig(req: SimRequest): unknown {
    const nb = findNb(req);
    const p = new Problems();
    const settings = checkConfig(p, req.body, CONFIG_DEFAULTS, "");
    uniquePort(p, nb, settings.port);
    p.throwIfAny();
    const c: NbConfigRecord = { id: req.state.newId("nbConfig"), settings, nodes: [] };
    nb.configs.push(c);
    return renderConfig(req.state, nb, c);
}

function updateConfig(req: SimRequest): unknown {
    const { nb, c } = findConfig(req);
    const p = new Problems();
    const settings = checkConfig(p, req.body, c.settings, "");
    uniquePort(p, nb, settings.port, c);
    p.throwIfAny();
    c.settings = settings;
    return renderConfig(req.state, nb, c);
}

function createNode(req: SimRequest): unknown {
    const { nb, c } = findConfig(req);
    const p = new Problems();
    const node = checkNode(p, req.state, req.body, "");
    if (c.nodes.some((n) => n.address === node.address)) p.add("address", "This address is already a node of the config");
    p.throwIfAny();
    const n: NbNodeRecord = { ...node, id: req.state.newId("nbNode") };
    c.nodes.push(n);
    return renderNode(req.state, nb, c, n);
}

function updateNode(req: SimRequest): unknown {
    const { nb, c, n } = findNode(req);
    const p = new Problems();
    const node = checkNode(p, req.state, req.body, "", n);
    p.throwIfAny();
    Object.assign(n, node);
    return renderNode(req.state, nb, c, n);
}

export const nodeBalancerRoutes: Route[] = [
    {
        method: "GET",
        path: "/nodebalancers",
        collection: true,
        handler: (req) => listResponse(req, [...req.state.nodebalancers.values()].map(renderNodeBalancer), FILTERABLE.nodebalancers),
    },
    { method: "POST", path: "/nodebalancers", handler: createNb },
    { method: "GET", path: "/nodebalancers/{nodeBalancerId}", handler: (req) => renderNodeBalancer(findNb(req)) },
    { method: "PUT", path: "/nodebalancers/{nodeBalancerId}", handler: updateNb },
    {
        method: "DELETE",
        path: "/nodebalancers/{nodeBalancerId}",
        handler: (req) => {
            const nb = findNb(req);
            req.state.nodebalancers.delete(nb.id);
            for (const fw of req.state.firewalls.values()) fw.devices = fw.devices.filter((d) => !(d.type === "nodebalancer" && d.entityId === nb.id));
            return {};
        },
    },
    {
        method: "GET",
        path: "/nodebalancers/{nodeBalancerId}/configs",
        collection: true,
        handler: (req) => {
            const nb = findNb(req);
            return listResponse(req, nb.configs.map((c) => renderConfig(req.state, nb, c)), []);
        },
    },
    { method: "POST", path: "/nodebalancers/{nodeBalancerId}/configs", handler: createConfig },
    {
        method: "GET",
        path: "/nodebalancers/{nodeBalancerId}/configs/{configId}",
        handler: (req) => {
            const { nb, c } = findConfig(req);
            return renderConfig(req.state, nb, c);
        },
    },
    { method: "PUT", path: "/nodebalancers/{nodeBalancerId}/configs/{configId}", handler: updateConfig },
    {
        method: "DELETE",
        path: "/nodebalancers/{nodeBalancerId}/configs/{configId}",
        handler: (req) => {
            const { nb, c } = findConfig(req);
            nb.configs = nb.configs.filter((x) => x !== c);
            return {};
        },
    },
    {
        method: "GET",
        path: "/nodebalancers/{nodeBalancerId}/configs/{configId}/nodes",
        collection: true,
        handler: (req) => {
            const { nb, c } = findConfig(req);
            return listResponse(req, c.nodes.map((n) => renderNode(req.state, nb, c, n)), []);
        },
    },
    { method: "POST", path: "/nodebalancers/{nodeBalancerId}/configs/{configId}/nodes", handler: createNode },
    {
        method: "GET",
        path: "/nodebalancers/{nodeBalancerId}/configs/{configId}/nodes/{nodeId}",
        handler: (req) => {
            const { nb, c, n } = findNode(req);
            return renderNode(req.state, nb, c, n);
        },
    },
    { method: "PUT", path: "/nodebalancers/{nodeBalancerId}/configs/{configId}/nodes/{nodeId}", handler: updateNode },
    {
        method: "DELETE",
        path: "/nodebalancers/{nodeBalancerId}/configs/{configId}/nodes/{nodeId}",
        handler: (req) => {
            const { c, n } = findNode(req);
            c.nodes = c.nodes.filter((x) => x !== n);
            return {};
        },
    },
];
