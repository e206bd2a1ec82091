/**
 * `lct templates list|show|init|bootstrap`, template names wherever a plan is accepted
 * (`lct validate kafka`, `lct show kafka`, `lct preview kafka`), and the root stack's
 * `lct:template` + `lct:parameters` — all in-process.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { memoryIO } from "../../sdk/cli/io";
import { runCli } from "../../sdk/cli/main";
import { stackProgram } from "../../sdk/stack/program";
import { describeTemplate, loadTemplate, TemplateParameterError } from "../../sdk/templates";
import { installMocks, settle, valueOf } from "../support/pulumi-mocks";
import { TEMPLATE_NAMES } from "./support";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lct-tpl-cli-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function lct(args: string[], cwd = tmp) {
    const io = memoryIO({ cwd });
    const code = await runCli(args, io);
    return { code, out: io.stdout(), err: io.stderr() };
}

describe("lct templates list", () => {
    it("lists every template with its default size", async () => {
        const r = await lct(["templates", "list"]);
        expect(r.code).toBe(0);
        for (const name of TEMPLATE_NAMES) expect(r.out).toMatch(new RegExp(`^${name} +\\d+ nodes`, "m"));
        expect(r.out).toMatch(/^wordpress-multiregion +82 nodes/m);
        expect(r.out).toMatch(/^iot-pipeline +52 nodes/m);
        expect(r.out).toContain(`(${TEMPLATE_NAMES.length} templates`);
    });

    it("as JSON", async () => {
        const r = await lct(["templates", "list", "--json"]);
        const list = JSON.parse(r.out) as Array<{ name: string; nodes: number; monthlyUsd: number }>;
        expect(list.map((t) => t.name)).toEqual(TEMPLATE_NAMES);
        expect(list.find((t) => t.name === "kafka")).toMatchObject({ nodes: 6, regions: ["us-ord"], version: "1.0.0" });
        for (const t of list) expect(t.monthlyUsd).toBeGreaterThan(0);
    });
});

describe("lct templates show", () => {
    it("shows roles with counts, member-only and client-facing ports, bootstrap status and parameters", async () => {
        const r = await lct(["templates", "show", "kafka"]);
        expect(r.code).toBe(0);
        expect(r.out).toContain("kafka 1.0.0 — Apache Kafka (KRaft)");
        expect(r.out).toMatch(/kafka-controller — KRaft controller: 3 node\(s\) \(majority quorum: odd, at least 3\), g6-dedicated-2\n +member-only: +9093/);
        expect(r.out).toMatch(/kafka-broker — Broker: 3 node\(s\), g6-dedicated-4\n +storage: +data 500 GB \/var\/lib\/kafka\n +member-only: +9092\n +client-facing: 9094/);
        expect(r.out).toMatch(/controllers +KRaft controllers \(quorum voters\)\. Default 3; 3–9, odd\./);
        expect(r.out).toContain("bootstrap:     pinned Apache Kafka release (4.1.2 or 3.9.1, kafkaVersion) from archive.apache.org, SHA-512 checked before unpacking");
        const spark = await lct(["templates", "show", "spark"]);
        expect(spark.out).toContain("bootstrap:     none — Spark is not packaged by Debian 12");
        const zk = await lct(["templates", "show", "zookeeper"]);
        expect(zk.out).toContain("bootstrap:     Debian 12 zookeeperd");
    });

    it("as JSON: the template description", async () => {
        const r = await lct(["templates", "show", "wordpress-multiregion", "--json"]);
        const d = JSON.parse(r.out);
        expect(d).toEqual(JSON.parse(JSON.stringify(describeTemplate(loadTemplate("wordpress-multiregion")))));
        expect(d.defaults.nodes).toBe(82);
    });

    it("names an unknown template (exit 2)", async () => {
        const r = await lct(["templates", "show", "kafak"]);
        expect(r.code).toBe(2);
        expect(r.err).toMatch(/error: unknown template "kafak" \(did you mean "kafka"\?\)/);
    });
});

describe("lct templates init", () => {
    it("renders a plan that lct validate accepts", async () => {
        const r = await lct(["templates", "init", "kafka", "--set", "brokers=5", "--set", "clientCidrs=10.8.0.0/16,10.9.0.0/16"]);
        expect(r.code).toBe(0);
        expect(r.err).toBe("");
        expect(r.out).toMatch(/^# ClusterPlan rendered from the LCT template kafka 1\.0\.0/);
        expect(r.out).toContain("# Parameters changed from the defaults: brokers=5 clientCidrs=10.8.0.0/16,10.9.0.0/16.");
        expect(r.out).toContain("clientCidrs: [10.8.0.0/16, 10.9.0.0/16]");
        fs.writeFileSync(path.join(tmp, "plan.yaml"), r.out);
        const v = await lct(["validate", "plan.yaml"]);
        expect(v.out).toBe("plan.yaml: valid — 8 nodes in 2 groups across 1 region\n");
        expect(v.code).toBe(0);
    });

    it("writes the file with -o", async () => {
        const r = await lct(["templates", "init", "iot-pipeline", "-o", "iot.yaml"]);
        expect(r.code).toBe(0);
        expect(r.err).toContain("wrote iot.yaml: 52 nodes from template iot-pipeline");
        const v = await lct(["validate", "iot.yaml", "--json"]);
        expect(JSON.parse(v.out)).toMatchObject({ valid: true, nodes: 52, errors: 0 });
    });

    it("refuses overrides outside the allowed ranges, every one, and writes nothing (exit 1)", async () => {
        const r = await lct(["templates", "init", "kafka", "--set", "controllers=4", "--set", "brokers=0", "--set", "brokerType=g6-dedicated-5", "--set", "regoin=us-ord"]);
        expect(r.code).toBe(1);
        expect(r.out).toBe("");
        expect(r.err.split("\n").filter((l) => l.startsWith("error:"))).toEqual([
            'error: kafka: regoin: unknown parameter (did you mean "region"?); kafka takes: name, region, controllers, brokers, controllerType, brokerType, brokerVolumeGb, image, adminCidrs, clientCidrs, kafkaVersion, bootstrap',
            "error: kafka: controllers: must be odd (allowed: 3–9, odd; a KRaft quorum stays available while a majority of the voters is up), got 4",
            "error: kafka: brokers: must be at least 3 (allowed: 3–500; replication factor 3 needs three brokers), got 0",
            expect.stringMatching(/^error: kafka: brokerType: unknown Linode type "g6-dedicated-5" \(did you mean "g6-dedicated-\d"\?\); see lct catalog types$/),
        ]);
        const few = await lct(["templates", "init", "wordpress-multiregion", "--set", "regions=us-ord"]);
        expect(few.code).toBe(1);
        expect(few.err).toContain("error: wordpress-multiregion: regions: needs at least 2 region(s)");
    });

    it("reports a rendered plan the plan rules refuse (exit 1)", async () => {
        // Both regions valid on their own; the same region twice is a plan error.
        const r = await lct(["templates", "init", "quickstart", "--set", "secondRegion=us-ord"]);
        expect(r.code).toBe(1);
        expect(r.out).toBe("");
        expect(r.err).toMatch(/quickstart \(rendered\): error: regions\[1\]\.region: .*us-ord/);
    });

    it("refuses a malformed --set (exit 2)", async () => {
        const r = await lct(["templates", "init", "kafka", "--set", "brokers"]);
        expect(r.code).toBe(2);
        expect(r.err).toContain('error: --set "brokers": expected key=value');
    });
});

describe("lct templates bootstrap", () => {
    it("prints a node's script, or writes them all", async () => {
        const one = await lct(["templates", "bootstrap", "zookeeper", "--node", "zookeeper-us-ord-zookeeper-1"]);
        expect(one.code).toBe(0);
        expect(one.out).toMatch(/^#!\/bin\/bash\n# LCT bootstrap of node zookeeper-us-ord-zookeeper-1 \(role zookeeper, template zookeeper 1\.0\.0\)/);
        const all = await lct(["templates", "bootstrap", "patroni", "--out-dir", "boot"]);
        expect(all.code).toBe(0);
        expect(fs.readdirSync(path.join(tmp, "boot")).sort()).toEqual(["pg-us-ord-etcd-1.sh", "pg-us-ord-etcd-2.sh", "pg-us-ord-etcd-3.sh", "pg-us-ord-haproxy-1.sh", "pg-us-ord-haproxy-2.sh"]);
        expect(fs.statSync(path.join(tmp, "boot", "pg-us-ord-etcd-1.sh")).mode & 0o777).toBe(0o700);
    });

    it("says when a template has no bootstrap roles, or the node has none", async () => {
        const none = await lct(["templates", "bootstrap", "cassandra", "--out-dir", "k"]);
        expect(none.code).toBe(1);
        expect(none.err).toContain("error: cassandra: no role of this template has a bundled bootstrap");
        const wrong = await lct(["templates", "bootstrap", "patroni", "--node", "pg-us-ord-postgresql-1"]);
        expect(wrong.code).toBe(2);
        expect(wrong.err).toContain("no bootstrap script for node pg-us-ord-postgresql-1; nodes with one: pg-us-ord-etcd-1");
    });
});

describe("template names wherever a plan is accepted", () => {
    it("lct validate and lct show render the defaults", async () => {
        const v = await lct(["validate", "hadoop"]);
        expect(v.code).toBe(0);
        expect(v.out).toBe("hadoop: valid — 13 nodes in 5 groups across 1 region\n");
        const s = await lct(["show", "nomad", "--json"]);
        expect(s.code).toBe(0);
        expect(JSON.parse(s.out).plan.template).toMatchObject({ name: "nomad", version: "1.0.0" });
    });

    it("lct preview renders the resource tree of a template", async () => {
        const p = await lct(["preview", "zookeeper", "--json"]);
        expect(p.err).not.toMatch(/error/);
        expect(p.code).toBe(0);
        expect(p.out).toContain("linode:index/instance:Instance");
    }, 60_000);

    it("a file of the same name in the working directory wins", async () => {
        const dir = fs.mkdtempSync(path.join(tmp, "cwd-"));
        fs.writeFileSync(path.join(dir, "kafka"), "name: mine\nexposure: { adminCidrs: [203.0.113.0/24] }\nregions: [{ region: us-ord, nodeGroups: [{ name: a, count: 1 }] }]\n");
        const v = await lct(["validate", "kafka"], dir);
        expect(v.out).toBe("kafka: valid — 1 node in 1 group across 1 region\n");
    });
});

describe("the root stack's lct:template and lct:parameters", () => {
    it("builds the template with the parameters", async () => {
        const registered = await installMocks();
        const outputs = stackProgram({ template: "kafka", parameters: { brokers: 5, controllers: "5" } });
        const inventory = await valueOf(outputs.inventory);
        await settle(registered);
        expect(inventory.template).toMatchObject({ name: "kafka", version: "1.0.0", parameters: { brokers: 5, controllers: 5 } });
        expect(registered.filter((r) => r.type === "linode:index/instance:Instance")).toHaveLength(10);
    });

    it("refuses bad parameters with the template's message", async () => {
        await installMocks();
        expect(() => stackProgram({ template: "kafka", parameters: { controllers: 2 } })).toThrow(TemplateParameterError);
        expect(() => stackProgram({ template: "kafka", parameters: { controllers: 2 } })).toThrow(/^kafka: controllers: must be at least 3 \(allowed: 3–9, odd/);
        expect(() => stackProgram({ template: "nope" })).toThrow(/unknown template "nope"; bundled templates: .*quickstart/);
    });
});
