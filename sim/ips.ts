/**
 * A Linode's addresses (`/linode/instances/{id}/ips`): one public IPv4, an optional private
 * IPv4 (at most one per Linode), SLAAC IPv6. Reverse DNS can be set on the IPv4 addresses.
 */
import { badRequest, notFound, Problems } from "./errors";
import { findInstance, instanceEntity } from "./instances";
import type { Route, SimRequest } from "./router";
import type { InstanceRecord, SimState } from "./state";
import { asBody, checkBool, checkEnum } from "./validate";

function gatewayOf(address: string): string {
    return address.replace(/\.\d+$/, ".1");
}

function renderAddress(r: InstanceRecord, address: string): Record<string, unknown> {
    const isPublic = address === r.publicIpv4;
    return {
        address,
        gateway: isPublic ? gatewayOf(address) : null,
        subnet_mask: isPublic ? "255.255.255.0" : "255.255.128.0",
        prefix: isPublic ? 24 : 17,
        type: "ipv4",
        public: isPublic,
        rdns: r.rdns[address] ?? (isPublic ? `${address.replace(/\./g, "-")}.ip.linodeusercontent.com` : null),
        linode_id: r.id,
        region: r.region,
    };
}

function renderPrivate(r: InstanceRecord, address: string): Record<string, unknown> {
    // The spec's private entries have non-nullable gateway and rdns strings.
    return { ...renderAddress(r, address), gateway: "192.168.128.1", rdns: "" };
}

function renderIpv6(r: InstanceRecord, address: string, kind: "slaac" | "link_local"): Record<string, unknown> {
    return {
        address,
        gateway: "fe80::1",
        subnet_mask: "ffff:ffff:ffff:ffff::",
        prefix: 64,
        type: "ipv6",
        public: kind === "slaac",
        rdns: "",
        linode_id: r.id,
        region: r.region,
    };
}

export function renderNetworking(r: InstanceRecord): Record<string, unknown> {
    const slaac = r.ipv6.replace(/\/128$/, "");
    return {
        ipv4: {
            public: [renderAddress(r, r.publicIpv4)],
            private: r.privateIpv4 ? [renderPrivate(r, r.privateIpv4)] : [],
            shared: [],
            reserved: [],
            vpc: [],
        },
        ipv6: {
            slaac: renderIpv6(r, slaac, "slaac"),
            link_local: renderIpv6(r, `fe80::${r.id.toString(16)}`, "link_local"),
            global: [],
        },
    };
}

function addressOf(r: InstanceRecord, address: string | undefined): string {
    if (address !== undefined && (address === r.publicIpv4 || address === r.privateIpv4)) return address;
    throw notFound();
}

function addIp(req: SimRequest): unknown {
    const state: SimState = req.state;
    const r = findInstance(state, req.params.linodeId);
    const b = asBody(req.body);
    const p = new Problems();
    const type = checkEnum(p, "type", b.type, ["ipv4"] as const);
    if (b.type === undefined) p.add("type", "type is required");
    const isPublic = checkBool(p, "public", b.public);
    if (b.public === undefined) p.add("public", "public is required");
    p.throwIfAny();
    if (type === "ipv4" && isPublic) {
        throw badRequest("Additional public IPv4 addresses require technical justification; open a support ticket");
    }
    if (r.privateIpv4) throw badRequest("This Linode already has a private IPv4 address", "public");
    r.privateIpv4 = state.allocatePrivateIpv4();
    state.addEvent("linode_addip", instanceEntity(r), req.now, "notification");
    return renderPrivate(r, r.privateIpv4);
}

function updateRdns(req: SimRequest): unknown {
    const r = findInstance(req.state, req.params.linodeId);
    const address = addressOf(r, req.params.address);
    const b = asBody(req.body);
    if (!("rdns" in b)) throw badRequest("rdns is required", "rdns");
    if (b.rdns !== null && typeof b.rdns !== "string") throw badRequest("rdns must be a string or null", "rdns");
    r.rdns[address] = b.rdns as string | null;
    return address === r.publicIpv4 ? renderAddress(r, address) : renderPrivate(r, address);
}

function deleteIp(req: SimRequest): unknown {
    const r = findInstance(req.state, req.params.linodeId);
    const address = addressOf(r, req.params.address);
    if (address === r.publicIpv4) throw badRequest("Cannot delete the last public IPv4 address of a Linode");
    delete r.privateIpv4;
    req.state.addEvent("linode_deleteip", instanceEntity(r), req.now, "notification");
    return {};
}

export const ipRoutes: Route[] = [
    { method: "GET", path: "/linode/instances/{linodeId}/ips", handler: (req) => renderNetworking(findInstance(req.state, req.params.linodeId)) },
    { method: "POST", path: "/linode/instances/{linodeId}/ips", handler: addIp },
    {
        method: "GET",
        path: "/linode/instances/{linodeId}/ips/{address}",
        handler: (req) => {
            const r = findInstance(req.state, req.params.linodeId);
            const a = addressOf(r, req.params.address);
            return a === r.publicIpv4 ? renderAddress(r, a) : renderPrivate(r, a);
        },
    },
    { method: "PUT", path: "/linode/instances/{linodeId}/ips/{address}", handler: updateRdns },
    { method: "DELETE", path: "/linode/instances/{linodeId}/ips/{address}", handler: deleteIp },
];
