import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LABEL_RULES, labelProblem } from "../../sdk/naming/labels";
import {
    aggregateIpv4,
    bigIntToIpv4,
    contains,
    formatNetwork,
    hasHostBits,
    ipv4ToBigInt,
    isRfc1918,
    overlaps,
    parseCidr,
} from "../../sdk/network/cidr";
import { FIREWALL_MAX_ADDRESSES_PER_RULE, FIREWALL_MAX_PORT_PIECES, firewallSpecs, groupFirewallRules } from "../../sdk/network/firewall-rules";
import { indexPlan, memberAddress } from "../../sdk/network/member-addresses";
import { formatPorts, mergeRanges, parsePortSpec, portInRanges, rangesOverlap } from "../../sdk/network/ports";
import { blocksInSubnet, blocksNeeded, defaultVpcSubnet, fnv1a, groupFirstBlock, nodeVpcAddress } from "../../sdk/network/vpc-addresses";
import { planWith, resolve } from "../plan/helpers";

describe("CIDR arithmetic", () => {
    it("parses IPv4 and IPv6 networks and single addresses, clearing host bits", () => {
        expect(parseCidr("10.1.2.3/8")).toEqual({ version: 4, base: ipv4ToBigInt("10.0.0.0"), prefix: 8 });
        expect(parseCidr("203.0.113.7")).toEqual({ version: 4, base: ipv4ToBigInt("203.0.113.7"), prefix: 32 });
        expect(parseCidr("2001:db8::1/32")).toEqual({ version: 6, base: 0x20010db8n << 96n, prefix: 32 });
        expect(parseCidr("::ffff:1.2.3.4/128")!.base).toBe(0xffff01020304n);
    });

    it.each(["10.0.0.0/33", "2001:db8::/129", "10.0.0.0/8/8", "300.0.0.0/8", "10.0.0.0/-1", "10.0.0.0/x", "web", ""])("rejects %j", (text) => {
        expect(parseCidr(text)).toBeUndefined();
    });

    it("tells host bits, overlap and containment", () => {
        expect([hasHostBits("10.0.0.5/24"), hasHostBits("10.0.0.0/24"), hasHostBits("2001:db8::1/64"), hasHostBits("junk")]).toEqual([true, false, true, false]);
        const n = (t: string) => parseCidr(t)!;
        expect(overlaps(n("10.0.0.0/16"), n("10.0.255.0/24"))).toBe(true);
        expect(overlaps(n("10.0.0.0/16"), n("10.1.0.0/16"))).toBe(false);
        expect(overlaps(n("10.0.0.0/8"), n("::/0"))).toBe(false);
        expect(contains(n("10.0.0.0/8"), n("10.9.0.0/16"))).toBe(true);
        expect(contains(n("10.9.0.0/16"), n("10.0.0.0/8"))).toBe(false);
        expect(["10.0.0.0/8", "172.16.0.0/12", "172.31.255.0/24", "192.168.0.0/16"].every((t) => isRfc1918(n(t)))).toBe(true);
        expect(["172.32.0.0/16", "8.8.8.0/24", "10.0.0.0/7", "fd00::/8"].some((t) => isRfc1918(n(t)))).toBe(false);
    });

    it("formats networks back", () => {
        expect(formatNetwork(parseCidr("10.1.2.3/8")!)).toBe("10.0.0.0/8");
        expect(formatNetwork(parseCidr("2001:db8::/32")!)).toBe("2001:db8::/32");
        expect(bigIntToIpv4(ipv4ToBigInt("192.168.255.254"))).toBe("192.168.255.254");
    });

    it("aggregates addresses into the fewest exact CIDR blocks", () => {
        expect(aggregateIpv4(["10.0.0.10", "10.0.0.11", "10.0.0.12", "10.0.0.13", "10.0.0.14"])).toEqual(["10.0.0.10/31", "10.0.0.12/31", "10.0.0.14/32"]);
        expect(aggregateIpv4(Array.from({ length: 256 }, (_, i) => `10.0.1.${i}`))).toEqual(["10.0.1.0/24"]);
        expect(aggregateIpv4([])).toEqual([]);
        expect(aggregateIpv4(["10.0.0.1", "10.0.0.1"])).toEqual(["10.0.0.1/32"]);
    });

    it("aggregation covers exactly the given addresses (property)", () => {
        fc.assert(
            fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 511 }), { maxLength: 80 }), (hosts) => {
                const addrs = hosts.map((h) => bigIntToIpv4(ipv4ToBigInt("10.20.0.0") + BigInt(h)));
                const covered = new Set<string>();
                for (const block of aggregateIpv4(addrs)) {
                    const n = parseCidr(block)!;
                    expect(hasHostBits(block)).toBe(false);
                    for (let i = 0n; i < 1n << BigInt(32 - n.prefix); i++) covered.add(bigIntToIpv4(n.base + i));
                }
                expect([...covered].sort()).toEqual([...addrs].sort());
            }),
            { numRuns: 100 },
        );
    });
});

describe("ports", () => {
    it.each([
        [443, { from: 443, to: 443 }],
        ["443", { from: 443, to: 443 }],
        ["8000-8010", { from: 8000, to: 8010 }],
        ["1-65535", { from: 1, to: 65535 }],
    ])("parses %j", (spec, range) => {
        expect(parsePortSpec(spec)).toEqual(range);
    });

    it.each([0, 65536, "0443", "8010-8000", "80-080", "80,81", "http", "", -1, 1.5])("rejects %j", (spec) => {
        expect(parsePortSpec(spec)).toBeUndefined();
    });

    it("merges overlapping and adjacent ranges, and formats them for Linode", () => {
        const merged = mergeRanges([{ from: 8000, to: 8010 }, { from: 22, to: 22 }, { from: 8011, to: 8020 }, { from: 8005, to: 8006 }, { from: 24, to: 25 }]);
        expect(merged).toEqual([{ from: 22, to: 22 }, { from: 24, to: 25 }, { from: 8000, to: 8020 }]);
        expect(formatPorts(merged)).toBe("22, 24-25, 8000-8020");
        expect(rangesOverlap({ from: 1, to: 5 }, { from: 5, to: 9 })).toBe(true);
        expect(rangesOverlap({ from: 1, to: 4 }, { from: 5, to: 9 })).toBe(false);
        expect([portInRanges(24, merged), portInRanges(23, merged)]).toEqual([true, false]);
    });
});

describe("deterministic VPC addresses", () => {
    it("numbers default subnets by the catalogue's region index", () => {
        expect(defaultVpcSubnet(31)).toBe("10.31.0.0/16");
    });

    it("uses FNV-1a (standard test vectors), so derived blocks never change between versions", () => {
        expect([fnv1a(""), fnv1a("a"), fnv1a("foobar")]).toEqual([0x811c9dc5, 0xe40c292c, 0xbf9cf968]);
    });

    it("derives a group's first block from its name, never block 0, unless pinned", () => {
        expect([blocksInSubnet("10.0.0.0/16"), blocksInSubnet("10.0.0.0/20"), blocksInSubnet("10.0.0.0/24"), blocksInSubnet("10.0.0.0/25"), blocksInSubnet("fd00::/64")]).toEqual([256, 16, 1, 0, 0]);
        expect(groupFirstBlock("web", "10.0.0.0/16")).toBe(1 + (fnv1a("web") % 255));
        expect(groupFirstBlock("web", "10.0.0.0/20")).toBe(1 + (fnv1a("web") % 15));
        expect(groupFirstBlock("web", "10.0.0.0/24")).toBe(0);
        expect(groupFirstBlock("web", "10.0.0.0/16", 7)).toBe(7);
        fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 24 }), (name) => {
            const b = groupFirstBlock(name, "10.0.0.0/16");
            return b >= 1 && b <= 255;
        }));
    });

    it("gives node i a fixed host from .10, 245 per /24 block, continuing into the next block", () => {
        expect([blocksNeeded(1), blocksNeeded(245), blocksNeeded(246), blocksNeeded(490), blocksNeeded(491)]).toEqual([1, 1, 2, 2, 3]);
        expect(nodeVpcAddress("10.31.0.0/16", 56, 1)).toBe("10.31.56.10");
        expect(nodeVpcAddress("10.31.0.0/16", 56, 245)).toBe("10.31.56.254");
        expect(nodeVpcAddress("10.31.0.0/16", 56, 246)).toBe("10.31.57.10");
    });
});

describe("member addresses", () => {
    const r = resolve(
        planWith((p) => {
            p.regions.push({ region: "eu-central", nodeGroups: [{ name: "api", count: 1 }] });
        }),
    );
    const index = indexPlan(r);

    it("uses the VPC address in a VPC region, private IPv4 without one, public IPv4 across regions", () => {
        const web1 = index.node("demo-us-ord-web-1")!;
        const api1 = index.node("demo-eu-central-api-1")!;
        expect(memberAddress(web1, { region: "us-ord" }, index.region)).toEqual({ kind: "vpc", node: web1.name, address: web1.vpcIp });
        expect(memberAddress(api1, { region: "eu-central" }, index.region)).toEqual({ kind: "private", node: api1.name });
        expect(memberAddress(web1, { region: "eu-central" }, index.region)).toEqual({ kind: "public", node: web1.name });
    });

    it("indexes a plan once and lists members of groups", () => {
        expect(indexPlan(r)).toBe(index);
        expect(index.membersOf(["us-ord/web", "nope"]).map((n) => n.name)).toEqual(["demo-us-ord-web-1", "demo-us-ord-web-2"]);
        expect(index.group("eu-central/api")?.count).toBe(1);
    });
});

describe("Cloud Firewall rules", () => {
    it("orders rules ssh, services, load balancers, public; aggregates VPC members; opens world to IPv4 and IPv6", () => {
        const r = resolve(
            planWith((p) => {
                p.regions[0].nodeGroups[0].count = 4;
                p.regions[0].nodeGroups[0].publicPorts = [443];
                p.regions[0].nodeGroups[0].services = [{ name: "http", ports: [8080] }];
                p.regions.push({ region: "eu-central", nodeGroups: [{ name: "api", count: 1 }] });
                p.loadBalancers = [{ name: "front", region: "us-ord", listeners: [{ port: 80, target: { group: "web", port: 8080 } }] }];
            }),
        );
        const webIps = r.nodes.filter((n) => n.group === "us-ord/web").map((n) => n.vpcIp!);
        expect(groupFirewallRules(r, "us-ord/web")).toEqual([
            { label: "ssh", description: "ssh ssh", protocol: "TCP", ports: "22", ipv4: [{ kind: "cidr", cidr: "203.0.113.0/24" }], ipv6: [] },
            {
                label: "svc-http",
                description: "service http",
                protocol: "TCP",
                ports: "8080",
                ipv4: [{ kind: "public", node: "demo-eu-central-api-1" }, ...aggregateIpv4(webIps).map((cidr) => ({ kind: "cidr", cidr }))],
                ipv6: [],
            },
            { label: "lb-front-80", description: "load-balancer front-80", protocol: "TCP", ports: "8080", ipv4: [{ kind: "cidr", cidr: "192.168.255.0/24" }], ipv6: [] },
            { label: "public", description: "public public", protocol: "TCP", ports: "443", ipv4: [{ kind: "cidr", cidr: "0.0.0.0/0" }], ipv6: [{ kind: "cidr", cidr: "::/0" }] },
        ]);
        expect(aggregateIpv4(webIps)).toHaveLength(2); // .10–.13 are .10/31 and .12/31
        expect(groupFirewallRules(r, "nope/nope")).toEqual([]);
    });

    it("merges rules with the same sources into one", () => {
        const r = resolve(planWith((p) => (p.regions[0].nodeGroups[0].services = [{ name: "a", ports: [1000], from: ["198.51.100.0/24"] }, { name: "b", ports: [2000], from: ["198.51.100.0/24"] }])));
        expect(groupFirewallRules(r, "us-ord/web").filter((x) => x.label.startsWith("svc"))).toEqual([
            { label: "svc-a-b", description: "service a, b", protocol: "TCP", ports: "1000, 2000", ipv4: [{ kind: "cidr", cidr: "198.51.100.0/24" }], ipv6: [] },
        ]);
    });

    it("splits at 255 addresses and 15 port pieces, with distinct valid labels", () => {
        const cidrs = Array.from({ length: 300 }, (_, i) => `198.51.${100 + Math.floor(i / 256)}.${i % 256}`);
        const ports = Array.from({ length: 20 }, (_, i) => 10_000 + i * 2);
        const r = resolve(planWith((p) => (p.regions[0].nodeGroups[0].services = [{ name: "wide", ports, from: cidrs }])));
        const svc = groupFirewallRules(r, "us-ord/web").filter((x) => x.label.startsWith("svc"));
        expect(svc.map((x) => [x.label, x.ports.split(", ").length, x.ipv4.length])).toEqual([
            ["svc-wide-1", 15, FIREWALL_MAX_ADDRESSES_PER_RULE],
            ["svc-wide-2", 15, 45],
            ["svc-wide-3", 5, FIREWALL_MAX_ADDRESSES_PER_RULE],
            ["svc-wide-4", 5, 45],
        ]);
        expect(FIREWALL_MAX_PORT_PIECES).toBe(15);
        for (const x of svc) expect(labelProblem(x.label, LABEL_RULES.firewallRule)).toBeUndefined();
    });

    it("lists one firewall per group with its inbound rules", () => {
        const r = resolve(planWith((p) => p.regions[0].nodeGroups.push({ name: "db", count: 1 })));
        expect(firewallSpecs(r).map((f) => [f.group, f.label, f.resourceName, f.inbound.length])).toEqual([
            ["us-ord/web", "demo-us-ord-web", "demo-us-ord-web-firewall", 1],
            ["us-ord/db", "demo-us-ord-db", "demo-us-ord-db-firewall", 1],
        ]);
    });
});
