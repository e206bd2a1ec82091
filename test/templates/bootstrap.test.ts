/**
 * Per-role bootstrap (zookeeper, etcd, memcached, haproxy from Debian 12 packages; Kafka from a
 * pinned Apache release): off by default; when on, every script is shellcheck-clean, configures
 * exactly what the inventory wiring computes, and — added to the node's hardening user data the
 * way the first-boot hook would add it — still passes `cloud-init schema` and fits 65,535 bytes.
 * The release installer is run for real here against local archives with a matching and a
 * mismatching SHA-512. (The Debian-package scripts run for real in a Debian root in
 * bootstrap-e2e.test.ts, with LCT_E2E=1; the Kafka downloads need the Internet and do not run.)
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderNodeBootstrap, USER_DATA_LIMIT } from "../../sdk/hardening";
import { buildInventory } from "../../sdk/inventory/build";
import { wireInventory } from "../../sdk/inventory/wiring";
import { checkPlanValue } from "../../sdk/plan/check";
import type { ResolvedPlan } from "../../sdk/plan/resolved";
import "../../sdk/templates/register-bootstrap";
import { bootstrapExtension, bootstrapScripts, BOOTSTRAP_SCRIPT_PATH, kafkaClusterId, nodeBootstrapScript, offeredBootstrap, releasesOf, ROLE_BOOTSTRAPS, UPSTREAM_RELEASES } from "../../sdk/templates/bootstrap";
import { describeTemplate } from "../../sdk/templates/describe";
import { decodeUserData } from "../support/user-data";
import { announceSkip, requireTool, run } from "../support/tools";
import { resolved, TEMPLATE_NAMES } from "./support";

const shellcheck = requireTool("shellcheck", "shellcheck");
const cloudInit = requireTool("cloud-init", "cloud-init");
announceSkip(shellcheck);
announceSkip(cloudInit);

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJ0bFHIi1s9mRX5lQlUqkZs3Rg2dWvyqOe6S5WRrD0e ops@example";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lct-tpl-bootstrap-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Templates with a bootstrap parameter, rendered with it on. */
const WITH_BOOTSTRAP = TEMPLATE_NAMES.filter((n) => resolved(n).template.parameters.bootstrap?.type === "boolean");
const on = (name: string): ResolvedPlan => {
    // spark's only bootstrap role (ZooKeeper) exists with ha.
    const extra = name === "spark" ? { ha: true } : {};
    return resolved(name, { bootstrap: true, ...extra }).plan;
};

describe("bootstrap is opt-in", () => {
    it("is off by default in every template, and nothing is added to first boot then", () => {
        for (const name of TEMPLATE_NAMES) {
            const r = resolved(name);
            if (r.template.parameters.bootstrap) expect(r.template.parameters.bootstrap.default, name).toBe(false);
            for (const n of r.plan.nodes) expect(bootstrapExtension(r.plan, n.name), n.name).toBeUndefined();
        }
    });

    it("documents, for every role, the bootstrap it has or why it has none", () => {
        for (const name of TEMPLATE_NAMES) {
            const t = resolved(name).template;
            for (const [role, spec] of Object.entries(t.roles)) {
                const has = offeredBootstrap(t.parameters, role) !== undefined;
                expect(has || (spec.noBootstrap ?? "").length > 0, `${name}: role ${role} has no bootstrap and no noBootstrap reason`).toBe(true);
                expect(!(has && spec.noBootstrap), `${name}: role ${role} has a bootstrap and a noBootstrap reason`).toBe(true);
            }
            // A template offers the switch exactly when one of its roles has a bootstrap.
            const offered = Object.keys(t.roles).some((role) => offeredBootstrap(t.parameters, role) !== undefined);
            expect(t.parameters.bootstrap !== undefined, `${name}: bootstrap parameter`).toBe(offered);
        }
    });

    it("adds one script and one command for exactly the nodes of bootstrap roles when on", () => {
        for (const name of WITH_BOOTSTRAP) {
            const plan = on(name);
            for (const n of plan.nodes) {
                const ext = bootstrapExtension(plan, n.name);
                if (!offeredBootstrap(plan.template?.parameters, n.role)) {
                    expect(ext, n.name).toBeUndefined();
                    continue;
                }
                expect(ext!.files.map((f) => [f.path, f.mode])).toEqual([[BOOTSTRAP_SCRIPT_PATH, "0700"]]);
                expect(ext!.commands).toEqual([[BOOTSTRAP_SCRIPT_PATH]]);
            }
        }
    });
});

describe("the scripts", () => {
    const scripts = WITH_BOOTSTRAP.flatMap((name) => bootstrapScripts(on(name)).map((s) => ({ template: name, ...s })));

    it("exist for every bootstrap role the templates use", () => {
        expect([...new Set(scripts.map((s) => s.role))].sort()).toEqual(["etcd", "haproxy", "kafka-broker", "kafka-controller", "memcached", "zookeeper"]);
        expect([...ROLE_BOOTSTRAPS.keys()].sort()).toEqual(["etcd", "haproxy", "kafka-broker", "kafka-controller", "memcached", "zookeeper"]);
    });

    it.skipIf(shellcheck.skip !== undefined)("pass bash -n and shellcheck", () => {
        const files = scripts.map((s) => {
            const file = path.join(dir, `${s.template}-${s.node}.sh`);
            fs.writeFileSync(file, s.script);
            return file;
        });
        for (const f of files) expect(run("bash", ["-n", f]).status, f).toBe(0);
        const r = run(shellcheck.path!, ["--shell=bash", "--severity=style", ...files]);
        expect(r.stdout + r.stderr).toBe("");
        expect(r.status).toBe(0);
        // The check can fail.
        const bad = path.join(dir, "bad.sh");
        fs.writeFileSync(bad, "#!/bin/bash\nrm -rf $1/*\n");
        expect(run(shellcheck.path!, [bad]).status).not.toBe(0);
    });

    it("configure ZooKeeper with the wiring's servers and each node's myid", () => {
        const plan = on("zookeeper");
        const wiring = wireInventory(buildInventory(plan, { nodes: {}, volumes: {}, loadBalancers: {} }));
        const servers = wiring.vars.zookeeper_servers as string[];
        expect(servers).toHaveLength(3);
        plan.nodes.forEach((n, i) => {
            const script = nodeBootstrapScript(plan, n.name)!.script;
            const zoo = heredoc(script, "/etc/zookeeper/conf_lct/zoo.cfg");
            expect(zoo.split("\n").filter((l) => l.startsWith("server."))).toEqual(servers);
            expect(servers[i]).toBe(`server.${i + 1}=${n.vpcIp}:2888:3888`);
            expect(zoo).toContain("admin.enableServer=false");
            expect(heredoc(script, "/etc/zookeeper/conf_lct/myid")).toBe(`${i + 1}\n`);
            expect(script).toContain("install_held zookeeperd");
        });
    });

    it("configure etcd with the planned initial cluster and the node's own VPC address", () => {
        const plan = on("patroni");
        const etcd = plan.nodes.filter((n) => n.role === "etcd");
        const initial = etcd.map((n) => `${n.hostname}=http://${n.vpcIp}:2380`).join(",");
        for (const n of etcd) {
            const env = heredoc(nodeBootstrapScript(plan, n.name)!.script, "/etc/default/etcd");
            expect(env).toContain(`ETCD_NAME=${n.hostname}\n`);
            expect(env).toContain(`ETCD_INITIAL_CLUSTER=${initial}\n`);
            expect(env).toContain(`ETCD_LISTEN_PEER_URLS=http://${n.vpcIp}:2380\n`);
            expect(env).toContain(`ETCD_LISTEN_CLIENT_URLS=http://${n.vpcIp}:2379,http://127.0.0.1:2379\n`);
            expect(env).toContain("ETCD_INITIAL_CLUSTER_STATE=new\n");
        }
        // PostgreSQL nodes have no bootstrap (their secrets cannot go into user data).
        expect(plan.nodes.filter((n) => n.role === "patroni").map((n) => nodeBootstrapScript(plan, n.name))).toEqual([undefined, undefined, undefined]);
    });

    it("bind memcached to localhost and the node's VPC address, UDP off", () => {
        const plan = on("wordpress-ha");
        for (const n of plan.nodes.filter((x) => x.role === "memcached")) {
            const script = nodeBootstrapScript(plan, n.name)!.script;
            expect(script).toContain(`'-l 127.0.0.1,${n.vpcIp}'`);
            expect(script).toContain("'-U 0'");
        }
    });

    it("refuse a plan whose members' addresses are unknown at plan time", () => {
        const check = checkPlanValue({
            name: "spread",
            exposure: { adminCidrs: ["203.0.113.0/24"] },
            template: { name: "zookeeper", parameters: { bootstrap: true } },
            regions: [
                { region: "us-ord", nodeGroups: [{ name: "zk", role: "zookeeper", count: 2, services: [{ name: "quorum", ports: [2888, 3888], from: ["self"] }] }] },
                { region: "eu-central", nodeGroups: [{ name: "zk", role: "zookeeper", count: 1 }] },
            ],
        });
        // Validation refuses it, at the group, before anything is created.
        expect(check.ok).toBe(false);
        const issues = check.issues.filter((i) => i.severity === "error");
        expect(issues.map((i) => [i.rule, i.path])).toEqual([["hardening.user-data-size", "regions[0].nodeGroups[0]"], ["hardening.user-data-size", "regions[1].nodeGroups[0]"]]);
        expect(issues[0]!.message).toMatch(/first-boot configuration cannot be rendered: .*(no address at plan time|gives no zookeeper_servers)/);
        expect(issues.some((i) => i.rule === "internal")).toBe(false);
    });

    it("are deterministic", () => {
        const a = bootstrapScripts(on("iot-pipeline")).map((s) => s.script);
        const b = bootstrapScripts(resolved("iot-pipeline", { bootstrap: "true" }).plan).map((s) => s.script);
        expect(a).toEqual(b);
        expect(a).toHaveLength(6); // 3 ZooKeeper + 3 etcd
    });
});

describe("Kafka from a pinned Apache release", () => {
    const plan = on("kafka");
    const wiring = wireInventory(buildInventory(plan, { nodes: {}, volumes: {}, loadBalancers: {} }));

    it("offers exactly the pinned releases as kafkaVersion, each on archive.apache.org with a SHA-512 and its source", () => {
        const spec = resolved("kafka").template.parameters.kafkaVersion!;
        expect(spec.type).toBe("enum");
        if (spec.type !== "enum") return;
        expect(spec.values).toEqual(releasesOf("kafka").map((r) => r.version));
        expect(spec.default).toBe(releasesOf("kafka")[0]!.version);
        for (const r of UPSTREAM_RELEASES) {
            expect(r.url).toBe(`https://archive.apache.org/dist/kafka/${r.version}/kafka_2.13-${r.version}.tgz`);
            expect(r.sha512).toMatch(/^[0-9a-f]{128}$/);
            expect(r.source).toMatch(/strimzi-kafka-operator kafka-versions\.yaml \(commit [0-9a-f]{40}\)/);
        }
    });

    it("downloads the chosen version: kafkaVersion changes the release fetched and the unit", () => {
        for (const r of releasesOf("kafka")) {
            const p = resolved("kafka", { bootstrap: true, kafkaVersion: r.version }).plan;
            for (const n of p.nodes) {
                const script = nodeBootstrapScript(p, n.name)!.script;
                expect(script.split("\n").filter((l) => l.startsWith("fetch_release "))).toEqual([`fetch_release kafka ${r.version} ${r.url} ${r.sha512} /opt`]);
                expect(heredoc(script, "/etc/systemd/system/kafka.service")).toContain(`Description=Apache Kafka ${r.version} (KRaft ${n.role === "kafka-broker" ? "broker" : "controller"}; LCT)`);
                expect(script).toContain("install_held openjdk-17-jre-headless curl ca-certificates iproute2");
            }
        }
        expect(() => resolved("kafka", { bootstrap: true, kafkaVersion: "3.9.0" })).toThrow(/kafkaVersion: must be one of 4\.1\.2, 3\.9\.1/);
    });

    it("configures each node from the wiring: node id, quorum voters, VPC listeners, one derived cluster id", () => {
        const voters = wiring.vars.kafka_controller_quorum_voters as string;
        expect(voters.split(",")).toHaveLength(3);
        const id = kafkaClusterId(plan.name);
        expect(Buffer.from(id, "base64url")).toHaveLength(16);
        expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
        for (const n of plan.nodes) {
            const script = nodeBootstrapScript(plan, n.name)!.script;
            const props = heredoc(script, "/etc/kafka/server.properties");
            const unit = heredoc(script, "/etc/systemd/system/kafka.service");
            expect(props).toContain(`\nnode.id=${wiring.hostVars[n.name]!.kafka_node_id}\n`);
            expect(props).toContain(`\ncontroller.quorum.voters=${voters}\n`);
            expect(script).toContain(`kafka-storage.sh format --ignore-formatted --cluster-id ${id} --config /etc/kafka/server.properties`);
            if (n.role === "kafka-controller") {
                expect(props).toContain(`\nprocess.roles=controller\nnode.id=`);
                expect(props).toContain(`\nlisteners=CONTROLLER://${n.vpcIp}:9093\n`);
                expect(props).toContain("\nlog.dirs=/var/lib/kafka/meta\n");
                expect(unit).toContain("\nExecStart=/opt/kafka/bin/kafka-server-start.sh /etc/kafka/server.properties\n");
                expect(script).not.toContain("public_ipv4");
            } else {
                expect(props).toContain(`\nlisteners=INTERNAL://${n.vpcIp}:9092,EXTERNAL://0.0.0.0:9094\n`);
                expect(props).toContain("\ninter.broker.listener.name=INTERNAL\n");
                expect(props).toContain("\nlog.dirs=/var/lib/kafka/data\n"); // on the Block Storage volume
                expect(props).toContain("\ndefault.replication.factor=3\nmin.insync.replicas=2\n");
                expect(unit).toContain(`--override advertised.listeners=INTERNAL://${n.vpcIp}:9092,EXTERNAL://\${LCT_PUBLIC_IPV4}:9094\n`);
                expect(unit).toContain("\nEnvironmentFile=/etc/kafka/lct-address.env\n");
            }
        }
    });

    it("is offered only where a template chooses the version: not in iot-pipeline, not in a plan without kafkaVersion", () => {
        const iot = resolved("iot-pipeline").template;
        const roles = describeTemplate(iot).roles.filter((r) => r.role.startsWith("kafka-"));
        expect(roles.map((r) => [r.role, r.bootstrap.available])).toEqual([["kafka-controller", false], ["kafka-broker", false]]);
        expect(bootstrapScripts(on("iot-pipeline")).map((x) => x.role).filter((r) => r.startsWith("kafka"))).toEqual([]);
        const bare = { ...plan, template: { name: "kafka", parameters: { bootstrap: true } } };
        expect(nodeBootstrapScript(bare, plan.nodes[0]!.name)).toBeUndefined();
        expect(describeTemplate(resolved("kafka").template).roles.map((r) => r.bootstrap.available)).toEqual([true, true]);
    });
});

describe("HAProxy in front of Patroni", () => {
    it("routes 5000 to the primary and 5001 to the replicas of the planned PostgreSQL nodes, by Patroni's checks", () => {
        const plan = on("patroni");
        const pg = plan.nodes.filter((n) => n.role === "patroni");
        const haproxy = plan.nodes.filter((n) => n.role === "haproxy");
        expect(haproxy).toHaveLength(2);
        for (const n of haproxy) {
            const script = nodeBootstrapScript(plan, n.name)!.script;
            const cfg = heredoc(script, "/etc/haproxy/haproxy.cfg");
            const servers = pg.map((m) => `    server ${m.hostname} ${m.vpcIp}:5432 maxconn 200 check port 8008`);
            expect(cfg).toContain(["listen primary", "    bind :5000", "    option httpchk OPTIONS /primary", "    http-check expect status 200"].join("\n"));
            expect(cfg).toContain(["listen replicas", "    bind :5001", "    balance roundrobin", "    option httpchk OPTIONS /replica"].join("\n"));
            expect(cfg.split("\n").filter((l) => l.startsWith("    server "))).toEqual([...servers, ...servers]);
            // A bad file fails the bootstrap before the service restarts with it.
            expect(script.indexOf("haproxy -c -q -f /etc/haproxy/haproxy.cfg")).toBeLessThan(script.indexOf("systemctl enable haproxy"));
            expect(script).toContain("install_held haproxy\n");
        }
    });
});

describe("the release installer (fetch_release), run for real against local archives", () => {
    // The function exactly as a Kafka node's script carries it.
    const script = nodeBootstrapScript(on("kafka"), "kafka-us-ord-broker-1")!.script;
    const lines = script.split("\n");
    const start = lines.indexOf("fetch_release() {");
    const fn = lines.slice(start, lines.indexOf("}", start) + 1).join("\n");
    const work = path.join(dir, "fetch");
    const prefix = path.join(work, "opt");
    const harness = path.join(work, "harness.sh");
    const sha512 = (file: string) => createHash("sha512").update(fs.readFileSync(file)).digest("hex");
    const fetch = (version: string, url: string, sum: string) => run("bash", [harness, "kafka", version, url, sum, prefix], { timeoutMs: 60_000 });
    const leftovers = () => fs.readdirSync(prefix).filter((f) => f.startsWith(".lct-fetch"));

    fs.mkdirSync(path.join(work, "src", "kafka_2.13-9.9.9", "bin"), { recursive: true });
    fs.writeFileSync(path.join(work, "src", "kafka_2.13-9.9.9", "bin", "kafka-server-start.sh"), "#!/bin/sh\necho kafka\n", { mode: 0o755 });
    const archive = path.join(work, "kafka_2.13-9.9.9.tgz");
    const other = path.join(work, "other.tgz");
    const notGzip = path.join(work, "not-gzip.tgz");
    fs.writeFileSync(
        harness,
        ["#!/bin/bash", "set -euo pipefail", "log() { printf 'lct-bootstrap: %s\\n' \"$*\" >&2; }", "changed=0", fn, 'fetch_release "$@"', 'echo "changed=$changed"', ""].join("\n"),
    );

    it("is the function the scripts carry (checksum before tar), and shellcheck-clean on its own", () => {
        expect(start).toBeGreaterThan(0);
        expect(fn.indexOf("sha512sum --check --strict")).toBeGreaterThan(0);
        expect(fn.indexOf("sha512sum --check --strict")).toBeLessThan(fn.indexOf("tar -xzf"));
        if (shellcheck.skip === undefined) {
            const r = run(shellcheck.path!, ["--shell=bash", "--severity=style", harness]);
            expect(r.stdout + r.stderr).toBe("");
        }
    });

    it("unpacks an archive whose SHA-512 matches, links it, and changes nothing the second time", () => {
        expect(run("tar", ["-czf", archive, "-C", path.join(work, "src"), "kafka_2.13-9.9.9"]).status).toBe(0);
        const first = fetch("9.9.9", `file://${archive}`, sha512(archive));
        expect(first.status, first.stderr).toBe(0);
        expect(first.stdout.trim()).toBe("changed=1");
        expect(first.stderr).toContain(`lct-bootstrap: installed kafka 9.9.9 in ${prefix}/kafka-9.9.9 (SHA-512 verified)`);
        expect(fs.readFileSync(path.join(prefix, "kafka", "bin", "kafka-server-start.sh"), "utf8")).toContain("echo kafka");
        expect(fs.readlinkSync(path.join(prefix, "kafka"))).toBe(`${prefix}/kafka-9.9.9`);
        expect(fs.readFileSync(path.join(prefix, "kafka-9.9.9", ".lct-release"), "utf8")).toBe(`${sha512(archive)}\n`);
        expect(leftovers()).toEqual([]);
        const second = fetch("9.9.9", `file://${archive}`, sha512(archive));
        expect(second.status).toBe(0);
        expect(second.stdout.trim()).toBe("changed=0");
        expect(second.stderr).toBe("");
    });

    it("fails on a mismatching SHA-512, saying what came and what was pinned, and unpacks nothing", () => {
        fs.writeFileSync(path.join(work, "src", "kafka_2.13-9.9.9", "bin", "evil"), "tampered\n");
        expect(run("tar", ["-czf", other, "-C", path.join(work, "src"), "kafka_2.13-9.9.9"]).status).toBe(0);
        const pinned = sha512(archive);
        const r = fetch("9.9.8", `file://${other}`, pinned);
        expect(r.status).toBe(1);
        expect(r.stdout).toBe(""); // the script stops: first boot fails, no completion marker
        expect(r.stderr.trim()).toBe(`lct-bootstrap: FAILED: kafka 9.9.8 from file://${other} has SHA-512 ${sha512(other)}, not the pinned ${pinned}; nothing was unpacked`);
        expect(fs.existsSync(path.join(prefix, "kafka-9.9.8"))).toBe(false);
        expect(fs.readlinkSync(path.join(prefix, "kafka"))).toBe(`${prefix}/kafka-9.9.9`); // the installed release is untouched
        expect(leftovers()).toEqual([]);
        // The check runs before tar: an archive that is not even gzip fails on its checksum, not in tar.
        fs.writeFileSync(notGzip, "not an archive\n");
        const bad = fetch("9.9.7", `file://${notGzip}`, pinned);
        expect(bad.status).toBe(1);
        expect(bad.stderr).toMatch(/FAILED: kafka 9\.9\.7 .* has SHA-512 [0-9a-f]{128}, not the pinned/);
        expect(bad.stderr).not.toMatch(/^(tar|gzip): /m);
    });

    it("fails on an archive that passes its checksum but does not unpack, and on a failed download", () => {
        const r = fetch("9.9.6", `file://${notGzip}`, sha512(notGzip));
        expect(r.status).toBe(1);
        expect(r.stderr).toMatch(/lct-bootstrap: FAILED: kafka 9\.9\.6 from .* passed its checksum but does not unpack$/m);
        expect(fs.existsSync(path.join(prefix, "kafka-9.9.6"))).toBe(false);
        const missing = fetch("9.9.5", `file://${work}/nowhere.tgz`, sha512(archive));
        expect(missing.status).toBe(1);
        // curl says why (-S), then the bootstrap says what it was fetching.
        expect(missing.stderr.trim().split("\n").at(-1)).toBe(`lct-bootstrap: FAILED: could not download kafka 9.9.5 from file://${work}/nowhere.tgz`);
        expect(missing.stderr).toMatch(/^curl: \(37\)/m);
        expect(leftovers()).toEqual([]);
        expect(fs.readdirSync(prefix).sort()).toEqual(["kafka", "kafka-9.9.9"]);
    });
});

describe.skipIf(cloudInit.skip !== undefined)("first-boot user data with the bootstrap (through the hardening's first-boot hook)", () => {
    it("stays valid cloud-config within 65,535 bytes, the script deferred and run after the hardening completed", () => {
        const files: string[] = [];
        let largest = 0;
        for (const name of WITH_BOOTSTRAP) {
            const plan = on(name);
            for (const n of plan.nodes) {
                const ext = bootstrapExtension(plan, n.name);
                if (!ext) continue;
                const b = renderNodeBootstrap(plan, n.name, { sshKeys: [KEY] });
                if (b.method !== "cloud-init") throw new Error("cloud-init expected");
                const merged = b.userData;
                const bytes = Buffer.byteLength(merged, "utf8");
                largest = Math.max(largest, bytes);
                expect(bytes, n.name).toBeLessThanOrEqual(USER_DATA_LIMIT);
                const decoded = decodeUserData(merged);
                expect(decoded.files.get(BOOTSTRAP_SCRIPT_PATH)).toMatchObject({ permissions: "0700", defer: true, content: ext.files[0]!.content });
                expect(decoded.runcmd.at(-1)).toEqual([BOOTSTRAP_SCRIPT_PATH]);
                // The hardening completes (its marker) before any software is installed.
                expect(decoded.runcmd.at(-2)).toEqual(["/usr/local/sbin/lct-node", "complete", n.name, expect.any(String)]);
                expect([...decoded.files.keys()].at(-1)).toBe(BOOTSTRAP_SCRIPT_PATH);
                expect(parse(merged.split("\n").slice(1).join("\n")).hostname).toBe(n.hostname);
                const file = path.join(dir, `${n.name}.yaml`);
                fs.writeFileSync(file, merged);
                files.push(file);
            }
        }
        expect(files.length).toBeGreaterThan(0);
        expect(largest).toBeLessThan(USER_DATA_LIMIT / 2);
        // One CLI run per bootstrap role (the others differ only in values), then all of them in-process.
        const reps = [...new Map(files.map((f) => [path.basename(f).replace(/-\d+\.yaml$/, ""), f])).values()];
        for (const f of reps) {
            const r = run(cloudInit.path!, ["schema", "--config-file", f]);
            expect(r.stdout.trim(), r.stderr).toBe(`Valid cloud-config: ${f}`);
        }
        const python = fs.readFileSync(cloudInit.path!, "utf8").split("\n")[0]!.replace(/^#!\s*/, "").split(" ")[0]!;
        const code = "import sys\nfrom cloudinit.config.schema import get_schema, validate_cloudconfig_file\ns = get_schema()\nfor p in sys.argv[1:]: validate_cloudconfig_file(p, s)\nprint('ok', len(sys.argv) - 1)\n";
        const r = spawnSync(python, ["-c", code, ...files], { encoding: "utf8" });
        expect(r.stdout.trim(), r.stderr).toBe(`ok ${files.length}`);
    }, 120_000);
});

/** The content a script writes to `file` (its here-document). */
function heredoc(script: string, file: string): string {
    const lines = script.split("\n");
    const start = lines.findIndex((l) => l.startsWith(`put ${file} `));
    if (start < 0) throw new Error(`the script does not write ${file}`);
    const delimiter = /<<'([A-Z_0-9]+)'$/.exec(lines[start]!)![1]!;
    const end = lines.indexOf(delimiter, start + 1);
    return lines.slice(start + 1, end).join("\n") + "\n";
}

describe("bootstrap and StackScript groups", () => {
    it("is refused at validation: per-node steps cannot share one StackScript", () => {
        const plan = structuredClone(resolved("zookeeper", { bootstrap: true }).rendered.plan) as any;
        for (const r of plan.regions) for (const g of r.nodeGroups) g.configMethod = "stackscript";
        const check = checkPlanValue(plan);
        expect(check.ok).toBe(false);
        expect(check.issues.filter((i) => i.rule === "hardening.stackscript-shared").map((i) => i.path)).toEqual(["regions[0].nodeGroups[0].configMethod"]);
    });
});
