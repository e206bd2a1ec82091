import { describe, expect, it } from "vitest";
import { firewallSpecs } from "../../sdk/network/firewall-rules";
import type { ResolvedPlan } from "../../sdk/plan/resolved";
import { resolve } from "./helpers";

/**
 * Names come from the plan, never from evaluation order: growing a group only appends, and a new
 * group or region renames nothing. Each test compares everything a deployed resource is known by
 * (name, label, hostname, VPC address, DNS name, volume names and labels, placement group,
 * firewall) before and after the change.
 */

function plan(opts: { webCount?: number; extraGroup?: "before" | "after"; extraRegion?: "before" | "after" } = {}): any {
    const ord = {
        region: "us-ord",
        nodeGroups: [
            { name: "web", count: opts.webCount ?? 3, antiAffinity: true, storage: [{ name: "data", sizeGb: 20, mountPath: "/data" }], services: [{ name: "http", ports: [80] }] },
            { name: "db", count: 2, storage: [{ name: "pg", sizeGb: 100, mountPath: "/var/lib/postgresql" }] },
        ],
    };
    if (opts.extraGroup === "before") ord.nodeGroups.unshift({ name: "cache", count: 2 } as any);
    if (opts.extraGroup === "after") ord.nodeGroups.push({ name: "cache", count: 2 } as any);
    const regions: any[] = [ord, { region: "nl-ams", nodeGroups: [{ name: "web", count: 2 }] }];
    const extra = { region: "de-fra-2", nodeGroups: [{ name: "web", count: 1 }] };
    if (opts.extraRegion === "before") regions.unshift(extra);
    if (opts.extraRegion === "after") regions.push(extra);
    return {
        name: "stable",
        exposure: { adminCidrs: ["203.0.113.0/24"] },
        regions,
        dns: { domain: "example.com", soaEmail: "hostmaster@example.com" },
    };
}

/** Every identity of every resource, keyed by the node (or group) it belongs to. */
function identities(r: ResolvedPlan) {
    const nodes = new Map(
        r.nodes.map((n) => [
            n.name,
            {
                label: n.label,
                hostname: n.hostname,
                index: n.index,
                vpcIp: n.vpcIp,
                fqdn: n.fqdn,
                volumes: r.volumes.filter((v) => v.node === n.name).map((v) => [v.name, v.label]),
                placementGroup: r.groups.find((g) => g.key === n.group)?.placementGroups?.find((pg) => pg.nodes.includes(n.name))?.label,
            },
        ]),
    );
    const groups = new Map(
        r.groups.map((g) => [g.key, { resourceName: g.resourceName, firewall: r.firewalls.find((f) => f.groups.includes(g.key)) }]),
    );
    const regions = new Map(r.regions.map((x) => [x.id, { resourceName: x.resourceName, vpc: x.vpc }]));
    return { nodes, groups, regions };
}

/** Everything identified in `before` is identical in `after`. */
function expectKept(before: ResolvedPlan, after: ResolvedPlan): void {
    const a = identities(before);
    const b = identities(after);
    for (const kind of ["nodes", "groups", "regions"] as const) {
        for (const [key, value] of a[kind] as Map<string, unknown>) expect((b[kind] as Map<string, unknown>).get(key), `${kind} ${key}`).toEqual(value);
    }
}

describe("stable naming", () => {
    it("raising a group from 3 to 5 adds two nodes and renames nothing", () => {
        const before = resolve(plan({ webCount: 3 }));
        const after = resolve(plan({ webCount: 5 }));
        expectKept(before, after);
        const added = after.nodes.filter((n) => !before.nodes.some((m) => m.name === n.name)).map((n) => n.name);
        expect(added).toEqual(["stable-us-ord-web-4", "stable-us-ord-web-5"]);
        expect(after.volumes.length - before.volumes.length).toBe(2);
        // The new nodes continue the group's VPC addresses.
        const ips = after.nodes.filter((n) => n.group === "us-ord/web").map((n) => Number(n.vpcIp!.split(".")[3]));
        expect(ips).toEqual([10, 11, 12, 13, 14]);
        // Existing firewall rules keep their labels (new members are added to them).
        const labels = (r: ResolvedPlan) => firewallSpecs(r).map((f) => [f.label, f.inbound.map((x) => x.label)]);
        expect(labels(after)).toEqual(labels(before));
    });

    it("lowering a group from 5 to 3 removes only its last two nodes", () => {
        const before = resolve(plan({ webCount: 5 }));
        const after = resolve(plan({ webCount: 3 }));
        expectKept(after, before);
        expect(before.nodes.filter((n) => !after.nodes.some((m) => m.name === n.name)).map((n) => n.name)).toEqual(["stable-us-ord-web-4", "stable-us-ord-web-5"]);
    });

    it.each(["before", "after"] as const)("adding a group %s the others renames nothing", (where) => {
        const before = resolve(plan());
        const after = resolve(plan({ extraGroup: where }));
        expectKept(before, after);
        expect(after.nodes.length - before.nodes.length).toBe(2);
    });

    it.each(["before", "after"] as const)("adding a region %s the others renames nothing", (where) => {
        const before = resolve(plan());
        const after = resolve(plan({ extraRegion: where }));
        expectKept(before, after);
        expect(after.regions.find((r) => r.id === "de-fra-2")!.vpc!.subnet).toBe("10.8.0.0/16"); // its own catalogue number
    });

    it("reordering regions and groups renames nothing", () => {
        const p = plan();
        const reordered = plan();
        reordered.regions.reverse();
        reordered.regions[1].nodeGroups.reverse();
        const a = identities(resolve(p));
        const b = identities(resolve(reordered));
        expect(new Map([...b.nodes].sort())).toEqual(new Map([...a.nodes].sort()));
        expect(new Map([...b.groups].sort())).toEqual(new Map([...a.groups].sort()));
    });

    it("gives the same names on every run", () => {
        expect(identities(resolve(plan()))).toEqual(identities(resolve(plan())));
    });
});
