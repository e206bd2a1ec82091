import { describe, expect, it } from "vitest";
import { bundledCatalog } from "../../sdk/catalog/load";
import { normalize } from "../../sdk/plan/normalize/normalize";
import { mergeSources, resolveSelector, SelectorScope } from "../../sdk/plan/normalize/selectors";
import { dnsRecordName, unknownPlaceholders } from "../../sdk/plan/normalize/dns-names";
import { toPortSets, toRanges } from "../../sdk/plan/normalize/port-rules";
import { clusterPlan } from "../../sdk/plan/schema";
import { basePlan, ed25519PublicKey, planWith, resolve } from "./helpers";

/** A plan touching every normalization feature. */
function richPlan(): any {
    return {
        name: "demo",
        description: "rich",
        tags: ["env-test"],
        defaults: { type: "g6-standard-4", image: "linode/ubuntu24.04", adminUser: "deploy", hardening: "strict", configMethod: "cloud-init" },
        exposure: { adminCidrs: ["203.0.113.0/24", "2001:db8::/32"], clientCidrs: ["198.51.100.0/24"], publicPorts: [{ ports: [443], groups: ["role:edge"] }] },
        bastion: "us-ord/bastion",
        regions: [
            {
                region: "us-ord",
                tags: ["team-a"],
                nodeGroups: [
                    { name: "bastion", count: 1, type: "g6-nanode-1" },
                    {
                        name: "web",
                        role: "edge",
                        count: 7,
                        image: "linode/debian12",
                        antiAffinity: true,
                        bootOrder: 2,
                        tags: ["tier-web"],
                        services: [{ name: "http", ports: [8080, "9000-9001", 9002], from: ["clients", "self"] }],
                        storage: [{ name: "cache", sizeGb: 20, mountPath: "/var/cache/app", filesystem: "xfs" }],
                        hardening: { profile: "baseline", forwarding: true, extraPorts: [{ port: 7946, protocol: "udp" }], egress: { mode: "restricted", allow: [443] } },
                    },
                ],
            },
            { region: "eu-central", nodeGroups: [{ name: "worker", count: 2, configMethod: "stackscript", publicPorts: [{ port: 51820, protocol: "udp" }] }] },
        ],
        loadBalancers: [{ name: "front", region: "us-ord", clientConnThrottle: 5, listeners: [{ port: 80, healthCheck: { type: "http", path: "/healthz" }, target: { group: "web", port: 8080 } }] }],
        dns: { domain: "Example.COM", soaEmail: "hostmaster@example.com" },
        template: { name: "web", version: "1", parameters: { size: 3 } },
    };
}

describe("normalize: defaults and overrides", () => {
    it("fills every default for a minimal plan", () => {
        const r = resolve(basePlan());
        const g = r.groups[0]!;
        expect({ type: g.type, image: g.image, role: g.role, bootOrder: g.bootOrder, antiAffinity: g.antiAffinity, configMethod: g.configMethod, profile: g.hardening.profile }).toEqual({
            type: "g6-standard-2",
            image: "linode/debian12",
            role: "web",
            bootOrder: 0,
            antiAffinity: false,
            configMethod: "cloud-init",
            profile: "baseline",
        });
        expect(g.hardening).toEqual({ profile: "baseline", forwarding: false, egress: { mode: "open", allow: [] }, extraPorts: [] });
        expect(r.admin).toEqual({ user: "ops", sshKeys: [], generateKey: true, cidrs: { ipv4: ["203.0.113.0/24"], ipv6: [] } });
        expect(r.regions[0]).toEqual({
            id: "us-ord",
            label: "Chicago, IL",
            privateNetwork: "vpc",
            resourceName: "demo-us-ord",
            tags: ["lct:cluster=demo", "lct:region=us-ord"],
            groups: ["us-ord/web"],
            vpc: { label: "demo-us-ord", subnetLabel: "demo-us-ord-nodes", subnet: "10.31.0.0/16" },
        });
        expect(r.catalog).toEqual({ source: bundledCatalog.source, date: bundledCatalog.date });
        expect(r.dns).toBeUndefined();
        expect(r.bastion).toBeUndefined();
    });

    it("applies plan defaults, then group settings", () => {
        const r = resolve(richPlan());
        const [bastion, web, worker] = r.groups;
        expect([bastion!.type, bastion!.image, bastion!.hardening.profile]).toEqual(["g6-nanode-1", "linode/ubuntu24.04", "strict"]);
        expect([web!.type, web!.image, web!.role, web!.bootOrder, web!.hardening.profile, web!.hardening.forwarding]).toEqual(["g6-standard-4", "linode/debian12", "edge", 2, "baseline", true]);
        expect(worker!.configMethod).toBe("stackscript");
        expect(r.admin.user).toBe("deploy");
        expect(r.description).toBe("rich");
        expect(r.template).toEqual({ name: "web", version: "1", parameters: { size: 3 } });
    });

    it("trims SSH keys and generates a key only when none is given", () => {
        const key = ed25519PublicKey();
        const r = resolve(planWith((p) => (p.defaults = { sshKeys: [`  ${key}\n`] })));
        expect(r.admin.sshKeys).toEqual([key]);
        expect(r.admin.generateKey).toBe(false);
    });

    it("chooses VPC or private IPv4 per region", () => {
        const r = resolve(richPlan());
        expect(r.regions.map((x) => [x.id, x.privateNetwork, x.vpc?.subnet])).toEqual([
            ["us-ord", "vpc", "10.31.0.0/16"],
            ["eu-central", "private-ip", undefined],
        ]);
        const forced = resolve(planWith((p) => ((p.regions[0].privateNetwork = "private-ip"), (p.regions[0].vpcSubnet = "10.5.0.0/16"))));
        expect(forced.regions[0]!.vpc).toBeUndefined();
        expect(forced.nodes[0]!.vpcIp).toBeUndefined();
        const explicit = resolve(planWith((p) => (p.regions[0].vpcSubnet = "172.20.0.0/16")));
        expect(explicit.regions[0]!.vpc!.subnet).toBe("172.20.0.0/16");
        expect(explicit.nodes[0]!.vpcIp).toMatch(/^172\.20\.\d+\.10$/);
    });
});

describe("normalize: nodes, volumes, placement groups", () => {
    const r = resolve(richPlan());

    it("names every node <cluster>-<region>-<group>-<index>, with its label, hostname and DNS name", () => {
        expect(r.nodes.map((n) => n.name)).toEqual([
            "demo-us-ord-bastion-1",
            ...[1, 2, 3, 4, 5, 6, 7].map((i) => `demo-us-ord-web-${i}`),
            "demo-eu-central-worker-1",
            "demo-eu-central-worker-2",
        ]);
        const web3 = r.nodes.find((n) => n.name === "demo-us-ord-web-3")!;
        expect(web3).toEqual({
            name: "demo-us-ord-web-3",
            label: "demo-us-ord-web-3",
            hostname: "demo-us-ord-web-3",
            group: "us-ord/web",
            groupName: "web",
            region: "us-ord",
            role: "edge",
            index: 3,
            type: "g6-standard-4",
            image: "linode/debian12",
            tags: ["lct:cluster=demo", "lct:region=us-ord", "lct:group=web", "lct:role=edge", "lct:boot-order=2", "env-test", "team-a", "tier-web"],
            privateIp: true, // a NodeBalancer targets the group
            volumes: ["demo-us-ord-web-3-cache"],
            vpcIp: web3.vpcIp,
            dnsName: "web-3.us-ord",
            fqdn: "web-3.us-ord.example.com",
        });
        // Consecutive addresses in the group's block, from host .10.
        const webIps = r.nodes.filter((n) => n.group === "us-ord/web").map((n) => n.vpcIp!);
        const [a, b, c] = webIps[0]!.split(".");
        expect(webIps).toEqual([10, 11, 12, 13, 14, 15, 16].map((h) => `${a}.${b}.${c}.${h}`));
        expect(r.nodes.filter((n) => n.region === "eu-central").every((n) => n.vpcIp === undefined && n.privateIp)).toBe(true);
    });

    it("gives each node its volumes, tagged like the group", () => {
        expect(r.volumes.map((v) => v.name)).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `demo-us-ord-web-${i}-cache`));
        expect(r.volumes[0]).toEqual({
            name: "demo-us-ord-web-1-cache",
            label: "demo-us-ord-web-1-cache",
            node: "demo-us-ord-web-1",
            group: "us-ord/web",
            region: "us-ord",
            storageName: "cache",
            sizeGb: 20,
            mountPath: "/var/cache/app",
            filesystem: "xfs",
            deletionPolicy: "protect",
            tags: ["lct:cluster=demo", "lct:region=us-ord", "lct:group=web", "lct:role=edge", "env-test", "team-a", "tier-web"],
        });
    });

    it("shortens volume labels past 32 characters deterministically, keeping them unique", () => {
        const long = resolve(planWith((p) => ((p.name = "a-very-long-cluster-name"), (p.regions[0].nodeGroups[0].storage = [{ name: "data", sizeGb: 10, mountPath: "/d" }]))));
        const labels = long.volumes.map((v) => v.label);
        expect(long.volumes[0]!.name).toBe("a-very-long-cluster-name-us-ord-web-1-data");
        // The readable start (trailing "-" trimmed) and a hash of the full name.
        expect(labels.every((l) => /^a-very-long-cluster-name-[0-9a-f]{6}$/.test(l) && l.length <= 32)).toBe(true);
        expect(new Set(labels).size).toBe(labels.length);
    });

    it("spreads anti-affinity groups over placement groups of the region's size", () => {
        expect(r.groups[1]!.placementGroups).toEqual([
            { label: "demo-us-ord-web-pg1", nodes: [1, 2, 3, 4, 5].map((i) => `demo-us-ord-web-${i}`) },
            { label: "demo-us-ord-web-pg2", nodes: ["demo-us-ord-web-6", "demo-us-ord-web-7"] },
        ]);
        expect(r.groups[0]!.placementGroups).toBeUndefined();
    });

    it("writes DNS records for every node, lower-case", () => {
        expect(r.dns).toEqual({
            domain: "example.com",
            soaEmail: "hostmaster@example.com",
            ttlSec: 300,
            records: r.nodes.map((n) => ({ node: n.name, name: n.dnsName, type: "A" })),
        });
        expect(r.dns!.records[0]).toEqual({ node: "demo-us-ord-bastion-1", name: "bastion-1.us-ord", type: "A" });
    });
});

describe("normalize: who may reach what", () => {
    const r = resolve(richPlan());
    const rules = (group: string) => r.access.filter((a) => a.group === group).map((a) => [a.purpose, a.name, a.protocol, a.ports, a.sources]);

    it("lets only the bastion take SSH from the admin networks; everyone else from the bastion", () => {
        expect(r.bastion).toBe("us-ord/bastion");
        expect(rules("us-ord/bastion")).toEqual([["ssh", "ssh", "tcp", [{ from: 22, to: 22 }], { groups: [], cidrs: ["203.0.113.0/24", "2001:db8::/32"], world: false }]]);
        expect(rules("eu-central/worker")[0]).toEqual(["ssh", "ssh", "tcp", [{ from: 22, to: 22 }], { groups: ["us-ord/bastion"], cidrs: [], world: false }]);
    });

    it("resolves services, public ports, extra ports and load-balancer back ends", () => {
        expect(rules("us-ord/web")).toEqual([
            ["ssh", "ssh", "tcp", [{ from: 22, to: 22 }], { groups: ["us-ord/bastion"], cidrs: [], world: false }],
            ["service", "http", "tcp", [{ from: 8080, to: 8080 }, { from: 9000, to: 9002 }], { groups: ["us-ord/web"], cidrs: ["198.51.100.0/24"], world: false }],
            ["public", "public", "tcp", [{ from: 443, to: 443 }], { groups: [], cidrs: [], world: true }],
            ["extra", "extra", "udp", [{ from: 7946, to: 7946 }], { groups: ["us-ord/bastion", "us-ord/web", "eu-central/worker"], cidrs: [], world: false }],
            ["load-balancer", "front-80", "tcp", [{ from: 8080, to: 8080 }], { groups: [], cidrs: ["192.168.255.0/24"], world: false }],
        ]);
        expect(rules("eu-central/worker")[1]).toEqual(["public", "public", "udp", [{ from: 51820, to: 51820 }], { groups: [], cidrs: [], world: true }]);
        expect(r.groups[1]!.services[0]!.clientFacing).toBe(true);
        expect(r.groups[1]!.hardening.egress).toEqual({ mode: "restricted", allow: [{ protocol: "tcp", ports: [{ from: 443, to: 443 }] }] });
    });

    it("opens plan-wide public ports only on the groups they select", () => {
        expect(r.groups.map((g) => [g.key, g.publicPorts])).toEqual([
            ["us-ord/bastion", []],
            ["us-ord/web", [{ protocol: "tcp", ports: [{ from: 443, to: 443 }] }]],
            ["eu-central/worker", [{ protocol: "udp", ports: [{ from: 51820, to: 51820 }] }]],
        ]);
    });

    it("defaults a service's sources to the whole cluster", () => {
        const plain = resolve(planWith((p) => (p.regions[0].nodeGroups[0].services = [{ name: "x", ports: [1] }])));
        expect(plain.groups[0]!.services[0]!.from).toEqual({ groups: ["us-ord/web"], cidrs: [], world: false });
    });

    it("resolves the load balancer with its defaults and target nodes, and one firewall per group", () => {
        expect(r.loadBalancers).toEqual([
            {
                name: "front",
                resourceName: "demo-lb-front",
                label: "demo-front",
                region: "us-ord",
                clientConnThrottle: 5,
                tags: ["lct:cluster=demo", "lct:region=us-ord", "env-test"],
                listeners: [
                    {
                        port: 80,
                        protocol: "http",
                        algorithm: "roundrobin",
                        stickiness: "none",
                        check: { type: "http", path: "/healthz", intervalSec: 10, timeoutSec: 5, attempts: 3, passive: true },
                        target: { group: "us-ord/web", port: 8080 },
                        nodes: [1, 2, 3, 4, 5, 6, 7].map((i) => `demo-us-ord-web-${i}`),
                    },
                ],
            },
        ]);
        expect(r.firewalls).toEqual([
            { label: "demo-us-ord-bastion", resourceName: "demo-us-ord-bastion-firewall", groups: ["us-ord/bastion"] },
            { label: "demo-us-ord-web", resourceName: "demo-us-ord-web-firewall", groups: ["us-ord/web"] },
            { label: "demo-eu-central-worker", resourceName: "demo-eu-central-worker-firewall", groups: ["eu-central/worker"] },
        ]);
    });
});

describe("normalize is a pure function", () => {
    it("gives deep-equal, JSON-serialisable results for the same input and leaves the input alone", () => {
        const parsed = clusterPlan.parse(richPlan());
        const before = structuredClone(parsed);
        const a = normalize(parsed, bundledCatalog);
        const b = normalize(parsed, bundledCatalog);
        expect(a).toEqual(b);
        expect(JSON.parse(JSON.stringify(a))).toEqual(a);
        expect(parsed).toEqual(before);
    });
});

describe("selectors", () => {
    const scope: SelectorScope = {
        groups: [
            { key: "us-ord/web", name: "web", region: "us-ord", role: "edge" },
            { key: "eu-central/web", name: "web", region: "eu-central", role: "edge" },
            { key: "us-ord/db", name: "db", region: "us-ord", role: "postgresql" },
        ],
        clientCidrs: ["198.51.100.0/24"],
    };
    const none = { groups: [], cidrs: [], world: false };

    it.each([
        ["cluster", { ...none, groups: ["us-ord/web", "eu-central/web", "us-ord/db"] }],
        ["self", { ...none, groups: ["us-ord/db"] }],
        ["world", { ...none, world: true }],
        ["clients", { ...none, cidrs: ["198.51.100.0/24"] }],
        ["role:edge", { ...none, groups: ["us-ord/web", "eu-central/web"] }],
        ["web", { ...none, groups: ["us-ord/web", "eu-central/web"] }],
        ["eu-central/web", { ...none, groups: ["eu-central/web"] }],
        ["10.0.0.0/8", { ...none, cidrs: ["10.0.0.0/8"] }],
        ["2001:db8::/32", { ...none, cidrs: ["2001:db8::/32"] }],
        [" db ", { ...none, groups: ["us-ord/db"] }],
    ])("%j", (selector, sources) => {
        expect(resolveSelector(selector, "us-ord/db", scope)).toEqual({ ok: true, sources });
    });

    it("explains what does not resolve", () => {
        expect(resolveSelector("role:", "x", scope)).toEqual({ ok: false, problem: 'no group has role ""' });
        expect(resolveSelector("clients", "x", { ...scope, clientCidrs: [] })).toEqual({ ok: false, problem: '"clients" is used but exposure.clientCidrs is empty' });
        expect(resolveSelector("1.2.3.4/40", "x", scope)).toEqual({ ok: false, problem: '"1.2.3.4/40" is not a valid IP network' });
    });

    it("merges source sets without duplicates, in order", () => {
        expect(mergeSources([{ ...none, groups: ["a", "b"] }, { groups: ["b", "c"], cidrs: ["10.0.0.0/8"], world: false }, { ...none, world: true }])).toEqual({
            groups: ["a", "b", "c"],
            cidrs: ["10.0.0.0/8"],
            world: true,
        });
    });
});

describe("port rules and DNS names", () => {
    it("merges port entries per protocol, sorted", () => {
        expect(toPortSets([443, "80", { port: 53, protocol: "udp" }, "8000-8010", 8011, { port: "8005", protocol: "tcp" }])).toEqual([
            { protocol: "tcp", ports: [{ from: 80, to: 80 }, { from: 443, to: 443 }, { from: 8000, to: 8011 }] },
            { protocol: "udp", ports: [{ from: 53, to: 53 }] },
        ]);
        expect(toRanges([22, "21-23", 25])).toEqual([{ from: 21, to: 23 }, { from: 25, to: 25 }]);
        expect(toPortSets(undefined)).toEqual([]);
    });

    it("fills hostname patterns and lists unknown placeholders", () => {
        expect(dnsRecordName("{cluster}-{role}-{index}.{region}", { cluster: "c", region: "us-ord", group: "web", role: "Edge", index: 4 })).toBe("c-edge-4.us-ord");
        expect(unknownPlaceholders("{group}-{index}.{zone}{}")).toEqual(["zone", ""]);
    });
});
