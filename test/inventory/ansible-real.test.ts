/**
 * Every Ansible export parsed by the real `ansible-inventory --list` (with
 * ANSIBLE_INVENTORY_UNPARSED_FAILED=true, so an unparsed source fails instead of printing an
 * empty inventory), its groups and host vars compared with expectations; bundles unpacked with
 * the system tar/unzip and run with ansible-playbook.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildAnsibleModel, renderAnsibleIni, renderAnsibleYaml, renderInventoryScript } from "../../sdk/inventory/ansible";
import { parseStackExport } from "../../sdk/inventory/stack-export";
import type { ClusterInventory } from "../../sdk/inventory/types";
import { memoryIO } from "../../sdk/cli/io";
import { runCli } from "../../sdk/cli/main";
import { expectNoSecrets, fixtureSecrets, readFixture, REPO, STACK_EXPORTS } from "../support/inventories";
import { announceSkip, requireTool, run } from "../support/tools";

const inventoryTool = requireTool("ansible-inventory", "ansible-core");
const playbookTool = requireTool("ansible-playbook", "ansible-core");
const tarTool = requireTool("tar", "tar");
const unzipTool = requireTool("unzip", "unzip");
announceSkip(inventoryTool);
announceSkip(unzipTool);

type ListJson = { _meta: { hostvars: Record<string, Record<string, any>> } } & Record<string, any>;

let tmp: string;
beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lct-ansible-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function ansibleEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
        ...process.env,
        ANSIBLE_INVENTORY_UNPARSED_FAILED: "true",
        ANSIBLE_NOCOLOR: "1",
        ANSIBLE_LOCAL_TEMP: path.join(tmp, ".ansible-tmp"),
        ANSIBLE_HOME: path.join(tmp, ".ansible"),
        ...extra,
    };
}

/** `ansible-inventory --list` of a source (or of the ansible.cfg in `cwd`), parsed; fails loudly. */
function ansibleList(source: string | undefined, opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ListJson {
    const args = [...(source ? ["-i", source] : []), "--list"];
    const r = run(inventoryTool.path!, args, { cwd: opts.cwd ?? tmp, env: ansibleEnv(opts.env) });
    if (r.status !== 0) throw new Error(`ansible-inventory ${args.join(" ")} exited ${r.status}:\n${r.stderr}`);
    // Invalid group names only warn; generated inventories must not trigger it.
    expect(r.stderr).not.toMatch(/Invalid characters were found in group names/);
    return JSON.parse(r.stdout) as ListJson;
}

const hostsOf = (list: ListJson, group: string): string[] => [...(list[group]?.hosts ?? [])].sort();
const groupsOf = (list: ListJson): string[] => Object.keys(list).filter((k) => k !== "_meta" && k !== "all" && k !== "ungrouped").sort();

function write(name: string, text: string, mode = 0o644): string {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, text, { mode });
    fs.chmodSync(file, mode);
    return file;
}

const quickstart = (): ClusterInventory[] => parseStackExport(readFixture("quickstart.json")).inventories;
const streams = (): ClusterInventory[] => parseStackExport(readFixture("streams.json")).inventories;
const BASTION = "quickstart-us-ord-bastion-1";

/** What the quickstart stack export must give, whichever format carried it. */
function expectQuickstart(list: ListJson): void {
    expect(groupsOf(list)).toEqual([
        "cluster_quickstart",
        "group_bastion",
        "group_db",
        "group_web",
        "region_eu_central",
        "region_us_ord",
        "role_bastion",
        "role_postgresql",
        "role_web",
        "tag_env_demo",
    ]);
    for (const g of groupsOf(list)) expect(g).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
    expect(hostsOf(list, "region_eu_central")).toEqual(["quickstart-eu-central-web-1", "quickstart-eu-central-web-2"]);
    expect(hostsOf(list, "role_postgresql")).toEqual(["quickstart-us-ord-db-1", "quickstart-us-ord-db-2"]);
    expect(hostsOf(list, "group_web")).toHaveLength(5);
    expect(hostsOf(list, "cluster_quickstart")).toHaveLength(8);
    expect(hostsOf(list, "tag_env_demo")).toHaveLength(8);
    const hv = list._meta.hostvars;
    // The bastion is reached directly on its public address…
    expect(hv[BASTION]).toMatchObject({ ansible_host: "45.0.39.26", ansible_user: "ops", lct_role: "bastion", lct_index: 1 });
    expect(hv[BASTION]!.ansible_ssh_common_args).toBeUndefined();
    // …every other node through it: VPC address in the bastion's region, public elsewhere.
    expect(hv["quickstart-us-ord-db-2"]).toMatchObject({
        ansible_host: "10.31.254.11",
        ansible_ssh_common_args: "-o ProxyJump=ops@45.0.39.26",
        ansible_user: "ops",
        private_ip: "10.31.254.11",
        public_ip: "45.0.39.33",
        lct_index: 2,
        lct_role: "postgresql",
        lct_region: "us-ord",
        lct_group: "us-ord/db",
        lct_cluster: "quickstart",
        lct_volumes: [
            {
                name: "quickstart-us-ord-db-2-data",
                label: "quickstart-us-ord-db-2-data",
                mount_path: "/var/lib/postgresql",
                filesystem: "ext4",
                size_gb: 100,
                device: "/dev/disk/by-id/scsi-0Linode_Volume_quickstart-us-ord-db-2-data",
                id: expect.any(String),
            },
        ],
        // postgresql wiring, flattened from the cluster group's vars.
        postgresql_primary_host: "10.31.254.10",
        postgresql_replica_hosts: ["10.31.254.11"],
        postgresql_replica: true,
    });
    expect(hv["quickstart-us-ord-web-1"]).toMatchObject({ ansible_host: "10.31.56.10", private_ip: "192.168.167.41", vpc_ip: "10.31.56.10", lct_volumes: [] });
    expect(hv["quickstart-eu-central-web-2"]).toMatchObject({ ansible_host: "45.0.39.49", private_ip: "192.168.167.49", ansible_ssh_common_args: "-o ProxyJump=ops@45.0.39.26" });
    for (const [h, vars] of Object.entries(hv)) {
        expect(vars.lct_tags, h).toContain("env-demo");
        expect(typeof vars.lct_index, h).toBe("number");
    }
}

describe.skipIf(!!inventoryTool.skip)("Ansible exports parsed by ansible-inventory", () => {
    it("YAML and INI inventories of a stack export give the expected groups and host vars, identically", () => {
        const model = buildAnsibleModel(quickstart());
        const yaml = ansibleList(write("quick.yml", renderAnsibleYaml(model, "test")));
        expectQuickstart(yaml);
        const ini = ansibleList(write("quick.ini", renderAnsibleIni(model, "test")));
        expect(ini).toEqual(yaml);
    });

    it("values YAML 1.1 or Python would misread stay strings, and odd tags become valid group names", () => {
        const [inv] = quickstart();
        const tricky = ["yes", "off", "1:20", "0x1F", "1e3", "null", "~", "café-ü", `it's "q" #1`, "a b\\c", "010"];
        const nodes = inv!.nodes.map((n, i) => (i === 0 ? { ...n, tags: [...n.tags, ...tricky] } : n));
        const model = buildAnsibleModel([{ ...inv!, nodes, template: { name: "on", version: "1.10" } }]);
        const yaml = ansibleList(write("tricky.yml", renderAnsibleYaml(model)));
        const ini = ansibleList(write("tricky.ini", renderAnsibleIni(model)));
        expect(ini).toEqual(yaml);
        expect(yaml._meta.hostvars[BASTION]!.lct_tags.slice(-tricky.length)).toEqual(tricky);
        expect(yaml._meta.hostvars[BASTION]!.lct_template).toEqual({ name: "on", version: "1.10" });
        expect(hostsOf(yaml, "tag_yes")).toEqual([BASTION]);
        expect(hostsOf(yaml, "tag_it_s__q___1")).toEqual([BASTION]);
        expect(hostsOf(yaml, "tag_caf___")).toEqual([BASTION]);
        expect(hostsOf(yaml, "tag_a_b_c")).toEqual([BASTION]);
        expect(hostsOf(yaml, "tag_1_20")).toEqual([BASTION]);
    });

    it("the generated inventory script answers --list and --host like the YAML inventory", () => {
        const model = buildAnsibleModel(streams());
        const yaml = ansibleList(write("streams.yml", renderAnsibleYaml(model)));
        const script = write("streams-inventory.py", renderInventoryScript(model), 0o755);
        expect(ansibleList(script)).toEqual(yaml);
        const host = run(inventoryTool.path!, ["-i", script, "--host", "streams-us-east-broker-2"], { cwd: tmp, env: ansibleEnv() });
        expect(host.status).toBe(0);
        expect(JSON.parse(host.stdout)).toEqual(yaml._meta.hostvars["streams-us-east-broker-2"]);
        // The script itself follows the contract directly too.
        expect(run(script, ["--host", "nope"]).stdout.trim()).toBe("{}");
        expect(run(script, ["--bogus"]).status).toBe(2);
    });

    it("streams: Kafka wiring reaches every host, brokers carry their ids, no secret anywhere", () => {
        const model = buildAnsibleModel(streams());
        const text = renderAnsibleYaml(model);
        expectNoSecrets(text, fixtureSecrets("streams.json"), "the YAML inventory");
        expect(text).not.toMatch(/hunter2|adminPassword/);
        const list = ansibleList(write("streams2.yml", text));
        const broker = list._meta.hostvars["streams-us-east-broker-1"]!;
        expect(broker).toMatchObject({
            kafka_node_id: 2001,
            kafka_process_roles: "broker",
            kafka_controller_quorum_voters: "1001@192.168.167.28:9093,1002@192.168.167.29:9093,1003@192.168.167.30:9093",
            kafka_bootstrap_servers: "192.168.167.37:9092,192.168.167.38:9092,192.168.167.39:9092",
            lct_template: { name: "kafka", version: "1.0.0" },
            lct_wiring: ["kafka"],
        });
        expect(hostsOf(list, "tag_tier_1")).toEqual(["streams-us-east-broker-1", "streams-us-east-broker-2", "streams-us-east-broker-3"]);
        expect(hostsOf(list, "role_kafka_controller")).toHaveLength(3);
    });

    it("lct itself serves as a dynamic inventory (lct inventory ansible --list/--host, source from the environment)", () => {
        const wrapper = write("lct-inventory.sh", `#!/bin/sh\nexec "${process.execPath}" "${path.join(REPO, "bin", "lct.js")}" inventory ansible "$@"\n`, 0o755);
        const env = { LCT_STACK_EXPORT: path.join(STACK_EXPORTS, "quickstart.json"), LCT_QUERY: "not group=bastion or role=bastion" };
        const list = ansibleList(wrapper, { env });
        expectQuickstart(list);
        const model = buildAnsibleModel(quickstart());
        expect(list).toEqual(ansibleList(write("quick-again.yml", renderAnsibleYaml(model))));
        const onlyDb = ansibleList(wrapper, { env: { ...env, LCT_QUERY: "role=postgresql" } });
        expect(Object.keys(onlyDb._meta.hostvars).sort()).toEqual(["quickstart-us-ord-db-1", "quickstart-us-ord-db-2"]);
    });
});

describe.skipIf(!!inventoryTool.skip || !!playbookTool.skip || !!tarTool.skip || !!unzipTool.skip)("inventory bundles", () => {
    const playbook = [
        "- hosts: all",
        "  connection: local",
        "  gather_facts: false",
        "  tasks:",
        "    - ansible.builtin.debug:",
        '        msg: "{{ inventory_hostname }} role={{ lct_role }} host={{ ansible_host }} voters={{ kafka_controller_quorum_voters }}"',
        "    - ansible.builtin.assert:",
        "        that:",
        "          - kafka_node_id is number",
        "          - lct_volumes | length == 1",
        "          - lct_volumes[0].mount_path == '/var/lib/kafka'",
        "          - ansible_user == 'ops'",
        "",
    ].join("\n");

    async function cli(args: string[]): Promise<{ code: number; err: string }> {
        const io = memoryIO({ env: { PATH: process.env.PATH }, cwd: tmp });
        const code = await runCli(args, io);
        return { code, err: io.stderr() };
    }

    it.each(["tgz", "zip"] as const)("a bundle for a group (.%s) unpacks, parses and runs with ansible-playbook", async (format) => {
        const archive = path.join(tmp, `brokers.${format}`);
        const made = await cli(["inventory", "bundle", "--stack-export", path.join(STACK_EXPORTS, "streams.json"), "--group", "broker", "--name", `brokers-${format}`, "-o", archive]);
        expect(made.code, made.err).toBe(0);
        expect(made.err).toMatch(new RegExp(`wrote .*brokers\\.${format}: brokers-${format}/ with 3 host\\(s\\)`));
        const dest = fs.mkdtempSync(path.join(tmp, "unpack-"));
        const unpack = format === "tgz" ? run(tarTool.path!, ["-xzf", archive, "-C", dest]) : run(unzipTool.path!, ["-q", archive, "-d", dest]);
        expect(unpack.status, unpack.stderr).toBe(0);
        const root = path.join(dest, `brokers-${format}`);
        expect(fs.readdirSync(root).sort()).toEqual(["README.txt", "ansible.cfg", "hosts"]);
        expect(fs.readdirSync(path.join(root, "hosts")).sort()).toEqual(["group_vars", "host_vars", "hosts.yml"]);
        expect(fs.readdirSync(path.join(root, "hosts", "host_vars")).sort()).toEqual([
            "streams-us-east-broker-1.yml",
            "streams-us-east-broker-2.yml",
            "streams-us-east-broker-3.yml",
        ]);
        for (const f of ["ansible.cfg", "hosts/hosts.yml", "hosts/group_vars/cluster_streams.yml", "hosts/host_vars/streams-us-east-broker-1.yml"]) {
            expectNoSecrets(fs.readFileSync(path.join(root, f), "utf8"), fixtureSecrets("streams.json"), f);
        }
        // Parsed as-is from the bundle folder (ansible.cfg points at hosts/), and as `-i hosts/`.
        const fromCfg = ansibleList(undefined, { cwd: root });
        expect(ansibleList("hosts/", { cwd: root })).toEqual(fromCfg);
        // The same hosts and vars as the YAML export of the same selection.
        const model = buildAnsibleModel(streams(), { selector: "group=broker" });
        expect(fromCfg).toEqual(ansibleList(write(`brokers-${format}.yml`, renderAnsibleYaml(model))));
        expect(fromCfg._meta.hostvars["streams-us-east-broker-3"]).toMatchObject({
            kafka_node_id: 2003,
            kafka_controller_quorum_voters: "1001@192.168.167.28:9093,1002@192.168.167.29:9093,1003@192.168.167.30:9093",
        });
        fs.writeFileSync(path.join(root, "check.yml"), playbook);
        const syntax = run(playbookTool.path!, ["--syntax-check", "check.yml"], { cwd: root, env: ansibleEnv() });
        expect(syntax.status, syntax.stderr).toBe(0);
        const play = run(playbookTool.path!, ["check.yml"], { cwd: root, env: ansibleEnv() });
        expect(play.status, play.stdout + play.stderr).toBe(0);
        for (const i of [1, 2, 3]) {
            expect(play.stdout).toMatch(new RegExp(`streams-us-east-broker-${i} +: ok=2 +changed=0 +unreachable=0 +failed=0`));
        }
        expect(play.stdout).toContain("streams-us-east-broker-2 role=kafka-broker host=192.168.167.38 voters=1001@192.168.167.28:9093");
    });

    it("bundles are reproducible byte for byte", async () => {
        const a = path.join(tmp, "a.tgz");
        const b = path.join(tmp, "b.tgz");
        for (const f of [a, b]) expect((await cli(["inventory", "bundle", "role=web", "--stack-export", path.join(STACK_EXPORTS, "quickstart.json"), "-o", f])).code).toBe(0);
        expect(fs.readFileSync(a).equals(fs.readFileSync(b))).toBe(true);
        const listing = run(tarTool.path!, ["-tzvf", a]);
        expect(listing.stdout).toMatch(/^drwxr-xr-x .*quickstart-inventory\/$/m);
        expect(listing.stdout).toMatch(/^-rw-r--r-- .*quickstart-inventory\/hosts\/hosts\.yml$/m);
    });
});
