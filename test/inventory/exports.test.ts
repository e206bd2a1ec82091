import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildAnsibleModel, pythonLiteral } from "../../sdk/inventory/ansible";
import { GroupNamer, VALID_GROUP_NAME } from "../../sdk/inventory/ansible-names";
import { buildBundle } from "../../sdk/inventory/bundle";
import { renderHostsFile } from "../../sdk/inventory/hosts-file";
import { inventoryJson } from "../../sdk/inventory/json-export";
import { renderSshConfig } from "../../sdk/inventory/ssh-config";
import { parseStackExport } from "../../sdk/inventory/stack-export";
import { quickstartPlan, readFixture, testInventory, twoRegionPlan } from "../support/inventories";
import { announceSkip, requireTool, run } from "../support/tools";

const ssh = requireTool("ssh", "openssh-client");
announceSkip(ssh);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lct-exports-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const quickstart = () => parseStackExport(readFixture("quickstart.json")).inventories;

/** What `ssh -G` resolves for a host from a config file: the real client's reading of it. */
function sshResolve(config: string, host: string): Record<string, string> {
    const file = path.join(tmp, `ssh-${Math.random().toString(36).slice(2)}.conf`);
    fs.writeFileSync(file, config);
    const r = run(ssh.path!, ["-F", file, "-G", host]);
    if (r.status !== 0) throw new Error(`ssh -G ${host}: ${r.stderr}`);
    return Object.fromEntries(r.stdout.split("\n").filter(Boolean).map((l) => [l.slice(0, l.indexOf(" ")), l.slice(l.indexOf(" ") + 1)]));
}

describe("~/.ssh/config blocks", () => {
    it("routes through the bastion, adding its block when the query leaves it out", () => {
        const { text, warnings } = renderSshConfig(quickstart(), { selector: "role=postgresql", identityFile: "~/.ssh/lct ops", aliasPrefix: "qs-" });
        expect(warnings).toEqual([]);
        expect(text.match(/^Host /gm)).toHaveLength(3);
        expect(text).toMatch(/^# BEGIN lct cluster quickstart$/m);
        expect(text).toMatch(/^# END lct cluster quickstart$/m);
        if (ssh.skip) return;
        const db = sshResolve(text, "qs-quickstart-us-ord-db-2");
        expect(db).toMatchObject({ hostname: "10.31.254.11", user: "ops", proxyjump: "qs-quickstart-us-ord-bastion-1", port: "22" });
        // The quoted value keeps its space (ssh expands ~ only when it opens the file).
        expect(db.identityfile).toBe("~/.ssh/lct ops");
        const bastion = sshResolve(text, "qs-quickstart-us-ord-bastion-1");
        expect(bastion.hostname).toBe("45.0.39.26");
        expect(bastion.proxyjump).toBeUndefined();
    });

    it("uses public addresses across regions and direct connections without a bastion", () => {
        const cross = renderSshConfig(quickstart(), { selector: "region=eu-central" }).text;
        if (!ssh.skip) expect(sshResolve(cross, "quickstart-eu-central-web-1")).toMatchObject({ hostname: "45.0.39.48", proxyjump: "quickstart-us-ord-bastion-1" });
        const shop = testInventory(twoRegionPlan());
        const direct = renderSshConfig([shop], { user: "admin" }).text;
        expect(direct).not.toMatch(/ProxyJump/);
        const db1 = shop.nodes.find((n) => n.label === "shop-us-ord-db-1")!;
        if (!ssh.skip) expect(sshResolve(direct, "shop-us-ord-db-1")).toMatchObject({ hostname: db1.publicIpv4, user: "admin" });
    });

    it("warns about nodes without an address (a planned inventory)", () => {
        const r = renderSshConfig([testInventory(quickstartPlan(), { addresses: false })], { selector: "label=*-web-1" });
        // Without a public address the bastion cannot be jumped through: direct, on the VPC address.
        expect(r.text).toMatch(/Host quickstart-us-ord-web-1\n {4}HostName 10\.31\./);
        expect(r.warnings).toEqual(["quickstart-eu-central-web-1: no address yet; its Host block has no HostName"]);
        const none = renderSshConfig([testInventory(quickstartPlan(), { addresses: false })], { selector: "region=eu-central" });
        expect(none.warnings).toEqual(["quickstart-eu-central-web-1: no address yet; its Host block has no HostName", "quickstart-eu-central-web-2: no address yet; its Host block has no HostName"]);
    });
});

describe("/etc/hosts blocks", () => {
    it("maps the chosen address to label, hostname and FQDN", () => {
        const pub = renderHostsFile(quickstart(), { selector: "group=db" }).text;
        expect(pub).toBe(
            [
                "# BEGIN lct cluster quickstart (public addresses)",
                "45.0.39.32\tquickstart-us-ord-db-1 db-1.us-ord.example.com",
                "45.0.39.33\tquickstart-us-ord-db-2 db-2.us-ord.example.com",
                "# END lct cluster quickstart",
                "",
            ].join("\n"),
        );
        const cluster = renderHostsFile(quickstart(), { selector: "role=web", address: "cluster" }).text;
        expect(cluster).toContain("10.31.56.10\tquickstart-us-ord-web-1 web-1.us-ord.example.com");
        expect(cluster).toContain("192.168.167.48\tquickstart-eu-central-web-1 web-1.eu-central.example.com");
        const v6 = renderHostsFile(quickstart(), { selector: "label=quickstart-us-ord-bastion-1", address: "ipv6" }).text;
        expect(v6).toMatch(/^2600:3c00::[0-9a-f]+\tquickstart-us-ord-bastion-1 /m);
        // Every address line is "<ip><TAB><names>" with names hosts(5) accepts.
        for (const line of cluster.split("\n").filter((l) => l && !l.startsWith("#"))) expect(line).toMatch(/^[\d.]+\t[a-z0-9.-]+( [a-z0-9.-]+)*$/);
    });

    it("comments out nodes without that kind of address", () => {
        const r = renderHostsFile(quickstart(), { selector: "region=eu-central", address: "vpc" });
        expect(r.text).toContain("# quickstart-eu-central-web-1 web-1.eu-central.example.com: no vpc address");
        expect(r.warnings).toHaveLength(2);
    });
});

describe("JSON, group names, literals, bundles", () => {
    it("the JSON export holds the selected nodes and their groups only", () => {
        const json = inventoryJson(quickstart(), "group=web and region=us-ord");
        expect(json.schemaVersion).toBe(1);
        expect(json.clusters).toHaveLength(1);
        expect(json.clusters[0]!.nodes.map((n) => n.label)).toEqual(["quickstart-us-ord-web-1", "quickstart-us-ord-web-2", "quickstart-us-ord-web-3"]);
        expect(json.clusters[0]!.groups.map((g) => g.key)).toEqual(["us-ord/web"]);
        expect(inventoryJson(quickstart(), "role=nothing").clusters).toEqual([]);
    });

    it("group names are [A-Za-z0-9_] behind a prefix, and colliding values get numbered", () => {
        const namer = new GroupNamer();
        expect(namer.name("tag", "env-demo")).toBe("tag_env_demo");
        expect(namer.name("tag", "env.demo")).toBe("tag_env_demo_2");
        expect(namer.name("tag", "env-demo")).toBe("tag_env_demo");
        expect(namer.name("region", "9-lives")).toBe("region_9_lives");
        expect(namer.warnings).toEqual(['tag "env.demo" is Ansible group tag_env_demo_2 (tag_env_demo was taken by another tag)']);
        const model = buildAnsibleModel([testInventory(quickstartPlan()), testInventory(twoRegionPlan())]);
        for (const g of model.groups) expect(g.name).toMatch(VALID_GROUP_NAME);
        expect(model.groups.filter((g) => g.name.startsWith("cluster_")).map((g) => g.name)).toEqual(["cluster_quickstart", "cluster_shop"]);
        // One region group for both clusters' us-ord nodes.
        expect(model.groups.find((g) => g.name === "region_us_ord")!.hosts).toHaveLength(6 + 5);
    });

    it("writes Python literals Ansible's INI reader evaluates back to the same values", () => {
        expect(pythonLiteral({ a: [1, true, null, "it's\n\\"] })).toBe("{'a': [1, True, None, 'it\\'s\\n\\\\']}");
        expect(pythonLiteral("café")).toBe("'caf\\u00e9'");
        expect(pythonLiteral("😀")).toBe("'\\U0001f600'");
    });

    it("a bundle holds ansible.cfg, hosts.yml, group_vars and host_vars of the selection", () => {
        const b = buildBundle(quickstart(), { selector: "role=postgresql", description: "the databases" });
        expect(b.name).toBe("quickstart-inventory");
        expect(b.files.map((f) => f.path)).toEqual([
            "quickstart-inventory/ansible.cfg",
            "quickstart-inventory/README.txt",
            "quickstart-inventory/hosts/hosts.yml",
            "quickstart-inventory/hosts/group_vars/cluster_quickstart.yml",
            "quickstart-inventory/hosts/host_vars/quickstart-us-ord-db-1.yml",
            "quickstart-inventory/hosts/host_vars/quickstart-us-ord-db-2.yml",
        ]);
        const cfg = b.files[0]!.content;
        expect(cfg).toMatch(/^inventory = hosts\/$/m);
        expect(cfg).toMatch(/^remote_user = ops$/m);
        expect(cfg).toContain("the databases of quickstart: 2 host(s)");
        expect(() => buildBundle(quickstart(), { name: "../evil" })).toThrow(/bundle name/);
    });
});
