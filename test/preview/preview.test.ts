/**
 * `lct preview <plan>` — the offline preview: the real LinodeCluster program on Pulumi's mock
 * runtime (the same tree `pulumi up` registers, with the arguments stack config would give),
 * the resource tree, firewall matrix (against the Cloud Firewalls' ports and addresses), cost
 * against the catalogue, warnings (the plan's and the program's own), JSON, diagrams (parsed as
 * XML with xmllint), invalid plans, progress (lines, and a bar on a terminal).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { bundledCatalog } from "../../sdk/catalog/load";
import { typePrice } from "../../sdk/cost/estimate";
import { LinodeCluster } from "../../sdk/components/linode-cluster";
import { memoryIO } from "../../sdk/cli/io";
import { runCli } from "../../sdk/cli/main";
import { contains, parseCidr } from "../../sdk/network/cidr";
import { firewallMatrix } from "../../sdk/preview/firewall-matrix";
import { installRecordingMocks } from "../../sdk/preview/mock-runtime";
import { runPreview } from "../../sdk/preview/run-preview";
import { stackProgram } from "../../sdk/stack/program";
import { installMocks, settle, valueOf } from "../support/pulumi-mocks";
import { fixturePath } from "../support/plans";
import { announceSkip, requireTool, run } from "../support/tools";

// The real LinodeCluster program runs under the mock runtime here (seconds per run): room for slow machines.
vi.setConfig({ testTimeout: 120_000 });

const REPO = path.join(__dirname, "..", "..");
const QUICKSTART = path.join(__dirname, "fixtures", "quickstart-plan.yaml");
const TWO_REGION = fixturePath("two-region");
const xmllint = requireTool("xmllint", "libxml2-utils");
announceSkip(xmllint);

let tmp: string;
beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lct-preview-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function cli(args: string[], opts: { stdin?: string; errIsTTY?: boolean } = {}) {
    const io = memoryIO({ cwd: tmp, env: {}, ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}) });
    if (opts.errIsTTY) io.errIsTTY = true;
    const code = await runCli(args, io);
    return { code, out: io.stdout(), err: io.stderr() };
}

const OWN_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ops@example";

/** One VPC region, its own SSH key: no member is late, so no key is needed — and none is given. */
const OWN_KEY_PLAN = ["name: ownkey", `defaults: { sshKeys: ["${OWN_KEY}"] }`, "exposure: { adminCidrs: [203.0.113.0/24] }", "regions:", "  - region: us-ord", "    nodeGroups: [{ name: web, count: 2 }]", ""].join("\n");

function writePlan(name: string, text: string): string {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, text);
    return file;
}

const key = (r: { type: string; name: string }) => `${r.type}::${r.name}`;

describe("the preview evaluates the same tree as pulumi up", () => {
    it("registers exactly what a direct LinodeCluster build registers (two-region: the component tests' 59, plus ClusterPower)", async () => {
        const preview = await runPreview(TWO_REGION, { name: "shop" });
        const previewKeys = preview.resources.map(key).sort();

        const registered = await installMocks({ preview: true });
        const cluster = new LinodeCluster("shop", { plan: TWO_REGION, power: "running" });
        await cluster.built;
        await settle(registered);
        expect(previewKeys).toEqual(registered.map(key).sort());
        // The same parents, protection and ignoreChanges, resource by resource.
        const direct = new Map(registered.map((r) => [key(r), r]));
        for (const r of preview.resources) {
            const d = direct.get(key(r))!;
            // Parents by type and name: the stack part of the URNs differs ("shop" / "test").
            const parent = (urn: string) => urn.split("::").slice(2).join("::");
            expect([parent(r.parent), r.protect, r.retainOnDelete, [...r.ignoreChanges].sort()], key(r)).toEqual([parent(d.parent), d.protect, d.retainOnDelete, [...d.ignoreChanges].sort()]);
        }

        // Without lct:power the component registers the 59 resources its own tests count.
        const bare = await installMocks({ preview: true });
        const plain = new LinodeCluster("shop", { plan: TWO_REGION });
        await plain.built;
        await settle(bare);
        expect(bare).toHaveLength(59);
        expect(preview.resources).toHaveLength(60);
        expect(previewKeys.filter((k) => !bare.some((b) => key(b) === k))).toEqual(["pulumi-nodejs:dynamic/lct:ClusterPower::shop-power"]);
    });

    it("matches the root stack program (stacks/index.ts) run as stack \"test\" with lct:plan", async () => {
        const registered = await installMocks({ config: { "lct:plan": TWO_REGION } });
        const outputs = stackProgram();
        await valueOf(outputs.inventory);
        await settle(registered);
        const preview = await runPreview(TWO_REGION, { name: "test" });
        expect(preview.resources.map(key).sort()).toEqual(registered.map(key).sort());
    });

    it("--power, --member-sync and --readiness give the arguments lct:power, lct:memberSync and lct:readiness give the root stack", async () => {
        const file = writePlan("settings.yaml", OWN_KEY_PLAN);
        const registered = await installMocks({ config: { "lct:plan": file, "lct:power": "stopped", "lct:memberSync": "off", "lct:readiness": "true" } });
        const outputs = stackProgram();
        await valueOf(outputs.inventory);
        await settle(registered);
        const r = await cli(["preview", file, "--stack", "test", "--power", "stopped", "--member-sync", "off", "--readiness", "--json"]);
        expect(r.code, r.err).toBe(0);
        const json = JSON.parse(r.out);
        expect(json.resources.map(key).sort()).toEqual(registered.map(key).sort());
        const types = json.resources.map((x: { shortType: string }) => x.shortType);
        expect(types.filter((t: string) => t === "NodeReadiness")).toHaveLength(1);
        expect(json.resources.find((x: { shortType: string }) => x.shortType === "ClusterPower").inputs.power).toBe("stopped");
        // Member sync off: the program has nothing to warn about.
        expect(json.warnings).toEqual([]);
        // Bad values stop before any work; the offline-only flags are refused with --live.
        expect(await cli(["preview", file, "--power", "paused"])).toEqual({ code: 2, out: "", err: 'error: --power must be "running" or "stopped", not "paused"\n' });
        expect(await cli(["preview", file, "--member-sync", "sometimes"])).toEqual({ code: 2, out: "", err: 'error: --member-sync must be "auto" or "off", not "sometimes"\n' });
        expect(await cli(["preview", "dev", "--live", "--member-sync", "off"])).toEqual({ code: 2, out: "", err: "error: --member-sync: only for the offline preview (lct preview <plan>)\n" });
    });
});

describe("the program's own warnings", () => {
    it("lists LinodeCluster's log.warn (own SSH keys, no private key, member sync auto) under Warnings and in the JSON, not raw on stderr", async () => {
        const file = writePlan("own-key.yaml", OWN_KEY_PLAN);
        const message = "no admin private key: nodes will not learn about members added when the cluster grows (pass adminPrivateKey, or let LCT generate the key)";
        const text = await cli(["preview", file]);
        expect(text.code, text.err).toBe(0);
        expect(text.err).toBe("");
        expect(section(text.out, "Warnings:", undefined)).toEqual([`  LinodeCluster ownkey: ${message}`]);
        const json = JSON.parse((await cli(["preview", file, "--json"])).out);
        expect(json.warnings).toEqual([{ severity: "warning", rule: "program.log", path: "LinodeCluster ownkey", message }]);
        // As deployed with lct:memberSync off (what lct node create sets), there is nothing to warn about.
        const off = await cli(["preview", file, "--member-sync", "off"]);
        expect(off.out).not.toMatch(/Warnings:/);
    });
});

describe("text preview", () => {
    it("shows the counts, the tree, the firewall matrix and the cost of the quickstart plan", async () => {
        const r = await cli(["preview", QUICKSTART]);
        expect(r.code, r.err).toBe(0);
        expect(r.err).toBe("");
        const preview = await runPreview(QUICKSTART);
        const lines = r.out.split("\n");
        expect(lines[0]).toBe('Preview of cluster "quickstart": 8 nodes in 4 groups across 2 regions (no Linode API was called)');
        expect(r.out).toContain(`Resources the stack would create: ${preview.resources.length} (named after "quickstart"; Pulumi also counts the stack itself: ${preview.resources.length + 1})`);
        expect(preview.resources).toHaveLength(61);
        for (const [type, n] of [
            ["linode.Instance", 8],
            ["SecureNode", 8],
            ["linode.Firewall", 4],
            ["linode.Volume", 2],
            ["linode.NodeBalancer", 1],
            ["ClusterPower", 1],
        ] as const) {
            expect(lines, type).toContain(`  ${String(n).padStart(6)}  ${type}`);
            expect(preview.resources.filter((x) => x.type.endsWith(`:${type.replace(/^linode\./, "")}`))).toHaveLength(n);
        }
        // The tree: root, regions, groups, nodes with their key inputs; volumes protected.
        expect(r.out).toMatch(/^LinodeCluster quickstart$/m);
        expect(r.out).toContain("linode.Instance quickstart-us-ord-db-1-instance  quickstart-us-ord-db-1 · g6-dedicated-4 · us-ord · linode/debian12 · vpc 10.31.254.10 · cloud-init");
        expect(r.out).toContain("linode.Volume quickstart-us-ord-db-storage-1-data  quickstart-us-ord-db-1-data · 100 GB · protected");
        expect(r.out).toContain("linode.Firewall quickstart-us-ord-bastion-firewall  quickstart-us-ord-bastion · inbound DROP · 1 rule · 1 Linode");
        expect(r.out).toContain("ClusterPower quickstart-power  power running, 4 groups in boot order (lct:power)");
        // The firewall matrix, row by row.
        const matrix = section(r.out, "Who may reach what", "Cost:");
        expect(matrix).toEqual([
            "  target          port      purpose                   from",
            "  us-ord/bastion  22/tcp    ssh                       203.0.113.0/24",
            "  us-ord/db       22/tcp    ssh                       us-ord/bastion",
            "                  5432/tcp  service postgresql        us-ord/db, us-ord/web, eu-central/web",
            "  us-ord/web      22/tcp    ssh                       us-ord/bastion",
            "                  8080/tcp  service http              us-ord/web",
            "                  8080/tcp  load-balancer web-ord-80  192.168.255.0/24",
            "  eu-central/web  22/tcp    ssh                       us-ord/bastion",
            "                  8080/tcp  service http              eu-central/web",
        ]);
        // Cost rows against the catalogue.
        const cost = section(r.out, "Cost:", undefined);
        const cat = bundledCatalog;
        const price = (type: string, region: string) => typePrice(cat.types.find((t) => t.id === type)!, region);
        const dbNode = price("g6-dedicated-4", "us-ord");
        const db = cost.find((l) => l.startsWith("  us-ord/db "))!;
        const dbVolumes = 200 * cat.prices.volumeGbMonthly;
        expect(db.split(/\s{2,}/).slice(1)).toEqual([
            "us-ord/db",
            "2 nodes",
            money(dbNode.monthly!),
            money(dbNode.monthly! * 2),
            `200 GB ${money(dbVolumes)}`,
            money(dbNode.monthly! * 2 + dbVolumes),
            `$${(dbNode.hourly! * 2 + 200 * cat.prices.volumeGbHourly).toFixed(4)}`,
        ]);
        const nb = cost.find((l) => l.includes("NodeBalancer web-ord"))!;
        expect(nb).toMatch(new RegExp(`NodeBalancer web-ord\\s+us-ord\\s+\\${money(cat.prices.nodeBalancerMonthly)}\\s+\\$${cat.prices.nodeBalancerHourly.toFixed(4)}$`));
        const total =
            price("g6-nanode-1", "us-ord").monthly! + dbNode.monthly! * 2 + dbVolumes + price("g6-standard-2", "us-ord").monthly! * 3 + price("g6-standard-2", "eu-central").monthly! * 2 + cat.prices.nodeBalancerMonthly;
        expect(cost).toContain(`  total: ${money(total)}/month ($${hourlyTotal(cat).toFixed(4)}/hour)`);
        expect(r.out).not.toMatch(/Warnings:/);
    });

    it("names the resources as a given stack would, and checks that name", async () => {
        const r = await cli(["preview", TWO_REGION, "--stack", "prod"]);
        expect(r.code, r.err).toBe(0);
        expect(r.out).toMatch(/^LinodeCluster prod$/m);
        expect(r.out).toContain("linode.Instance prod-us-ord-web-1-instance  shop-us-ord-web-1 ·");
        const bad = await cli(["preview", TWO_REGION, "--stack", "no spaces"]);
        expect(bad).toMatchObject({ code: 2, out: "" });
        expect(bad.err).toMatch(/^error: --stack: stack name "no spaces"/);
    });

    it("prices groups, volumes and NodeBalancers in regions with their own prices (br-gru, id-cgk)", async () => {
        const file = writePlan(
            "regional.yaml",
            [
                "name: regional",
                "exposure: { adminCidrs: [203.0.113.0/24] }",
                "regions:",
                "  - region: br-gru",
                "    nodeGroups:",
                "      - name: app",
                "        count: 3",
                "        services: [{ name: http, ports: [8080], from: [self] }]",
                "        storage: [{ name: data, sizeGb: 40, mountPath: /data }]",
                "  - region: id-cgk",
                "    nodeGroups:",
                "      - { name: cache, type: g6-nanode-1, count: 2 }",
                "  - region: us-ord",
                "    nodeGroups:",
                "      - { name: app, count: 1 }",
                "loadBalancers:",
                "  - name: front",
                "    region: br-gru",
                "    listeners: [{ port: 80, target: { group: app, port: 8080 } }]",
                "",
            ].join("\n"),
        );
        const r = await cli(["preview", file, "--json"]);
        expect(r.code, r.err).toBe(0);
        const json = JSON.parse(r.out);
        const cat = bundledCatalog;
        const std2 = cat.types.find((t) => t.id === "g6-standard-2")!;
        const nano = cat.types.find((t) => t.id === "g6-nanode-1")!;
        const gruPrice = std2.regionPrices.find((p) => p.id === "br-gru")!;
        const cgkPrice = nano.regionPrices.find((p) => p.id === "id-cgk")!;
        const gru = { monthly: gruPrice.monthly!, hourly: gruPrice.hourly! };
        const cgk = { monthly: cgkPrice.monthly!, hourly: cgkPrice.hourly! };
        expect(gru.monthly).not.toBe(std2.price.monthly);
        const groups = Object.fromEntries(json.cost.groups.map((g: { group: string }) => [g.group, g]));
        expect(groups["br-gru/app"]).toMatchObject({
            nodes: 3,
            perNode: { monthly: gru.monthly, hourly: gru.hourly },
            volumesGb: 120,
            volumes: { monthly: round(120 * cat.prices.volumeRegionGbMonthly["br-gru"]!) },
        });
        expect(groups["id-cgk/cache"].perNode).toEqual({ monthly: cgk.monthly, hourly: cgk.hourly });
        expect(groups["us-ord/app"].perNode).toEqual(std2.price);
        expect(json.cost.loadBalancers).toEqual([
            { name: "front", region: "br-gru", cost: { monthly: cat.prices.nodeBalancerRegionMonthly["br-gru"], hourly: round(cat.prices.nodeBalancerHourly * (cat.prices.nodeBalancerRegionMonthly["br-gru"]! / cat.prices.nodeBalancerMonthly), 5) } },
        ]);
        const expected = round(gru.monthly * 3 + 120 * cat.prices.volumeRegionGbMonthly["br-gru"]! + cgk.monthly * 2 + std2.price.monthly! + cat.prices.nodeBalancerRegionMonthly["br-gru"]!);
        expect(json.cost.total.monthly).toBe(expected);
        // The text shows the same numbers.
        const t = await cli(["preview", file]);
        expect(t.out).toContain(`  total: ${money(expected)}/month`);
        expect(t.out).toMatch(new RegExp(`  br-gru/app\\s+3 nodes\\s+\\${money(gru.monthly)}\\s+\\${money(gru.monthly * 3)}\\s+120 GB \\${money(120 * cat.prices.volumeRegionGbMonthly["br-gru"]!)}`));
    });
});

describe("firewall matrix", () => {
    it("lists exactly the ports the Cloud Firewall resources open, per group, and exactly the sources their addresses admit", async () => {
        for (const plan of [QUICKSTART, TWO_REGION]) {
            const { matrix, firewalls, nodes } = await deployedFirewalls(plan);
            // Per group and port: who may connect, as node labels (groups and "cluster" expanded), CIDRs, or "world".
            const fromMatrix = new Map<string, Set<string>>();
            for (const row of matrix) {
                const [ports, proto] = row.ports.split("/");
                const who = row.from.split(", ").flatMap((s) =>
                    s === "world" ? ["world"] : s === "cluster" ? [...nodes.keys()] : parseCidr(s) ? [s] : [...nodes].filter(([, n]) => n.group === s).map(([label]) => label),
                );
                for (const p of ports!.split(",")) addAll(fromMatrix, `${row.group} ${p}/${proto}`, who);
            }
            // The same from the registered linode.Firewall inputs: each address mapped back to the nodes it covers.
            const fromResources = new Map<string, Set<string>>();
            for (const fw of firewalls) {
                const tag = (k: string) => (fw.inputs.tags as string[]).find((t) => t.startsWith(`lct:${k}=`))!.split("=")[1];
                const group = `${tag("region")}/${tag("group")}`;
                expect(fw.inputs.inboundPolicy).toBe("DROP");
                for (const rule of fw.inputs.inbounds) {
                    const who = [...(rule.ipv4s ?? []), ...(rule.ipv6s ?? [])].flatMap((a: string) => {
                        if (a === "0.0.0.0/0" || a === "::/0") return ["world"];
                        const net = parseCidr(a)!;
                        const covered = [...nodes].filter(([, n]) => n.addresses.some((x) => contains(net, parseCidr(x)!))).map(([label]) => label);
                        return covered.length ? covered : [a];
                    });
                    for (const p of String(rule.ports).split(/,\s*/)) addAll(fromResources, `${group} ${p}/${String(rule.protocol).toLowerCase()}`, who);
                }
            }
            expect([...fromMatrix.keys()].sort(), plan).toEqual([...fromResources.keys()].sort());
            for (const [k, who] of fromMatrix) expect([...who].sort(), `${plan} ${k}`).toEqual([...fromResources.get(k)!].sort());
        }
    });

    it("two-region rows: SSH from the admin networks, services from their members, NodeBalancer ports from 192.168.255.0/24", async () => {
        const json = JSON.parse((await cli(["preview", TWO_REGION, "--json"])).out);
        expect(json.firewall).toEqual([
            { group: "us-ord/web", ports: "22/tcp", purpose: "ssh", from: "203.0.113.0/24, 2001:db8::/32" },
            { group: "us-ord/web", ports: "8080,8443/tcp", purpose: "service http", from: "us-ord/web" },
            { group: "us-ord/web", ports: "8080/tcp", purpose: "load-balancer web-80", from: "192.168.255.0/24" },
            { group: "us-ord/web", ports: "8443/tcp", purpose: "load-balancer web-443", from: "192.168.255.0/24" },
            { group: "us-ord/db", ports: "22/tcp", purpose: "ssh", from: "203.0.113.0/24, 2001:db8::/32" },
            { group: "us-ord/db", ports: "5432/tcp", purpose: "service postgresql", from: "cluster" },
            { group: "eu-central/web", ports: "22/tcp", purpose: "ssh", from: "203.0.113.0/24, 2001:db8::/32" },
            { group: "eu-central/web", ports: "8080/tcp", purpose: "service http", from: "eu-central/web" },
        ]);
    });
});

describe("--json", () => {
    it("has the documented shape, counts that add up, and no secret anywhere", async () => {
        const r = await cli(["preview", TWO_REGION, "--json"]);
        expect(r.code, r.err).toBe(0);
        const json = JSON.parse(r.out);
        expect(Object.keys(json).sort()).toEqual(["cluster", "cost", "firewall", "name", "resourceCounts", "resourceTotal", "resources", "totals", "warnings"]);
        expect(json).toMatchObject({ cluster: "shop", name: "shop", totals: { regions: 2, groups: 3, nodes: 7, volumes: 4 } });
        expect(json.resources).toHaveLength(json.resourceTotal);
        expect(Object.values(json.resourceCounts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(json.resourceTotal);
        for (const res of json.resources) expect(Object.keys(res).sort()).toEqual(["inputs", "name", "parent", "protect", "retainOnDelete", "shortType", "type"]);
        expect(json.resources[0]).toMatchObject({ type: "lct:index:LinodeCluster", name: "shop", parent: null });
        const wal = json.resources.find((x: { name: string }) => x.name === "shop-us-ord-db-storage-1-wal");
        expect(wal).toMatchObject({ protect: false, retainOnDelete: true, parent: "shop-us-ord-db-storage" });
        expect(json.resources.find((x: { name: string }) => x.name === "shop-us-ord-db-storage-1-data").protect).toBe(true);
        const power = json.resources.find((x: { shortType: string }) => x.shortType === "ClusterPower");
        expect(power.inputs).not.toHaveProperty("__provider");
        expect(power.inputs).toMatchObject({ cluster: "shop", power: "running" });
        expectNoSecretText(r.out);
    });

    it("keeps the admin private key a secret when the plan brings its own SSH keys", async () => {
        const file = writePlan(
            "own-keys.yaml",
            fs.readFileSync(QUICKSTART, "utf8").replace("defaults:\n", "defaults:\n  sshKeys: [ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ops@example]\n"),
        );
        const r = await cli(["preview", file, "--json"]);
        expect(r.code, r.err).toBe(0);
        const json = JSON.parse(r.out);
        expect(json.warnings.map((w: { rule: string }) => w.rule)).toContain("preview.member-sync");
        expect(json.resources.some((x: { type: string }) => x.type === "tls:index/privateKey:PrivateKey")).toBe(false);
        // Member sync through the bastion gets the key in its environment: a secret, as at deploy time.
        const sync = json.resources.filter((x: { type: string }) => x.type === "command:local:Command");
        expect(sync).toHaveLength(7);
        for (const c of sync) expect(c.inputs.environment).toBe("[secret]");
        expect(r.out).not.toContain("[provided at deploy time]");
        expectNoSecretText(r.out);
        const text = await cli(["preview", file]);
        expect(text.out).toMatch(/Warnings:\n {2}defaults\.sshKeys: the plan gives its own SSH keys .*lct:adminPrivateKey/);
    });
});

describe("--diagram", () => {
    it("writes Mermaid with every group and edge", async () => {
        const out = path.join(tmp, "q.mmd");
        const r = await cli(["preview", QUICKSTART, "--diagram", out]);
        expect(r.code, r.err).toBe(0);
        expect(r.err).toBe(`wrote ${out}\n`);
        const text = fs.readFileSync(out, "utf8");
        expect(text.split("\n")[0]).toBe("flowchart LR");
        for (const g of ["us_ord_bastion", "us_ord_db", "us_ord_web", "eu_central_web"]) expect(text).toMatch(new RegExp(`^ {4}${g}\\["`, "m"));
        expect(text).toContain('  subgraph region_us_ord["us-ord (Chicago, IL) · VPC 10.31.0.0/16"]');
        expect(text).toContain('  us_ord_bastion -- "22/tcp" --> us_ord_db');
        expect(text).toContain('  lb_web_ord -- "8080/tcp" --> us_ord_web');
    });

    it.skipIf(xmllint.skip !== undefined)("writes SVG and HTML that parse as XML, with a box for every group", async () => {
        for (const [plan, groups] of [
            [QUICKSTART, ["us-ord/bastion", "us-ord/db", "us-ord/web", "eu-central/web"]],
            [TWO_REGION, ["us-ord/web", "us-ord/db", "eu-central/web"]],
        ] as const) {
            for (const ext of ["svg", "html"]) {
                const out = path.join(tmp, `d.${ext}`);
                const r = await cli(["preview", plan, "--diagram", out]);
                expect(r.code, r.err).toBe(0);
                const parsed = run(xmllint.path!, ["--noout", out]);
                expect(parsed, `${plan} .${ext}`).toMatchObject({ status: 0, stderr: "" });
                const ids = run(xmllint.path!, ["--xpath", "//*[local-name()='g'][@data-id]/@data-id", out]).stdout;
                const found = [...ids.matchAll(/data-id="([^"]+)"/g)].map((m) => m[1]);
                for (const g of groups) expect(found, `${plan} .${ext}`).toContain(g);
                const titles = run(xmllint.path!, ["--xpath", "//*[local-name()='g'][@data-id='us-ord/web']/*[local-name()='title']/text()", out]).stdout;
                expect(titles).toMatch(/^us-ord\/web: web ×3 · g6-standard-2/);
                if (ext === "html") {
                    const heads = run(xmllint.path!, ["--xpath", "//*[local-name()='h2']/text()", out]).stdout;
                    expect(heads.trim().split("\n")).toEqual(["Who may reach what", "Cost"]);
                    expect(fs.readFileSync(out, "utf8")).toContain("total: $");
                }
            }
        }
    });

    it("refuses an unknown extension before any work, and leaves no file", async () => {
        const r = await cli(["preview", QUICKSTART, "--diagram", path.join(tmp, "x.png")]);
        expect(r).toEqual({ code: 2, out: "", err: `error: --diagram ${path.join(tmp, "x.png")}: use a .mmd, .svg or .html file name\n` });
        expect(fs.existsSync(path.join(tmp, "x.png"))).toBe(false);
    });
});

describe("invalid input", () => {
    it("an invalid plan exits 1 with every issue, prints no preview and writes no diagram", async () => {
        const file = writePlan("bad.yaml", "name: bad\nregions:\n  - region: us-ordd\n    nodeGroups:\n      - { name: web, type: g6-standrd-2, count: 0 }\n");
        const out = path.join(tmp, "bad.svg");
        const r = await cli(["preview", file, "--diagram", out]);
        expect(r.code).toBe(1);
        expect(r.out).toBe("");
        expect(r.err).toContain(`${file}:3:13: error: regions[0].region: unknown region "us-ordd" (did you mean "us-ord"?)`);
        expect(r.err).toMatch(/error: regions\[0\]\.nodeGroups\[0\]\.type: unknown Linode type "g6-standrd-2" \(did you mean "g6-standard-2"\?\)/);
        expect(r.err).toMatch(/error: regions\[0\]\.nodeGroups\[0\]\.count: /);
        expect(r.err.trim().split("\n").pop()).toBe(`${file}: invalid; nothing to preview (lct validate ${file})`);
        expect(fs.existsSync(out)).toBe(false);
    });

    it("takes a bundled template name: the same tree the root stack builds from lct:template", async () => {
        const r = await cli(["preview", "quickstart", "--json"]);
        expect(r.code, r.err).toBe(0);
        const json = JSON.parse(r.out);
        expect(json.cluster).toBe("quickstart");
        const { templatePlan } = await import("../../sdk/stack/template-source.js");
        const direct = await runPreview(templatePlan("quickstart", {}));
        expect(json.resources.map(key).sort()).toEqual(direct.resources.map(key).sort());
        expect(json.resourceTotal).toBe(direct.resources.length);
    });

    it("reads a plan from standard input", async () => {
        const r = await cli(["preview", "-", "--json"], { stdin: fs.readFileSync(TWO_REGION, "utf8") });
        expect(r.code, r.err).toBe(0);
        expect(JSON.parse(r.out).cluster).toBe("shop");
    });

    it("keeps the live options to --live, and the offline ones to the offline preview", async () => {
        const a = await cli(["preview", TWO_REGION, "--backend", "file:///tmp/x"]);
        expect(a).toEqual({ code: 2, out: "", err: "error: --backend: only with --live (lct preview <stack> --live …)\n" });
        const b = await cli(["preview", "dev", "--live", "--diagram", "x.svg"]);
        expect(b).toEqual({ code: 2, out: "", err: "error: --diagram: only for the offline preview (lct preview <plan>)\n" });
    });
});

describe("progress on large plans", () => {
    it("prints node progress lines on stderr (not a terminal) for 250 nodes, then each later phase; none for small plans", async () => {
        const file = writePlan(
            "large.yaml",
            [
                "name: large",
                "exposure: { adminCidrs: [203.0.113.0/24] }",
                "regions:",
                "  - region: us-ord",
                "    nodeGroups:",
                "      - { name: web, count: 150 }",
                "      - { name: db, count: 60 }",
                "  - region: id-cgk",
                "    nodeGroups:",
                "      - { name: app, count: 40 }",
                "",
            ].join("\n"),
        );
        const r = await cli(["preview", file]);
        expect(r.code, r.err).toBe(0);
        const lines = r.err.trim().split("\n");
        // The nodes, a line per quarter; then the cluster-wide resources, Pulumi settling them, the report.
        const phases = lines.splice(-3);
        expect(lines.length).toBeGreaterThanOrEqual(2);
        const counts = lines.map((l) => {
            const m = /^building the resource tree \(nodes\): (\d+)\/250$/.exec(l);
            expect(m, l).not.toBeNull();
            return Number(m![1]);
        });
        expect(counts).toEqual([...counts].sort((a, b) => a - b));
        expect(counts[counts.length - 1]).toBe(250);
        const n = phases.map((l, i) => {
            const m = [
                /^building the resource tree: firewalls, NodeBalancers, DNS, member sync and power \((\d+) resources so far\)$/,
                /^settling (\d+) resources \(Pulumi resolves every registration and output\)$/,
                /^writing the report \((\d+) resources\)$/,
            ][i]!.exec(l);
            expect(m, l).not.toBeNull();
            return Number(m![1]);
        });
        expect(n[0]).toBeGreaterThanOrEqual(250);
        expect(n[0]).toBeLessThan(n[1]!);
        expect(n[1]).toBeLessThanOrEqual(n[2]!);
        expect(r.out).toContain(`Resources the stack would create: ${n[2]} `);
        expect(r.out).toContain('Preview of cluster "large": 250 nodes in 3 groups across 2 regions');
        const small = await cli(["preview", TWO_REGION]);
        expect(small.err).toBe("");
    });

    it("draws a bar on a terminal (cli-progress on stderr), cleared when the nodes are done", async () => {
        const file = writePlan("tty.yaml", ["name: tty", "exposure: { adminCidrs: [203.0.113.0/24] }", "regions:", "  - region: us-ord", "    nodeGroups: [{ name: web, count: 200 }]", ""].join("\n"));
        // The bar writes to process.stderr itself: stand in a terminal for it.
        const stderr = process.stderr as unknown as Record<string, unknown>;
        const saved = { isTTY: stderr.isTTY, columns: stderr.columns, write: stderr.write };
        const written: string[] = [];
        stderr.isTTY = true;
        stderr.columns = 100;
        stderr.write = (chunk: unknown, ...rest: unknown[]) => {
            written.push(String(chunk));
            (rest.find((x) => typeof x === "function") as (() => void) | undefined)?.();
            return true;
        };
        let r: Awaited<ReturnType<typeof cli>>;
        try {
            r = await cli(["preview", file], { errIsTTY: true });
        } finally {
            Object.assign(stderr, saved);
        }
        expect(r.code, r.err).toBe(0);
        const drawn = written.join("");
        expect(drawn).toMatch(/building the resource tree \(nodes\) \[[█░]{40}\] \d+\/200/);
        expect(drawn).toContain("building the resource tree (nodes) [████████████████████████████████████████] 200/200");
        // cleared on completion (clearOnComplete): the line is erased, the cursor shown again.
        expect(drawn.slice(drawn.lastIndexOf("200/200"))).toMatch(/\x1b\[2K|\x1b\[0K|\x1b\[K/);
        // The quarter lines are for logs only; the later phases are lines in both cases.
        expect(r.err).not.toMatch(/\(nodes\): \d+\/200/);
        expect(r.err).toMatch(/^settling \d+ resources/m);
    });
});

describe("the real executable", () => {
    it("node bin/lct.js preview <plan> --json", () => {
        const r = spawnSync(process.execPath, [path.join(REPO, "bin", "lct.js"), "preview", TWO_REGION, "--json"], { cwd: tmp, encoding: "utf8" });
        expect(r.status, r.stderr).toBe(0);
        const json = JSON.parse(r.stdout);
        expect(json.resourceTotal).toBe(60);
        expectNoSecretText(r.stdout);
    });
});

/**
 * The cluster built as `pulumi up` would (not a preview: addresses are known), with each node's
 * addresses (public, private, VPC) by label, its Cloud Firewalls' inputs and the matrix.
 */
async function deployedFirewalls(plan: string) {
    const addresses = new Map<string, string[]>();
    const runtime = await installRecordingMocks({
        stack: "fw",
        computed: (type, name, inputs, id) => {
            // What providers compute (the program reads the generated key and NodeBalancer addresses).
            if (type === "tls:index/privateKey:PrivateKey") return { publicKeyOpenssh: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${"A".repeat(43)} ${name}\n`, privateKeyOpenssh: "[mock]" };
            if (type === "random:index/randomPassword:RandomPassword") return { result: "[mock]" };
            if (type === "linode:index/nodeBalancer:NodeBalancer") return { hostname: `nb-${id}.example`, ipv4: `198.51.100.${id % 250}`, ipv6: `2001:db8::${id}` };
            if (type !== "linode:index/instance:Instance") return {};
            // 45/8 looks public; 192.168.128-191 stays clear of the NodeBalancers' 192.168.255.0/24.
            const publicIp = `45.${(id >> 16) & 255}.${(id >> 8) & 255}.${id & 255}`;
            const privateIp = inputs.privateIp ? `192.168.${128 + ((id >> 8) & 63)}.${id & 255}` : "";
            const vpc = (inputs.interfaces as Array<{ purpose?: string; ipv4?: { vpc?: string } }> | undefined)?.find((i) => i.purpose === "vpc")?.ipv4?.vpc;
            addresses.set(String(inputs.label), [publicIp, privateIp, vpc ?? ""].filter(Boolean));
            return { ipAddress: publicIp, privateIpAddress: privateIp, ipv4s: [publicIp] };
        },
    });
    const cluster = new LinodeCluster("fw", { plan, power: "running" });
    await cluster.built;
    await runtime.drain();
    runtime.close();
    const nodes = new Map(cluster.plan.nodes.map((n) => [n.label, { group: n.group, addresses: addresses.get(n.label) ?? [] }]));
    const firewalls = runtime.registered.filter((r) => r.type === "linode:index/firewall:Firewall").map((r) => ({ inputs: r.inputs as any }));
    return { matrix: firewallMatrix(cluster.plan), firewalls, nodes };
}

function addAll(map: Map<string, Set<string>>, key: string, values: readonly string[]): void {
    const set = map.get(key) ?? map.set(key, new Set()).get(key)!;
    for (const v of values) set.add(v);
}

function section(text: string, from: string, to: string | undefined): string[] {
    const lines = text.split("\n");
    const a = lines.findIndex((l) => l.startsWith(from));
    const b = to === undefined ? lines.length : lines.findIndex((l, i) => i > a && l.startsWith(to));
    return lines.slice(a + 1, b).filter((l) => l !== "");
}

function money(n: number): string {
    return `$${n.toFixed(2)}`;
}

function round(x: number, digits = 2): number {
    const f = 10 ** digits;
    return Math.round(x * f) / f;
}

function hourlyTotal(cat: typeof bundledCatalog): number {
    const p = (type: string, region: string) => typePrice(cat.types.find((t) => t.id === type)!, region).hourly!;
    return p("g6-nanode-1", "us-ord") + p("g6-dedicated-4", "us-ord") * 2 + 200 * cat.prices.volumeGbHourly + p("g6-standard-2", "us-ord") * 3 + p("g6-standard-2", "eu-central") * 2 + cat.prices.nodeBalancerHourly;
}

/** No private key, generated password, Pulumi secret envelope or serialized provider code. */
function expectNoSecretText(text: string): void {
    expect(text).not.toMatch(/PRIVATE KEY/);
    expect(text).not.toMatch(/Mock-Pass|Fake-Pass/);
    expect(text).not.toContain("4dabf18193072939515e22adb298388d");
    expect(text).not.toContain("__provider");
    expect(text).not.toContain("exports.handler");
}
