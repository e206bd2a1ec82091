/**
 * Per-role bootstrap (zookeeper, etcd, memcached from Debian 12 packages): off by default; when
 * on, every script is shellcheck-clean, configures exactly what the inventory wiring computes,
 * and — added to the node's hardening user data the way the first-boot hook would add it —
 * still passes `cloud-init schema` and fits 65,535 bytes. (The scripts run for real in a
 * Debian root in bootstrap-e2e.test.ts, with LCT_E2E=1.)
 */
import { spawnSync } from "node:child_process";
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
import { bootstrapExtension, bootstrapScripts, BOOTSTRAP_SCRIPT_PATH, nodeBootstrapScript, ROLE_BOOTSTRAPS } from "../../sdk/templates/bootstrap";
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
                const has = ROLE_BOOTSTRAPS.has(role);
                expect(has || (spec.noBootstrap ?? "").length > 0, `${name}: role ${role} has no bootstrap and no noBootstrap reason`).toBe(true);
                expect(!(has && spec.noBootstrap), `${name}: role ${role} has a bootstrap and a noBootstrap reason`).toBe(true);
            }
            // A template offers the switch exactly when one of its roles has a bootstrap.
            const offered = Object.keys(t.roles).some((role) => ROLE_BOOTSTRAPS.has(role));
            expect(t.parameters.bootstrap !== undefined, `${name}: bootstrap parameter`).toBe(offered);
        }
    });

    it("adds one script and one command for exactly the nodes of bootstrap roles when on", () => {
        for (const name of WITH_BOOTSTRAP) {
            const plan = on(name);
            for (const n of plan.nodes) {
                const ext = bootstrapExtension(plan, n.name);
                if (!ROLE_BOOTSTRAPS.has(n.role)) {
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
        expect([...new Set(scripts.map((s) => s.role))].sort()).toEqual(["etcd", "memcached", "zookeeper"]);
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
