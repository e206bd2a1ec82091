/** `lct inventory …` in-process: arguments, sources, outputs and exit codes. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { memoryIO } from "../../sdk/cli/io";
import { runCli } from "../../sdk/cli/main";
import { expectNoSecrets, fixtureSecrets, quickstartPlan, readFixture, STACK_EXPORTS } from "../support/inventories";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lct-inv-cli-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const QUICK = path.join(STACK_EXPORTS, "quickstart.json");

async function cli(args: string[], opts: { stdin?: string; env?: NodeJS.ProcessEnv } = {}) {
    const io = memoryIO({ env: opts.env ?? {}, cwd: tmp, ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}) });
    const code = await runCli(args, io);
    return { code, out: io.stdout(), err: io.stderr() };
}

describe("lct inventory query", () => {
    it("prints a table, labels or JSON of the matching nodes", async () => {
        const table = await cli(["inventory", "query", "role=postgresql", "--stack-export", QUICK]);
        expect(table).toEqual({
            code: 0,
            err: "",
            out: [
                "LABEL                   CLUSTER     ROLE        GROUP      TYPE            PUBLIC      CLUSTER-IP",
                "quickstart-us-ord-db-1  quickstart  postgresql  us-ord/db  g6-dedicated-4  45.0.39.32  10.31.254.10",
                "quickstart-us-ord-db-2  quickstart  postgresql  us-ord/db  g6-dedicated-4  45.0.39.33  10.31.254.11",
                "",
            ].join("\n"),
        });
        const json = await cli(["inventory", "query", "group=web and not region=us-ord", "--stack-export", QUICK, "--format", "json"]);
        expect(JSON.parse(json.out).map((n: { cluster: string; label: string }) => [n.cluster, n.label])).toEqual([
            ["quickstart", "quickstart-eu-central-web-1"],
            ["quickstart", "quickstart-eu-central-web-2"],
        ]);
    });

    it("reads the stack export from standard input with -", async () => {
        const r = await cli(["inventory", "query", "index=3", "--stack-export", "-", "--format", "labels"], { stdin: readFixture("quickstart.json") });
        expect(r).toEqual({ code: 0, out: "quickstart-us-ord-web-3\n", err: "" });
    });

    it("combines --cluster with the query and says when nothing matches", async () => {
        expect(await cli(["inventory", "query", "role=web", "--cluster", "other", "--stack-export", QUICK, "--format", "labels"])).toEqual({ code: 0, out: "", err: "no nodes match\n" });
    });

    it("exits 1 on a malformed query, before reading anything", async () => {
        const r = await cli(["inventory", "query", "role=web and (region=us-ord", "--stack-export", "/does/not/exist.json"]);
        expect(r.code).toBe(1);
        expect(r.err).toBe(
            ['error: malformed query at column 28: expected ")" to close the "(" at column 14, found the end of the query', "  role=web and (region=us-ord", "                             ^", ""].join("\n"),
        );
    });

    it.each([
        [["inventory", "query", "role=web"], /no inventory source: choose where the inventory comes from: --stack-export <file\|->, --stack <name>, --live or --plan <file>/],
        [["inventory", "query", "role=web", "--stack-export", QUICK, "--live"], /one inventory source at a time/],
        [["inventory", "query", "role=web", "--stack-export", "missing.json"], /cannot read the stack export missing\.json: ENOENT/],
        [["inventory", "query", "role=web", "--stack-export", path.join(STACK_EXPORTS, "plans", "streams.yaml")], /streams\.yaml: not JSON/],
        [["inventory", "query", "role=web", "--stack-export", QUICK, "--format", "xml"], /--format must be one of table, json, labels, not "xml"/],
        [["inventory", "bundle", "--stack-export", QUICK, "-o", "x.rar"], /--output must end in \.tgz, \.tar\.gz or \.zip/],
        [["inventory", "ansible", "--stack-export", QUICK], /say --list or --host <name>/],
        [["inventory", "hosts", "--stack-export", QUICK, "--address", "mac"], /--address must be one of public, private, vpc, cluster, ipv6/],
    ])("exits 2 on unusable input: %j", async (args, message) => {
        const r = await cli(args as string[]);
        expect(r.code).toBe(2);
        expect(r.err).toMatch(message);
    });
});

describe("lct inventory export, ssh-config, hosts, ansible", () => {
    it("writes YAML to stdout and INI, JSON and an executable script to files", async () => {
        const y = await cli(["inventory", "export", "group=db", "--stack-export", QUICK]);
        expect(y.code, y.err).toBe(0);
        const doc = parse(y.out);
        expect(Object.keys(doc.all.hosts)).toEqual(["quickstart-us-ord-db-1", "quickstart-us-ord-db-2"]);
        expect(doc.all.children.cluster_quickstart.vars).toMatchObject({ ansible_user: "ops", postgresql_primary_host: "10.31.254.10" });
        expect(y.out.split("\n")[0]).toBe('# Generated by lct inventory export "group=db"; 2 host(s).');

        const ini = await cli(["inventory", "export", "--stack-export", QUICK, "--format", "ini", "-o", "inv.ini", "--no-wiring"]);
        expect(ini).toEqual({ code: 0, out: "", err: "wrote the Ansible INI inventory to inv.ini\n" });
        const iniText = fs.readFileSync(path.join(tmp, "inv.ini"), "utf8");
        expect(iniText).toMatch(/^\[cluster_quickstart:vars\]$/m);
        expect(iniText).not.toMatch(/postgresql_primary_host/);

        expect((await cli(["inventory", "export", "--stack-export", QUICK, "--format", "script", "-o", "inv.py"])).code).toBe(0);
        expect(fs.statSync(path.join(tmp, "inv.py")).mode & 0o777).toBe(0o755);
        expect(fs.statSync(path.join(tmp, "inv.ini")).mode & 0o777).toBe(0o644);

        const json = await cli(["inventory", "export", "role=bastion", "--stack-export", QUICK, "--format", "json"]);
        expect(JSON.parse(json.out).clusters[0].nodes.map((n: { label: string }) => n.label)).toEqual(["quickstart-us-ord-bastion-1"]);
    });

    it("never prints a secret, from --show-secrets exports either", async () => {
        const file = path.join(STACK_EXPORTS, "two-region-show-secrets.json");
        const secrets = fixtureSecrets("two-region-show-secrets.json");
        for (const args of [
            ["inventory", "export", "--stack-export", file],
            ["inventory", "export", "--stack-export", file, "--format", "json"],
            ["inventory", "export", "--stack-export", file, "--format", "ini"],
            ["inventory", "ansible", "--list", "--stack-export", file],
            ["inventory", "ssh-config", "--stack-export", file],
            ["inventory", "hosts", "--stack-export", file],
            ["inventory", "query", "tag=team-web", "--stack-export", file, "--format", "json"],
        ]) {
            const r = await cli(args);
            expect(r.code, `${args.join(" ")}: ${r.err}`).toBe(0);
            expectNoSecrets(r.out + r.err, secrets, args.join(" "));
        }
    });

    it("ssh-config and hosts print blocks for the selection", async () => {
        const ssh = await cli(["inventory", "ssh-config", "role=web and region=eu-central", "--stack-export", QUICK, "--identity-file", "~/.ssh/ops"]);
        expect(ssh.code).toBe(0);
        expect(ssh.out).toContain("Host quickstart-us-ord-bastion-1\n    HostName 45.0.39.26\n    User ops\n    IdentityFile ~/.ssh/ops\n");
        expect(ssh.out).toContain("Host quickstart-eu-central-web-1\n    HostName 45.0.39.48\n    User ops\n    IdentityFile ~/.ssh/ops\n    ProxyJump quickstart-us-ord-bastion-1\n");
        const hosts = await cli(["inventory", "hosts", "group=bastion", "--stack-export", QUICK, "--address", "vpc"]);
        expect(hosts.out).toBe("# BEGIN lct cluster quickstart (vpc addresses)\n10.31.85.10\tquickstart-us-ord-bastion-1 bastion-1.us-ord.example.com\n# END lct cluster quickstart\n");
    });

    it("ansible --host gives one host's vars, {} for an unknown host", async () => {
        const h = await cli(["inventory", "ansible", "--host", "quickstart-us-ord-web-2", "--stack-export", QUICK]);
        expect(JSON.parse(h.out)).toMatchObject({ ansible_host: "10.31.56.11", lct_role: "web", lct_index: 2 });
        expect(JSON.parse((await cli(["inventory", "ansible", "--host", "nope", "--stack-export", QUICK])).out)).toEqual({});
    });

    it("--plan gives the planned inventory: VPC addresses, no public ones", async () => {
        const r = await cli(["inventory", "hosts", "--plan", quickstartPlan(), "--address", "cluster", "region=us-ord"]);
        expect(r.code, r.err).toBe(0);
        expect(r.err).toMatch(/warning: --plan: planned inventory/);
        expect(r.out).toMatch(/^10\.31\.\d+\.\d+\tquickstart-us-ord-db-1 db-1\.us-ord\.example\.com$/m);
        const bad = path.join(tmp, "bad.yaml");
        fs.writeFileSync(bad, "name: x\nregions: []\n");
        expect((await cli(["inventory", "query", "role=web", "--plan", bad])).code).toBe(1);
    });

    it("bundle refuses an empty selection", async () => {
        const r = await cli(["inventory", "bundle", "role=nothing", "--stack-export", QUICK, "-o", "empty.tgz"]);
        expect(r).toMatchObject({ code: 1, err: "error: no nodes match; no bundle written\n" });
        expect(fs.existsSync(path.join(tmp, "empty.tgz"))).toBe(false);
    });
});
