import * as linode from "@pulumi/linode";
import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { LinodeCluster } from "../../sdk/components/linode-cluster";
import { installMocks, Registered, settle, valueOf, withoutSecrets } from "../support/pulumi-mocks";
import { fixturePlan } from "../support/plans";

let registered: Registered[];
beforeEach(async () => {
    registered = await installMocks();
});

async function build(plan = fixturePlan("two-region"), opts?: pulumi.ComponentResourceOptions) {
    const cluster = new LinodeCluster("shop", { plan }, opts);
    await cluster.built;
    const inventory = await valueOf(cluster.inventory);
    await settle(registered);
    return { cluster, inventory };
}

const count = (type: string) => registered.filter((r) => r.type === type).length;
const TAGGABLE = new Set([
    "linode:index/instance:Instance",
    "linode:index/volume:Volume",
    "linode:index/nodeBalancer:NodeBalancer",
    "linode:index/firewall:Firewall",
    "linode:index/domain:Domain",
]);

describe("LinodeCluster on a two-region plan", () => {
    it("registers exactly the expected resources", async () => {
        await build();
        const byType = Object.fromEntries(
            [...new Set(registered.map((r) => r.type))].sort().map((t) => [t, count(t)]),
        );
        expect(byType).toEqual({
            "lct:index:LinodeCluster": 1,
            "lct:index:Region": 2,
            "lct:index:NodeGroup": 3,
            "lct:index:SecureNode": 7,
            "lct:index:StorageTier": 1,
            "linode:index/domain:Domain": 1,
            "linode:index/domainRecord:DomainRecord": 7,
            "linode:index/firewall:Firewall": 3,
            "linode:index/instance:Instance": 7,
            "linode:index/nodeBalancer:NodeBalancer": 1,
            "linode:index/nodeBalancerConfig:NodeBalancerConfig": 2,
            "linode:index/nodeBalancerNode:NodeBalancerNode": 6,
            "linode:index/placementGroup:PlacementGroup": 1,
            "linode:index/volume:Volume": 4,
            "linode:index/vpc:Vpc": 1,
            "linode:index/vpcSubnet:VpcSubnet": 1,
            "random:index/randomPassword:RandomPassword": 3,
            "tls:index/privateKey:PrivateKey": 1,
            // eu-central uses private IPv4 and the regions see each other by public IPv4: every
            // node gets membership pushed after creation.
            "command:remote:Command": 7,
        });
        expect(registered).toHaveLength(59);
    });

    it("gives each instance its label, type, image, tags, network and placement", async () => {
        await build();
        const inst = (name: string) => registered.find((r) => r.type === "linode:index/instance:Instance" && r.name === `${name}-instance`)!;
        const db1 = inst("shop-us-ord-db-1");
        expect(db1.plainInputs).toMatchObject({
            label: "shop-us-ord-db-1",
            region: "us-ord",
            type: "g6-dedicated-4",
            image: "linode/debian12",
            booted: true,
            tags: ["lct:cluster=shop", "lct:region=us-ord", "lct:group=db", "lct:role=postgresql", "lct:boot-order=1", "team-web"],
        });
        expect(db1.plainInputs.interfaces).toEqual([
            { purpose: "public" },
            { purpose: "vpc", subnetId: expect.any(Number), ipv4: { vpc: expect.stringMatching(/^10\.31\.\d+\.10$/) } },
        ]);
        expect(db1.plainInputs.placementGroup).toEqual({ id: expect.any(Number) });
        expect(db1.plainInputs.privateIp).toBeUndefined();
        expect(db1.ignoreChanges.sort()).toEqual(["metadatas", "stackscriptData"]);
        // Private-IPv4 region: no VPC interface, a private address instead.
        const eu = inst("shop-eu-central-web-1");
        expect(eu.plainInputs.interfaces).toBeUndefined();
        expect(eu.plainInputs.privateIp).toBe(true);
        // NodeBalancer targets need a private address even in a VPC region.
        expect(inst("shop-us-ord-web-1").plainInputs.privateIp).toBe(true);
        for (const i of registered.filter((r) => r.type === "linode:index/instance:Instance")) {
            expect(i.plainInputs.metadatas).toHaveLength(1);
            expect(typeof i.plainInputs.rootPass).toBe("string");
            expect(i.plainInputs.authorizedKeys).toEqual([expect.stringMatching(/^ssh-ed25519 /)]);
        }
    });

    it("parents every child to the component above it", async () => {
        await build();
        const urnOf = (type: string, name: string) => registered.find((r) => r.type === type && r.name === name)!.urn!;
        const cluster = urnOf("lct:index:LinodeCluster", "shop");
        const parentName = (r: Registered) => registered.find((p) => p.urn === r.parent)?.name ?? "(stack)";
        const parentType = (r: Registered) => registered.find((p) => p.urn === r.parent)?.type ?? "(stack)";
        for (const r of registered) {
            // Under mocks there is no root stack resource; the cluster is top-level.
            if (r.type === "lct:index:LinodeCluster") expect(r.parent).not.toMatch(/lct:index/);
            if (r.type === "lct:index:Region") expect(r.parent).toBe(cluster);
            if (r.type === "lct:index:NodeGroup") expect(parentType(r)).toBe("lct:index:LinodeCluster");
            if (r.type === "lct:index:SecureNode" || r.type === "lct:index:StorageTier" || r.type.startsWith("random:")) {
                expect(parentType(r)).toBe("lct:index:NodeGroup");
            }
            if (r.type === "linode:index/instance:Instance") expect(parentType(r)).toBe("lct:index:SecureNode");
            if (r.type === "linode:index/volume:Volume") expect(parentType(r)).toBe("lct:index:StorageTier");
            if (r.type.startsWith("linode:index/vpc") || r.type === "linode:index/placementGroup:PlacementGroup") {
                expect(parentType(r)).toBe("lct:index:Region");
            }
            if (/firewall|nodeBalancer|domain|privateKey/i.test(r.type)) expect(r.parent).toBe(cluster);
            // Every logical name derives from the component's name.
            if (r.type !== "lct:index:LinodeCluster") expect(r.name.startsWith(parentName(r)) || r.name.startsWith("shop-")).toBe(true);
        }
        expect(registered.find((r) => r.name === "shop-us-ord-db-storage-1-data")).toBeDefined();
    });

    it("tags every taggable resource with the cluster tag and the plan's tags", async () => {
        await build();
        const taggable = registered.filter((r) => TAGGABLE.has(r.type));
        expect(taggable).toHaveLength(7 + 4 + 1 + 3 + 1);
        for (const r of taggable) {
            expect(r.plainInputs.tags).toContain("lct:cluster=shop");
            for (const t of r.plainInputs.tags as string[]) expect(t.length).toBeGreaterThanOrEqual(3);
            for (const t of r.plainInputs.tags as string[]) expect(t.length).toBeLessThanOrEqual(50);
            expect(r.plainInputs.tags).toContain("team-web");
        }
    });

    it("never puts a secret in plain text among the inputs", async () => {
        const { cluster } = await build();
        const password = /^Mock-Pass-/;
        const privateKey = /PRIVATE KEY/;
        for (const r of registered) {
            // Secrets arrive wrapped; their plain text never appears outside a wrapper.
            const visible = JSON.stringify(withoutSecrets(r.inputs));
            expect(visible).not.toMatch(password);
            expect(visible).not.toMatch(privateKey);
        }
        const syncs = registered.filter((r) => r.type === "command:remote:Command");
        for (const c of syncs) expect(JSON.stringify(c.inputs.connection)).toContain("4dabf18193072939515e22adb298388d");
        const instances = registered.filter((r) => r.type === "linode:index/instance:Instance");
        for (const i of instances) expect(JSON.stringify(i.inputs.rootPass)).toContain("4dabf18193072939515e22adb298388d");
        expect(pulumi.Output.isInstance(cluster.adminPrivateKey)).toBe(true);
        expect(await pulumi.isSecret(cluster.adminPrivateKey!)).toBe(true);
        const inventory = JSON.stringify(await valueOf(cluster.inventory));
        expect(inventory).not.toMatch(password);
        expect(inventory).not.toMatch(privateKey);
    });

    it("keeps the provider token, root passwords and private keys out of user data and StackScripts too", async () => {
        const plan = fixturePlan("two-region");
        plan.regions[1]!.nodeGroups[0]!.configMethod = "stackscript";
        const token = "tok-0123456789abcdef";
        const provider = new linode.Provider("api", { token: pulumi.secret(token) });
        await build(plan, { providers: { linode: provider } });
        const decoded: string[] = [];
        for (const r of registered.filter((x) => x.type === "linode:index/instance:Instance")) {
            for (const m of (r.plainInputs.metadatas ?? []) as Array<{ userData: string }>) decoded.push(Buffer.from(m.userData, "base64").toString("utf8"));
            if (r.plainInputs.stackscriptData) decoded.push(JSON.stringify(r.plainInputs.stackscriptData));
        }
        for (const r of registered.filter((x) => x.type === "linode:index/stackScript:StackScript")) decoded.push(r.plainInputs.script as string);
        // Both configuration methods are really covered.
        expect(decoded.filter((d) => d.startsWith("#cloud-config")).length).toBe(5);
        expect(registered.filter((x) => x.type === "linode:index/stackScript:StackScript")).toHaveLength(1);
        for (const d of decoded) {
            expect(d).not.toContain(token);
            expect(d).not.toMatch(/Mock-Pass-/);
            expect(d).not.toMatch(/PRIVATE KEY/);
        }
        // The token itself is only ever a secret input of the provider.
        for (const r of registered) expect(JSON.stringify(withoutSecrets(r.inputs))).not.toContain(token);
    });

    it("protects volumes by default and retains them when the plan says so", async () => {
        await build();
        const volumes = registered.filter((r) => r.type === "linode:index/volume:Volume");
        expect(volumes.map((v) => [v.name, v.protect, v.retainOnDelete]).sort()).toEqual([
            ["shop-us-ord-db-storage-1-data", true, false],
            ["shop-us-ord-db-storage-1-wal", false, true],
            ["shop-us-ord-db-storage-2-data", true, false],
            ["shop-us-ord-db-storage-2-wal", false, true],
        ]);
        for (const v of volumes) {
            expect(v.plainInputs.label.length).toBeLessThanOrEqual(32);
            expect(v.plainInputs.linodeId).toEqual(expect.any(Number));
            expect(v.plainInputs.region).toBe("us-ord");
        }
    });

    it("builds one DROP firewall per group, member-only service ports, attached to its nodes", async () => {
        await build();
        const fws = registered.filter((r) => r.type === "linode:index/firewall:Firewall");
        expect(fws.map((f) => f.name).sort()).toEqual(["shop-eu-central-web-firewall", "shop-us-ord-db-firewall", "shop-us-ord-web-firewall"]);
        const db = fws.find((f) => f.name === "shop-us-ord-db-firewall")!.plainInputs;
        expect(db.inboundPolicy).toBe("DROP");
        expect(db.outboundPolicy).toBe("ACCEPT");
        expect(db.linodes).toHaveLength(2);
        const ssh = db.inbounds.find((r: any) => r.ports === "22");
        expect(ssh).toMatchObject({ action: "ACCEPT", protocol: "TCP", ipv4s: ["203.0.113.0/24"], ipv6s: ["2001:db8::/32"] });
        const pg = db.inbounds.find((r: any) => r.ports === "5432");
        // db and us-ord web by VPC blocks, eu-central web by public IPv4: nothing else.
        expect(pg.ipv4s.filter((a: string) => a.startsWith("10.31."))).toHaveLength(3);
        expect(pg.ipv4s.filter((a: string) => a.startsWith("45."))).toHaveLength(2);
        expect(pg.ipv4s).not.toContain("0.0.0.0/0");
        expect(db.inbounds).toHaveLength(2);
        const eu = fws.find((f) => f.name === "shop-eu-central-web-firewall")!.plainInputs;
        const http = eu.inbounds.find((r: any) => r.ports === "8080");
        expect(http.ipv4s).toEqual([expect.stringMatching(/^192\.168\.\d+\.\d+\/32$/), expect.stringMatching(/^192\.168\.\d+\.\d+\/32$/)]);
        const web = fws.find((f) => f.name === "shop-us-ord-web-firewall")!.plainInputs;
        expect(web.inbounds.find((r: any) => r.ipv4s?.includes("192.168.255.0/24"))).toMatchObject({ ports: "8080, 8443" });
    });

    it("wires the NodeBalancer to the target group's private addresses, and DNS to public ones", async () => {
        const { inventory } = await build();
        const nodes = registered.filter((r) => r.type === "linode:index/nodeBalancerNode:NodeBalancerNode");
        const webPrivate = inventory.nodes.filter((n) => n.group === "us-ord/web").map((n) => n.privateIpv4);
        expect(nodes.map((n) => n.plainInputs.address).sort()).toEqual(
            [...webPrivate.map((ip) => `${ip}:8080`), ...webPrivate.map((ip) => `${ip}:8443`)].sort(),
        );
        const configs = registered.filter((r) => r.type === "linode:index/nodeBalancerConfig:NodeBalancerConfig");
        const summary = configs.map((c) => [c.plainInputs.port, c.plainInputs.protocol, c.plainInputs.check, c.plainInputs.checkPath ?? null]);
        expect(summary.sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
            [80, "http", "http", "/healthz"],
            [443, "tcp", "connection", null],
        ]);
        const records = registered.filter((r) => r.type === "linode:index/domainRecord:DomainRecord");
        expect(records.map((r) => r.plainInputs.name).sort()).toEqual(
            ["db-1.us-ord", "db-2.us-ord", "web-1.eu-central", "web-1.us-ord", "web-2.eu-central", "web-2.us-ord", "web-3.us-ord"],
        );
        for (const r of records) expect(inventory.nodes.map((n) => n.publicIpv4)).toContain(r.plainInputs.target);
    });

    it("outputs an inventory of every node with ids, addresses, tags and volumes", async () => {
        const { cluster, inventory } = await build();
        expect(inventory.nodes).toHaveLength(7);
        const db1 = inventory.nodes.find((n) => n.name === "shop-us-ord-db-1")!;
        expect(db1).toMatchObject({ label: "shop-us-ord-db-1", group: "us-ord/db", role: "postgresql", region: "us-ord", index: 1 });
        expect(db1.id).toMatch(/^\d+$/);
        expect(db1.publicIpv4).toMatch(/^45\./);
        expect(db1.vpcIpv4).toMatch(/^10\.31\./);
        expect(db1.volumes.map((v) => [v.mountPath, v.sizeGb, typeof v.id])).toEqual([
            ["/var/lib/postgresql", 50, "string"],
            ["/var/lib/postgresql-wal", 20, "string"],
        ]);
        expect(Object.keys(await valueOf(cluster.nodesByGroup))).toEqual(["us-ord/web", "us-ord/db", "eu-central/web"]);
        expect((await valueOf(cluster.nodes({ role: "postgresql" }))).map((n) => n.name)).toEqual(["shop-us-ord-db-1", "shop-us-ord-db-2"]);
        expect((await valueOf(cluster.nodes({ group: "web", region: "eu-central" }))).map((n) => n.index)).toEqual([1, 2]);
        expect(Object.keys(await valueOf(cluster.firewallIds)).sort()).toEqual(["eu-central/web", "us-ord/db", "us-ord/web"]);
        expect(await valueOf(cluster.loadBalancerAddresses)).toEqual({ web: expect.objectContaining({ hostname: expect.stringMatching(/nodebalancer/) }) });
        expect(await valueOf(cluster.adminPublicKeys)).toEqual([expect.stringMatching(/^ssh-ed25519 /)]);
    });
});

describe("stable identity", () => {
    it("growing a group from 3 to 5 keeps every existing resource name and adds only that group's", async () => {
        const names = async (webCount: number) => {
            registered = await installMocks();
            const plan = fixturePlan("two-region");
            plan.regions[0]!.nodeGroups[0]!.count = webCount;
            await build(plan);
            return new Set(registered.map((r) => `${r.type}::${r.name}`));
        };
        const before = await names(3);
        const after = await names(5);
        for (const n of before) expect(after.has(n)).toBe(true);
        const added = [...after].filter((n) => !before.has(n)).sort();
        expect(added).toEqual(
            [
                "lct:index:SecureNode::shop-us-ord-web-4",
                "lct:index:SecureNode::shop-us-ord-web-5",
                "linode:index/instance:Instance::shop-us-ord-web-4-instance",
                "linode:index/instance:Instance::shop-us-ord-web-5-instance",
                "linode:index/domainRecord:DomainRecord::shop-us-ord-web-4-dns",
                "linode:index/domainRecord:DomainRecord::shop-us-ord-web-5-dns",
                "linode:index/nodeBalancerNode:NodeBalancerNode::shop-lb-web-80-us-ord-web-4",
                "linode:index/nodeBalancerNode:NodeBalancerNode::shop-lb-web-80-us-ord-web-5",
                "linode:index/nodeBalancerNode:NodeBalancerNode::shop-lb-web-443-us-ord-web-4",
                "linode:index/nodeBalancerNode:NodeBalancerNode::shop-lb-web-443-us-ord-web-5",
                "command:remote:Command::shop-us-ord-web-4-member-sync",
                "command:remote:Command::shop-us-ord-web-5-member-sync",
            ].sort(),
        );
    });

    it("names children after the component even when it differs from the plan name", async () => {
        const cluster = new LinodeCluster("prod", { plan: fixturePlan("two-region") });
        await cluster.built;
        await settle(registered);
        const inst = registered.filter((r) => r.type === "linode:index/instance:Instance");
        expect(inst.map((i) => i.name)).toContain("prod-us-ord-web-1-instance");
        // Linode labels keep the plan's identity.
        expect(inst.map((i) => i.plainInputs.label)).toContain("shop-us-ord-web-1");
    });
});

describe("resource options", () => {
    it("a custom provider reaches every Linode resource", async () => {
        const provider = new linode.Provider("sim", { url: "http://127.0.0.1:8080", token: pulumi.secret("token") });
        await build(fixturePlan("two-region"), { providers: { linode: provider } });
        const providerUrn = registered.find((r) => r.type === "pulumi:providers:linode")!.urn!;
        const linodeResources = registered.filter((r) => r.type.startsWith("linode:index/"));
        expect(linodeResources.length).toBe(34);
        for (const r of linodeResources) expect(r.provider.startsWith(`${providerUrn}::`)).toBe(true);
    });

    it("the API the provider points at reaches the dynamic resources too, and no token becomes an input", async () => {
        const url = "http://127.0.0.1:8080";
        const provider = new linode.Provider("sim", { url, token: pulumi.secret("token-value-1") });
        const cluster = new LinodeCluster("shop", { plan: fixturePlan("two-region"), power: "running", readiness: true, api: { url } }, { providers: { linode: provider } });
        await cluster.built;
        await settle(registered);
        const dynamic = registered.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/lct:"));
        expect(dynamic.map((r) => r.type).sort()).toEqual(["pulumi-nodejs:dynamic/lct:ClusterPower", ...Array(3).fill("pulumi-nodejs:dynamic/lct:NodeReadiness")]);
        for (const r of dynamic) {
            expect(r.plainInputs.apiUrl).toBe(url);
            expect(JSON.stringify(r.plainInputs)).not.toContain("token-value-1");
        }
    });

    it("protect on the cluster reaches every child", async () => {
        await build(fixturePlan("two-region"), { protect: true });
        for (const r of registered.filter((x) => x.custom)) expect(r.protect).toBe(true);
    });

    it("rejects an invalid plan at construction, naming every plan path, before creating anything", async () => {
        const plan = fixturePlan("two-region");
        plan.regions[0]!.nodeGroups[1]!.count = 0;
        plan.regions[1]!.region = "eu-centrl";
        expect(() => new LinodeCluster("bad", { plan })).toThrow(/regions\[0\]\.nodeGroups\[1\]\.count: must be at least 1[\s\S]*regions\[1\]\.region: unknown region "eu-centrl"/);
        await settle(registered);
        expect(registered.filter((r) => r.name.startsWith("bad"))).toEqual([]);
    });
});
