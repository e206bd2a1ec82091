import { describe, expect, it } from "vitest";
import type { CatalogRegion } from "../../sdk/catalog/types";
import { PLAN_RULES } from "../../sdk/plan/rules";
import { derivedLabels } from "../../sdk/plan/rules/labels";
import { indexCatalog } from "../../sdk/catalog/catalog-index";
import { bundledCatalog } from "../../sdk/catalog/load";
import { clusterPlan } from "../../sdk/plan/schema";
import { basePlan, catalogWith, check, ed25519PublicKey, errorsOf, planWith, resolve, rsaPublicKey, warningsOf } from "./helpers";

/**
 * One block per validation rule: a plan that passes it and a plan that breaks it, asserting every
 * issue (rule, path, message) — so a rule that reports too much, too little or in the wrong place
 * fails here.
 */

const g = (p: any, i = 0) => p.regions[0].nodeGroups[i];
const ALL_CAPS = ["Linodes", "Metadata", "Block Storage", "NodeBalancers", "Cloud Firewall", "Placement Group", "VPCs"];

/** A region offering every capability but `missing`. */
function regionWithout(missing: string): CatalogRegion {
    return {
        id: `xx-no-${missing.toLowerCase().replace(/\s+/g, "-")}`,
        label: `Without ${missing}, XX`,
        country: "xx",
        capabilities: ALL_CAPS.filter((c) => c !== missing),
        siteType: "core",
        maxLinodesPerPlacementGroup: 5,
        vpcIndex: 200,
    };
}

describe("every rule is registered once", () => {
    it("has unique ids", () => {
        const ids = PLAN_RULES.map((r) => r.id);
        expect(new Set(ids).size).toBe(ids.length);
    });
});

describe("catalog: regions, types and images must exist", () => {
    it("accepts catalogue ids everywhere they appear", () => {
        const c = check(
            planWith((p) => {
                p.defaults = { type: "g6-standard-2", image: "linode/ubuntu24.04" };
                g(p).type = "g6-dedicated-4";
                g(p).image = "linode/debian12";
                p.loadBalancers = [{ name: "lb", region: "us-ord", listeners: [{ port: 80, target: { group: "web", port: 80 } }] }];
            }),
        );
        expect(errorsOf(c)).toEqual([]);
    });

    it("rejects unknown regions with a suggestion, a legacy hint, or a pointer to the catalogue", () => {
        const c = check(
            planWith((p) => {
                p.regions[0].region = "us-ordd";
                p.regions.push({ region: "us-east-1a", nodeGroups: [{ name: "a", count: 1 }] }, { region: "mars-1", nodeGroups: [{ name: "b", count: 1 }] });
                p.loadBalancers = [{ name: "lb", region: "eu-wset", listeners: [{ port: 80, target: { group: "web", port: 80 } }] }];
            }),
        );
        expect(errorsOf(c)).toEqual([
            { rule: "catalog.region", path: "loadBalancers[0].region", message: 'unknown region "eu-wset" (did you mean "eu-west"?)' },
            { rule: "catalog.region", path: "regions[0].region", message: 'unknown region "us-ordd" (did you mean "us-ord"?)' },
            { rule: "catalog.region", path: "regions[1].region", message: 'unknown region "us-east-1a" (the old datacenter "us-east-1a" is now "us-east")' },
            { rule: "catalog.region", path: "regions[2].region", message: 'unknown region "mars-1" (see `lct catalog regions`)' },
        ]);
    });

    it("rejects unknown types, naming the current type for an old plan name", () => {
        const c = check(
            planWith((p) => {
                p.defaults = { type: "g6-standard-99" };
                g(p).type = "Linode 2048";
            }),
        );
        expect(errorsOf(c)).toEqual([
            { rule: "catalog.type", path: "defaults.type", message: 'unknown Linode type "g6-standard-99" (did you mean "g6-standard-1"?)' },
            { rule: "catalog.type", path: "regions[0].nodeGroups[0].type", message: 'unknown Linode type "Linode 2048" (the old plan "Linode 2048" is now "g6-standard-1")' },
        ]);
    });

    it("rejects unknown and retired images, naming the replacement", () => {
        const c = check(
            planWith((p) => {
                p.defaults = { image: "linode/debain12" };
                g(p).image = "linode/ubuntu16.04lts";
                p.regions[0].nodeGroups.push({ name: "b", count: 1, image: "debian12" });
            }),
        );
        expect(errorsOf(c)).toEqual([
            { rule: "catalog.image", path: "defaults.image", message: 'unknown image "linode/debain12" (did you mean "linode/debian12"?)' },
            { rule: "catalog.image", path: "regions[0].nodeGroups[0].image", message: 'unknown image "linode/ubuntu16.04lts" (it is retired; use "linode/ubuntu24.04")' },
            { rule: "catalog.image", path: "regions[0].nodeGroups[1].image", message: 'unknown image "debian12" (did you mean "linode/debian12"?)' },
        ]);
    });

    it("accepts private images, which are not in the public catalogue", () => {
        expect(errorsOf(check(planWith((p) => (g(p).image = "private/12345"))))).toEqual([]);
    });

    it("warns about images past their end of life at the catalogue's date, not before", () => {
        expect(warningsOf(check(planWith((p) => (g(p).image = "linode/debian11"))))).toEqual([]); // EOL 2026-08-31, after the catalogue
        expect(warningsOf(check(planWith((p) => (g(p).image = "linode/centos7"))))).toEqual([
            { rule: "catalog.image-eol", path: "regions[0].nodeGroups[0].image", message: 'image "linode/centos7" reached end of life on 2024-06-30; it gets no security updates' },
        ]);
    });
});

describe("duplicates", () => {
    it("allows the same group name in different regions", () => {
        const c = check(planWith((p) => p.regions.push({ region: "eu-central", nodeGroups: [{ name: "web", count: 1 }] })));
        expect(errorsOf(c)).toEqual([]);
    });

    it("rejects duplicate regions, groups, services, storage, mount paths, load balancers and listener ports", () => {
        const c = check(
            planWith((p) => {
                p.regions.push({ region: "us-ord", nodeGroups: [{ name: "x", count: 1 }] });
                p.regions[0].nodeGroups.push({ name: "web", count: 1 });
                g(p).services = [
                    { name: "a", ports: [1] },
                    { name: "a", ports: [2] },
                ];
                g(p).storage = [
                    { name: "d", sizeGb: 10, mountPath: "/data" },
                    { name: "d", sizeGb: 10, mountPath: "/data/" },
                ];
                const listener = { port: 80, target: { group: "web", port: 80 } };
                p.loadBalancers = [
                    { name: "lb", region: "us-ord", listeners: [listener] },
                    { name: "lb", region: "us-ord", listeners: [listener, listener] },
                ];
            }),
        );
        expect(errorsOf(c).filter((i) => i.rule === "duplicates")).toEqual([
            { rule: "duplicates", path: "loadBalancers[1].listeners[1].port", message: 'duplicate listener port (NodeBalancer port clash) "80" (first at loadBalancers[1].listeners[0].port)' },
            { rule: "duplicates", path: "loadBalancers[1].name", message: 'duplicate load balancer name "lb" (first at loadBalancers[0].name)' },
            { rule: "duplicates", path: "regions[0].nodeGroups[0].services[1].name", message: 'duplicate service name "a" (first at regions[0].nodeGroups[0].services[0].name)' },
            { rule: "duplicates", path: "regions[0].nodeGroups[0].storage[1].mountPath", message: 'duplicate mount path "/data" (first at regions[0].nodeGroups[0].storage[0].mountPath)' },
            { rule: "duplicates", path: "regions[0].nodeGroups[0].storage[1].name", message: 'duplicate storage name "d" (first at regions[0].nodeGroups[0].storage[0].name)' },
            { rule: "duplicates", path: "regions[0].nodeGroups[1].name", message: 'duplicate group name "web" (first at regions[0].nodeGroups[0].name)' },
            { rule: "duplicates", path: "regions[1].region", message: 'duplicate region "us-ord" (first at regions[0].region)' },
        ]);
    });
});

describe("references: service sources, public-port groups, bastion, load-balancer targets", () => {
    const withDb = (p: any) => p.regions[0].nodeGroups.push({ name: "db", role: "postgresql", count: 2 });

    it("resolves every selector form", () => {
        const c = check(
            planWith((p) => {
                withDb(p);
                p.exposure.clientCidrs = ["198.51.100.0/24"];
                p.exposure.publicPorts = [{ ports: [443], groups: ["web", "us-ord/db", "role:postgresql", "cluster"] }];
                p.bastion = "us-ord/web";
                g(p, 1).services = [
                    { name: "pg", ports: [5432], from: ["cluster", "self", "web", "us-ord/web", "role:postgresql", "clients", "10.0.0.0/8", "2001:db8::/32"] },
                    { name: "pub", ports: [8443], from: ["world"] },
                ];
            }),
        );
        expect(errorsOf(c)).toEqual([]);
    });

    it("rejects sources that name nothing, with suggestions", () => {
        const c = check(
            planWith((p) => {
                withDb(p);
                g(p).services = [{ name: "a", ports: [1], from: ["wbe", "role:postgersql", "clients", "10.0.0.300/8", "eu-west/web"] }];
            }),
        );
        const at = (i: number) => `regions[0].nodeGroups[0].services[0].from[${i}]`;
        expect(errorsOf(c)).toEqual([
            { rule: "references", path: at(0), message: 'no group named "wbe" (did you mean "web"?)' },
            { rule: "references", path: at(1), message: 'no group has role "postgersql" (did you mean "role:postgresql"?)' },
            { rule: "references", path: at(2), message: '"clients" is used but exposure.clientCidrs is empty' },
            { rule: "references", path: at(3), message: '"10.0.0.300/8" is not a valid IP network' },
            { rule: "references", path: at(4), message: 'no group "eu-west/web"' },
        ]);
    });

    it("requires public-port groups and the bastion to name node groups", () => {
        const hint = 'does not name node groups; use a group name, "<region>/<group>", "role:<role>" or "cluster"';
        const c = check(
            planWith((p) => {
                p.exposure.publicPorts = [{ ports: [443], groups: ["world", "self", "203.0.113.0/24", "nope"] }];
                p.bastion = "self";
            }),
        );
        expect(errorsOf(c)).toEqual([
            { rule: "references", path: "bastion", message: `"self" ${hint}` },
            { rule: "references", path: "exposure.publicPorts[0].groups[0]", message: `"world" ${hint}` },
            { rule: "references", path: "exposure.publicPorts[0].groups[1]", message: `"self" ${hint}` },
            { rule: "references", path: "exposure.publicPorts[0].groups[2]", message: `"203.0.113.0/24" ${hint}` },
            { rule: "references", path: "exposure.publicPorts[0].groups[3]", message: 'no group named "nope"' },
        ]);
    });

    it("requires the bastion to be exactly one group", () => {
        const twoWebs = (p: any) => p.regions.push({ region: "eu-central", nodeGroups: [{ name: "web", count: 1 }] });
        expect(errorsOf(check(planWith((p) => (twoWebs(p), (p.bastion = "eu-central/web")))))).toEqual([]);
        expect(errorsOf(check(planWith((p) => (twoWebs(p), (p.bastion = "web")))))).toEqual([
            { rule: "references", path: "bastion", message: '"web" names 2 groups; name exactly one as "<region>/<group>"' },
        ]);
    });

    it("rejects load-balancer targets that do not exist or are in another region", () => {
        const c = check(
            planWith((p) => {
                p.regions.push({ region: "eu-central", nodeGroups: [{ name: "api", count: 1 }] });
                const l = (port: number, group: string) => ({ port, target: { group, port: 80 } });
                p.loadBalancers = [{ name: "lb", region: "us-ord", listeners: [l(80, "web"), l(81, "us-ord/web"), l(82, "api"), l(83, "eu-central/api"), l(84, "wbe")] }];
            }),
        );
        const at = (i: number) => `loadBalancers[0].listeners[${i}].target.group`;
        expect(errorsOf(c)).toEqual([
            { rule: "references.lb-target", path: at(2), message: 'no group "api" in region us-ord (group "api" is in eu-central; a NodeBalancer reaches only nodes in its own region, us-ord)' },
            { rule: "references.lb-target", path: at(3), message: "group eu-central/api is not in the load balancer's region us-ord" },
            { rule: "references.lb-target", path: at(4), message: 'no group "wbe" in region us-ord (did you mean "web"?)' },
        ]);
    });

    it.each(["cluster", "self", "world", "clients"])("refuses %j as a group name: `from` would mean the keyword", (name) => {
        expect(errorsOf(check(planWith((p) => (g(p).name = name))))).toEqual([
            { rule: "references.keyword", path: "regions[0].nodeGroups[0].name", message: `"${name}" is a keyword of service sources (\`from\`), so it cannot name a group` },
        ]);
    });
});

describe("capabilities of regions and images", () => {
    const inRegion = (missing: string, fn: (p: any) => void = () => undefined) => {
        const region = regionWithout(missing);
        const c = check(
            planWith((p) => {
                p.regions[0].region = region.id;
                fn(p);
            }),
            { catalog: catalogWith({ regions: [region] }) },
        );
        return errorsOf(c);
    };

    it("accepts every feature in a region that offers it all", () => {
        expect(
            inRegion("nothing", (p) => {
                p.privateNetwork = "vpc";
                g(p).storage = [{ name: "d", sizeGb: 10, mountPath: "/d" }];
                g(p).antiAffinity = true;
                p.loadBalancers = [{ name: "lb", region: p.regions[0].region, listeners: [{ port: 80, target: { group: "web", port: 80 } }] }];
            }),
        ).toEqual([]);
    });

    it("rejects a VPC where the region has none (auto falls back to private IPv4 instead)", () => {
        expect(inRegion("VPCs")).toEqual([]);
        expect(inRegion("VPCs", (p) => (p.regions[0].privateNetwork = "vpc"))).toEqual([
            { rule: "capabilities.vpc", path: "regions[0].privateNetwork", message: 'region xx-no-vpcs (Without VPCs, XX) has no VPCs; use "private-ip" or "auto" there' },
        ]);
        expect(inRegion("VPCs", (p) => (p.privateNetwork = "vpc"))).toEqual([
            { rule: "capabilities.vpc", path: "privateNetwork", message: 'region xx-no-vpcs (Without VPCs, XX) has no VPCs; use "private-ip" or "auto" there' },
        ]);
    });

    it("rejects storage without Block Storage", () => {
        expect(inRegion("Block Storage", (p) => (g(p).storage = [{ name: "d", sizeGb: 10, mountPath: "/d" }]))).toEqual([
            { rule: "capabilities.block-storage", path: "regions[0].nodeGroups[0].storage", message: "region xx-no-block-storage has no Block Storage" },
        ]);
    });

    it("rejects anti-affinity without placement groups", () => {
        expect(inRegion("Placement Group")).toEqual([]);
        expect(inRegion("Placement Group", (p) => (g(p).antiAffinity = true))).toEqual([
            { rule: "capabilities.placement-group", path: "regions[0].nodeGroups[0].antiAffinity", message: "region xx-no-placement-group has no placement groups" },
        ]);
    });

    it("rejects cloud-init without the Metadata service, and accepts StackScripts there", () => {
        expect(inRegion("Metadata", (p) => (p.defaults = { configMethod: "stackscript" }))).toEqual([]);
        expect(inRegion("Metadata")).toEqual([
            { rule: "capabilities.metadata", path: "regions[0].nodeGroups[0]", message: "region xx-no-metadata has no Metadata service for cloud-init; set configMethod: stackscript" },
        ]);
    });

    it("rejects NodeBalancers where the region has none", () => {
        const lb = (p: any) => (p.loadBalancers = [{ name: "lb", region: p.regions[0].region, listeners: [{ port: 80, target: { group: "web", port: 80 } }] }]);
        expect(inRegion("NodeBalancers")).toEqual([]);
        expect(inRegion("NodeBalancers", lb)).toEqual([
            { rule: "capabilities.nodebalancers", path: "loadBalancers[0].region", message: "region xx-no-nodebalancers has no NodeBalancers" },
        ]);
    });

    it("rejects a region without Cloud Firewalls: every group gets one", () => {
        expect(inRegion("Cloud Firewall")).toEqual([
            {
                rule: "capabilities.cloud-firewall",
                path: "regions[0].region",
                message: "region xx-no-cloud-firewall (Without Cloud Firewall, XX) has no Cloud Firewalls, which LCT puts in front of every node",
            },
        ]);
    });

    it("rejects cloud-init on an image without it, at the field that chose the image", () => {
        expect(errorsOf(check(planWith((p) => ((g(p).image = "linode/kali"), (g(p).configMethod = "stackscript")))))).toEqual([]);
        expect(errorsOf(check(planWith((p) => (g(p).image = "linode/kali"))))).toEqual([
            { rule: "capabilities.cloud-init", path: "regions[0].nodeGroups[0].image", message: "image linode/kali does not support cloud-init; choose one that does (lct catalog images), or set configMethod: stackscript for this group" },
        ]);
        expect(errorsOf(check(planWith((p) => (p.defaults = { image: "linode/slackware15.0" }))))).toEqual([
            { rule: "capabilities.cloud-init", path: "regions[0].nodeGroups[0]", message: "image linode/slackware15.0 does not support cloud-init; choose one that does (lct catalog images), or set configMethod: stackscript for this group" },
        ]);
    });

    it("rejects StackScripts with private images", () => {
        expect(errorsOf(check(planWith((p) => ((g(p).image = "private/42"), (g(p).configMethod = "stackscript")))))).toEqual([
            { rule: "capabilities.stackscript", path: "regions[0].nodeGroups[0].configMethod", message: "StackScripts cannot deploy private images; use cloud-init" },
        ]);
    });
});

describe("volumes per Linode", () => {
    const volumes = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `v${i}`, sizeGb: 10, mountPath: `/v${i}` }));

    it("allows 8 on the smallest plan and RAM-in-GB on bigger ones", () => {
        expect(errorsOf(check(planWith((p) => ((g(p).type = "g6-nanode-1"), (g(p).storage = volumes(8))))))).toEqual([]);
        expect(errorsOf(check(planWith((p) => ((g(p).type = "g6-standard-6"), (g(p).storage = volumes(16))))))).toEqual([]);
    });

    it("rejects more", () => {
        expect(errorsOf(check(planWith((p) => ((g(p).type = "g6-nanode-1"), (g(p).storage = volumes(9))))))).toEqual([
            { rule: "volumes.per-linode", path: "regions[0].nodeGroups[0].storage", message: "9 volumes per node, but a g6-nanode-1 can attach at most 8" },
        ]);
        // The default type (g6-standard-2, 4 GB) counts too.
        expect(errorsOf(check(planWith((p) => (g(p).storage = volumes(9)))))).toEqual([
            { rule: "volumes.per-linode", path: "regions[0].nodeGroups[0].storage", message: "9 volumes per node, but a g6-standard-2 can attach at most 8" },
        ]);
    });
});

describe("tags", () => {
    it("accepts 3 and 50 characters", () => {
        expect(errorsOf(check(planWith((p) => (p.tags = ["abc", "x".repeat(50)]))))).toEqual([]);
    });

    it("rejects short, long, control-character and reserved tags wherever they are", () => {
        const c = check(
            planWith((p) => {
                p.tags = ["ab", "x".repeat(51), "a\tb", "lct:mine"];
                p.regions[0].tags = ["no"];
                g(p).tags = ["z"];
                p.loadBalancers = [{ name: "lb", region: "us-ord", tags: ["lb"], listeners: [{ port: 80, target: { group: "web", port: 80 } }] }];
            }),
        );
        expect(errorsOf(c)).toEqual([
            { rule: "tags", path: "loadBalancers[0].tags[0]", message: 'tag "lb" is 2 characters; Linode tags are 3–50' },
            { rule: "tags", path: "regions[0].nodeGroups[0].tags[0]", message: 'tag "z" is 1 character; Linode tags are 3–50' },
            { rule: "tags", path: "regions[0].tags[0]", message: 'tag "no" is 2 characters; Linode tags are 3–50' },
            { rule: "tags", path: "tags[0]", message: 'tag "ab" is 2 characters; Linode tags are 3–50' },
            { rule: "tags", path: "tags[1]", message: `tag "${"x".repeat(51)}" is 51 characters; Linode tags are 3–50` },
            { rule: "tags", path: "tags[2]", message: 'tag "a\\tb" contains control characters' },
            { rule: "tags.reserved", path: "tags[3]", message: 'tags starting with "lct:" are reserved for LCT\'s own tags' },
        ]);
    });

    it("checks LCT's derived tags (a catalogue region id can make lct:region=… too long)", () => {
        const long = { ...regionWithout("nothing"), id: `xx-${"r".repeat(40)}` };
        const cat = catalogWith({ regions: [long] });
        expect(errorsOf(check(planWith((p) => (p.regions[0].region = "xx-rrr")), { catalog: catalogWith({ regions: [{ ...long, id: "xx-rrr" }] }) }))).toEqual([]);
        expect(errorsOf(check(planWith((p) => (p.regions[0].region = long.id)), { catalog: cat }))).toEqual([
            {
                rule: "tags.derived",
                path: "regions[0].nodeGroups[0]",
                message: `tag "lct:region=${long.id}" is 54 characters; Linode tags are 3–50 (derived from this name; shorten it)`,
            },
        ]);
    });
});

describe("VPC subnets", () => {
    it("accepts private, non-overlapping subnets of /24 or larger", () => {
        const c = check(
            planWith((p) => {
                p.regions[0].vpcSubnet = "10.100.0.0/16";
                p.regions.push({ region: "nl-ams", vpcSubnet: "172.16.0.0/24", nodeGroups: [{ name: "x", count: 1 }] });
            }),
        );
        expect(errorsOf(c)).toEqual([]);
    });

    it("rejects public, host-bit, too-small and Linode-private-range subnets", () => {
        const c = check(
            planWith((p) => {
                p.regions[0].vpcSubnet = "8.8.8.0/24";
                p.regions.push(
                    { region: "nl-ams", vpcSubnet: "10.60.0.5/16", nodeGroups: [{ name: "x", count: 1 }] },
                    { region: "it-mil", vpcSubnet: "10.50.0.0/25", nodeGroups: [{ name: "y", count: 1 }] },
                    { region: "se-sto", vpcSubnet: "192.168.200.0/24", nodeGroups: [{ name: "z", count: 1 }] },
                    { region: "fr-par", vpcSubnet: "2001:db8::/64", nodeGroups: [{ name: "w", count: 1 }] },
                );
            }),
        );
        expect(errorsOf(c)).toEqual([
            { rule: "vpc-subnets.rfc1918", path: "regions[0].vpcSubnet", message: "8.8.8.0/24 is not a private (RFC 1918) IPv4 network" },
            { rule: "vpc-subnets.host-bits", path: "regions[1].vpcSubnet", message: "10.60.0.5/16 has host bits set; write the network address" },
            { rule: "vpc-subnets.size", path: "regions[2].vpcSubnet", message: "10.50.0.0/25 is smaller than a /24; LCT places each group in /24 blocks" },
            { rule: "vpc-subnets.private-range", path: "regions[3].vpcSubnet", message: "192.168.200.0/24 overlaps Linode's private network 192.168.128.0/17" },
            { rule: "vpc-subnets.rfc1918", path: "regions[4].vpcSubnet", message: "2001:db8::/64 is not a private (RFC 1918) IPv4 network" },
        ]);
    });

    it("rejects subnets that overlap each other", () => {
        const c = check(
            planWith((p) => {
                p.regions[0].vpcSubnet = "10.0.0.0/16";
                p.regions.push({ region: "nl-ams", vpcSubnet: "10.0.128.0/17", nodeGroups: [{ name: "x", count: 1 }] });
            }),
        );
        expect(errorsOf(c)).toEqual([{ rule: "vpc-subnets.overlap", path: "regions[1].vpcSubnet", message: "10.0.128.0/17 overlaps 10.0.0.0/16 (regions[0].vpcSubnet)" }]);
    });

    it("rejects a subnet that overlaps another region's default subnet (us-ord defaults to 10.31.0.0/16)", () => {
        const c = check(planWith((p) => p.regions.push({ region: "nl-ams", vpcSubnet: "10.31.4.0/24", nodeGroups: [{ name: "x", count: 1 }] })));
        expect(errorsOf(c)).toEqual([
            { rule: "vpc-subnets.overlap", path: "regions[1].vpcSubnet", message: "10.31.4.0/24 overlaps 10.31.0.0/16 (the default subnet of regions[0])" },
        ]);
        // A region on private IPv4 has no subnet to clash with.
        const privateIp = check(
            planWith((p) => {
                p.regions[0].privateNetwork = "private-ip";
                p.regions.push({ region: "nl-ams", vpcSubnet: "10.31.4.0/24", nodeGroups: [{ name: "x", count: 1 }] });
            }),
        );
        expect(errorsOf(privateIp)).toEqual([]);
    });

    it("warns when a subnet is ignored because the region uses private IPv4", () => {
        const c = check(
            planWith((p) => {
                p.regions[0].vpcSubnet = "10.1.0.0/16";
                p.regions[0].privateNetwork = "private-ip";
                p.regions.push({ region: "us-east", vpcSubnet: "10.9.0.0/16", nodeGroups: [{ name: "x", count: 1 }] });
            }),
        );
        expect(errorsOf(c)).toEqual([]);
        expect(warningsOf(c)).toEqual([
            { rule: "vpc-subnets.unused", path: "regions[0].vpcSubnet", message: "ignored: this region uses private IPv4, not a VPC" },
            { rule: "vpc-subnets.unused", path: "regions[1].vpcSubnet", message: "ignored: region us-east has no VPCs, so it uses private IPv4" },
        ]);
    });
});

describe("load-balancer listeners", () => {
    const lb = (listeners: unknown[]) => planWith((p) => (p.loadBalancers = [{ name: "lb", region: "us-ord", listeners }]));
    const target = { group: "web", port: 8080 };

    it("accepts tcp and http listeners with coherent health checks", () => {
        const c = check(
            lb([
                { port: 80, target },
                { port: 443, protocol: "tcp", algorithm: "leastconn", healthCheck: { type: "connection" }, target },
                { port: 8080, healthCheck: { type: "http_body", path: "/health", body: "ok", intervalSec: 30, timeoutSec: 29 }, target },
            ]),
        );
        expect(errorsOf(c)).toEqual([]);
    });

    it("rejects https, intervals not above the timeout, and http checks without path or body", () => {
        const c = check(
            lb([
                { port: 443, protocol: "https", target },
                { port: 80, healthCheck: { type: "http", intervalSec: 5, timeoutSec: 5 }, target },
                { port: 81, healthCheck: { type: "http_body", path: "/" }, target },
            ]),
        );
        expect(errorsOf(c)).toEqual([
            {
                rule: "load-balancers.https",
                path: "loadBalancers[0].listeners[0].protocol",
                message: "https listeners need a TLS certificate and key, which a plan must not carry; use protocol tcp and terminate TLS on the nodes",
            },
            { rule: "load-balancers.health-check", path: "loadBalancers[0].listeners[1].healthCheck.intervalSec", message: "must exceed timeoutSec (5)" },
            { rule: "load-balancers.health-check", path: "loadBalancers[0].listeners[1].healthCheck.path", message: "an http health check needs a path" },
            { rule: "load-balancers.health-check", path: "loadBalancers[0].listeners[2].healthCheck.body", message: "an http_body health check needs the expected body" },
        ]);
    });
});

describe("DNS settings and the names they produce", () => {
    const dns = (extra: object, fn: (p: any) => void = () => undefined) => planWith((p) => ((p.dns = { domain: "example.com", soaEmail: "hostmaster@example.com", ...extra }), fn(p)));

    it("accepts the default pattern and an existing domain id", () => {
        expect(errorsOf(check(dns({})))).toEqual([]);
        expect(errorsOf(check(planWith((p) => (p.dns = { domain: "example.com", domainId: 42, hostnamePattern: "{cluster}-{role}-{index}" }))))).toEqual([]);
    });

    it("requires soaEmail or domainId, {index}, and known placeholders", () => {
        const c = check(planWith((p) => (p.dns = { domain: "example.com", hostnamePattern: "{group}.{foo}" })));
        expect(errorsOf(c)).toEqual([
            { rule: "dns.soa", path: "dns", message: "give soaEmail (LCT creates the domain) or domainId (use an existing domain)" },
            { rule: "dns.pattern", path: "dns.hostnamePattern", message: "must contain {index} so that every node gets its own name" },
            { rule: "dns.pattern", path: "dns.hostnamePattern", message: "unknown placeholder {foo}; use {cluster} {region} {group} {role} {index}" },
        ]);
    });

    it("rejects patterns giving invalid, clashing or too long names", () => {
        expect(errorsOf(check(dns({ hostnamePattern: "{group}_{index}" })))).toEqual([
            { rule: "dns.names", path: "dns.hostnamePattern", message: 'gives "web_1" for demo-us-ord-web-1; "web_1" is not a valid DNS label' },
        ]);
        const twoRegions = (p: any) => p.regions.push({ region: "eu-central", nodeGroups: [{ name: "web", count: 1 }] });
        expect(errorsOf(check(dns({}, twoRegions)))).toEqual([]);
        expect(errorsOf(check(dns({ hostnamePattern: "{group}-{index}" }, twoRegions)))).toEqual([
            { rule: "dns.names", path: "dns.hostnamePattern", message: 'gives the same name "web-1" to demo-us-ord-web-1 and demo-eu-central-web-1; add {region} or {group}' },
        ]);
        // Linode record names are at most 100 characters: {role} can be 40 and the cluster name 32.
        const longNames = (p: any) => ((p.name = "c".repeat(32)), (p.regions[0].nodeGroups[0].role = "r".repeat(40)));
        expect(errorsOf(check(dns({ hostnamePattern: "{cluster}.{role}-{index}" }, longNames)))).toEqual([]); // 32+1+40+2 = 75
        expect(errorsOf(check(dns({ hostnamePattern: "{cluster}.{role}-{index}.{group}.{region}.{cluster}" }, longNames)))).toEqual([
            {
                rule: "dns.names",
                path: "dns.hostnamePattern",
                message: `gives "${"c".repeat(32)}.${"r".repeat(40)}-1.web.us-ord.${"c".repeat(32)}" for ${"c".repeat(32)}-us-ord-web-1, longer than the 100 characters Linode allows in a record name`,
            },
        ]);
        const longDomain = `${"a".repeat(60)}.`.repeat(4) + "com";
        const long = errorsOf(check(dns({ domain: longDomain })));
        expect(long).toEqual([{ rule: "dns.names", path: "dns.hostnamePattern", message: `gives "web-1.us-ord.${longDomain}", longer than 253 characters` }]);
    });
});

describe("SSH public keys", () => {
    it("accepts ed25519 and 2048-bit RSA keys", () => {
        expect(errorsOf(check(planWith((p) => (p.defaults = { sshKeys: [ed25519PublicKey(), rsaPublicKey(2048)] }))))).toEqual([]);
    });

    it("rejects private keys, non-keys, bad bodies and short RSA keys, never echoing the value", () => {
        const privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----";
        const edBody = ed25519PublicKey().split(" ")[1]!;
        const keys = [privateKey, "hello", "ssh-ed25519 !!!", "ssh-ed25519 AAAA", `ssh-rsa ${edBody}`, rsaPublicKey(1024)];
        const c = check(planWith((p) => (p.defaults = { sshKeys: keys })));
        expect(errorsOf(c)).toEqual([
            { rule: "ssh-keys", path: "defaults.sshKeys[0]", message: "this is a PRIVATE key; put only public keys (the .pub file) in a plan, and treat that private key as exposed" },
            { rule: "ssh-keys", path: "defaults.sshKeys[1]", message: "not an OpenSSH public key: it must start with one of ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, …" },
            { rule: "ssh-keys", path: "defaults.sshKeys[2]", message: "the ssh-ed25519 key has no valid base64 body" },
            // Too short to hold the length prefix: used to crash the rule ("internal" issue).
            { rule: "ssh-keys", path: "defaults.sshKeys[3]", message: "the key body does not encode a ssh-ed25519 key" },
            { rule: "ssh-keys", path: "defaults.sshKeys[4]", message: "the key body does not encode a ssh-rsa key" },
            { rule: "ssh-keys", path: "defaults.sshKeys[5]", message: "RSA keys shorter than 2048 bits are refused" },
        ]);
        expect(c.issues.some((i) => i.message.includes("b3BlbnNzaC1rZXkt"))).toBe(false);
    });
});

describe("security warnings (legal but risky)", () => {
    it("stays quiet for a careful plan", () => {
        expect(warningsOf(check(basePlan()))).toEqual([]);
    });

    it("says out loud: SSH from anywhere, hardening off, volumes deleted with the stack", () => {
        const c = check(
            planWith((p) => {
                p.exposure.adminCidrs = [];
                p.defaults = { hardening: "none" };
                g(p).hardening = { profile: "none" };
                g(p).storage = [{ name: "d", sizeGb: 10, mountPath: "/d", deletionPolicy: "delete" }];
            }),
        );
        expect(c.ok).toBe(true);
        expect(warningsOf(c)).toEqual([
            { rule: "security.hardening-none", path: "defaults.hardening", message: "hardening is OFF for every group that does not set its own profile" },
            { rule: "security.ssh-world", path: "exposure.adminCidrs", message: "not set: SSH (key-only, fail2ban) is open to the whole Internet; list your admin networks" },
            { rule: "security.hardening-none", path: "regions[0].nodeGroups[0].hardening.profile", message: "hardening is OFF for group web" },
            { rule: "security.volume-delete", path: "regions[0].nodeGroups[0].storage[0].deletionPolicy", message: "`pulumi destroy` will delete these volumes and their data" },
        ]);
        // An empty admin list and no list at all mean the same: SSH from anywhere, in the resolved plan too.
        expect(c.resolved!.admin.cidrs).toEqual({ ipv4: ["0.0.0.0/0"], ipv6: ["::/0"] });
        expect(c.resolved!.access.find((a) => a.purpose === "ssh")!.sources).toEqual({ groups: [], cidrs: [], world: true });
    });
});

describe("plan size", () => {
    it("accepts 10,000 nodes", () => {
        expect(errorsOf(check(planWith((p) => (p.regions[0].nodeGroups = [{ name: "a", count: 5000 }, { name: "b", count: 5000, addressBlock: 100 }]))))).toEqual([]);
    });

    it("rejects more nodes or more groups than LCT plans, before creating them", () => {
        expect(errorsOf(check(planWith((p) => (p.regions[0].nodeGroups = [{ name: "a", count: 6000 }, { name: "b", count: 5000 }]))))).toEqual([
            { rule: "plan-size", path: "regions", message: "the plan has 11,000 nodes; LCT plans at most 10,000 per cluster (split it into several plans)" },
        ]);
        const groups = Array.from({ length: 251 }, (_, i) => ({ name: `g${i}`, count: 1 }));
        expect(errorsOf(check(planWith((p) => (p.regions[0].nodeGroups = groups))))).toEqual([
            { rule: "plan-size", path: "regions", message: "the plan has 251 node groups; LCT plans at most 250 per cluster" },
        ]);
    });
});

describe("labels LCT derives must be valid Linode labels", () => {
    it("accepts a 64-character node label and rejects 65, at the group name", () => {
        // demo-us-ord-<group>-<index>: 12 characters around the group name with a one-digit index.
        const named = (name: string, count = 1) => planWith((p) => ((p.name = "a".repeat(30)), (g(p).name = name), (g(p).count = count)));
        expect(errorsOf(check(named("b".repeat(24))))).toEqual([]); // 30+1+6+1+24+2 = 64
        expect(errorsOf(check(named("b".repeat(24), 10)))).toEqual([
            {
                rule: "labels",
                path: "regions[0].nodeGroups[0].name",
                message: `produces a name Linode refuses: Linode label "${"a".repeat(30)}-us-ord-${"b".repeat(24)}-10" is 65 characters; it must be 3–64`,
            },
        ]);
    });

    it("checks every kind of derived label and that node labels are unique", () => {
        // Valid plans cannot produce these (names are shortened to fit), so the rule is fed a damaged resolved plan.
        const plan = planWith((p) => ((g(p).storage = [{ name: "d", sizeGb: 10, mountPath: "/d" }]), (g(p).antiAffinity = true)));
        const resolved = resolve(plan);
        resolved.volumes[0]!.label = "has.dot";
        resolved.regions[0]!.vpc!.label = "a--b";
        resolved.groups[0]!.placementGroups![0]!.label = "x".repeat(65);
        resolved.firewalls[0]!.label = "fw";
        resolved.nodes[1]!.label = resolved.nodes[0]!.label.toUpperCase();
        const issues = derivedLabels.phase === "resolved" ? derivedLabels.check({ plan: clusterPlan.parse(plan), resolved, catalog: indexCatalog(bundledCatalog) }) : [];
        expect(issues.map((i) => ({ rule: i.rule, path: i.path, message: i.message }))).toEqual([
            { rule: "labels", path: "regions[0].nodeGroups[0].antiAffinity", message: `produces a name Linode refuses: placement group label "${"x".repeat(65)}" is 65 characters; it must be 1–64` },
            { rule: "labels", path: "regions[0].nodeGroups[0].storage", message: 'produces a name Linode refuses: volume label "has.dot" may only contain letters, digits, "_", "-"' },
            { rule: "labels", path: "regions[0].nodeGroups[0]", message: 'produces a name Linode refuses: firewall label "fw" is 2 characters; it must be 3–32' },
            { rule: "labels", path: "regions[0].region", message: 'produces a name Linode refuses: VPC label "a--b" must not contain "--"' },
            { rule: "labels.unique", path: "regions[0].nodeGroups[0]", message: `node label ${resolved.nodes[1]!.label} is also produced by us-ord/web` },
        ]);
    });
});

describe("VPC address blocks", () => {
    it("accepts pinned blocks that fit and do not overlap", () => {
        const c = check(
            planWith((p) => {
                p.regions[0].vpcSubnet = "10.0.0.0/20";
                g(p).addressBlock = 14;
                g(p).count = 300; // blocks 14–15
                p.regions[0].nodeGroups.push({ name: "db", count: 1, addressBlock: 13 });
            }),
        );
        expect(errorsOf(c)).toEqual([]);
    });

    it("rejects a run past the end of the subnet, at addressBlock", () => {
        const c = check(planWith((p) => ((p.regions[0].vpcSubnet = "10.0.0.0/20"), (g(p).addressBlock = 15), (g(p).count = 300))));
        expect(errorsOf(c)).toEqual([
            {
                rule: "vpc-blocks.fit",
                path: "regions[0].nodeGroups[0].addressBlock",
                message: "needs VPC blocks 15–16 (245 nodes per /24) but 10.0.0.0/20 has blocks 0–15; pin a lower addressBlock or use a larger vpcSubnet",
            },
        ]);
    });

    it("rejects overlapping runs at the later group", () => {
        const c = check(planWith((p) => ((g(p).addressBlock = 5), p.regions[0].nodeGroups.push({ name: "db", count: 1, addressBlock: 5 }))));
        expect(errorsOf(c)).toEqual([
            {
                rule: "vpc-blocks.overlap",
                path: "regions[0].nodeGroups[1].addressBlock",
                message: "VPC address blocks 5–5 of group db overlap blocks 5–5 of group web; set addressBlock on one of them (free blocks: 1, 2, 3, …)",
            },
        ]);
    });
});

describe("member-only ports must not also be public", () => {
    it("accepts a public port that the service also opens to the world", () => {
        const c = check(planWith((p) => ((g(p).services = [{ name: "http", ports: [80], from: ["world"] }]), (g(p).publicPorts = [80]))));
        expect(errorsOf(c)).toEqual([]);
    });

    it("rejects the contradiction, naming the port", () => {
        const c = check(planWith((p) => ((g(p).services = [{ name: "http", ports: [80, "8000-8010"] }]), (g(p).publicPorts = [8005]))));
        expect(errorsOf(c)).toEqual([
            {
                rule: "port-exposure",
                path: "regions[0].nodeGroups[0].services[0]",
                message: 'port 8000-8010/tcp of service "http" is member-only but also public on this group; add "world" to its from, or drop it from the public ports',
            },
        ]);
        // Plan-wide public ports count too; another protocol does not clash.
        const udp = check(planWith((p) => ((g(p).services = [{ name: "dns", ports: [53] }]), (p.exposure.publicPorts = [{ ports: [{ port: 53, protocol: "udp" }] }]))));
        expect(errorsOf(udp)).toEqual([]);
    });
});

describe("Cloud Firewall limit: 25 rules per group", () => {
    // Each service from its own network needs its own rule; SSH takes one more.
    const services = (n: number) => planWith((p) => (g(p).services = Array.from({ length: n }, (_, i) => ({ name: `s${i}`, ports: [1000 + i], from: [`198.51.100.${i}`] }))));

    it("accepts exactly 25 rules", () => {
        expect(errorsOf(check(services(24)))).toEqual([]);
    });

    it("rejects 26, at the group", () => {
        expect(errorsOf(check(services(25)))).toEqual([
            {
                rule: "firewall-limits",
                path: "regions[0].nodeGroups[0]",
                message:
                    "needs 26 Cloud Firewall rules but a Linode takes one firewall of at most 25: 26 different protocol and source combinations " +
                    "(ssh ssh; service s0; service s1; service s2; service s3; service s4; … (20 more)) each need their own rule; " +
                    "ports with the same protocol and sources share a rule, so give services the same sources where you can (e.g. from: [cluster]), " +
                    "or use a VPC so that members aggregate into address blocks",
            },
        ]);
    });

    it("says which sources were split into several rules", () => {
        // 300 CIDRs in one service: 2 rules for it (255 addresses per rule), plus 23 single-source services and SSH.
        const plan = planWith((p) => {
            const many = Array.from({ length: 300 }, (_, i) => `10.${Math.floor(i / 250)}.${i % 250}.0/24`);
            g(p).services = [{ name: "wide", ports: [9000], from: many }, ...Array.from({ length: 23 }, (_, i) => ({ name: `s${i}`, ports: [1000 + i], from: [`198.51.100.${i}`] }))];
        });
        const [issue] = errorsOf(check(plan));
        expect(issue!.message).toMatch(/^needs 26 Cloud Firewall rules .*: 25 different protocol and source combinations .*; service wide needs 2 rules \(more than 255 addresses or 15 port ranges\); ports with/);
    });
});
