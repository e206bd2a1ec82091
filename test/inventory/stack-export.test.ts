import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { buildAnsibleModel, renderAnsibleIni, renderAnsibleYaml, renderInventoryScript } from "../../sdk/inventory/ansible";
import { buildBundle } from "../../sdk/inventory/bundle";
import { renderHostsFile } from "../../sdk/inventory/hosts-file";
import { renderInventoryJson } from "../../sdk/inventory/json-export";
import { compileQuery } from "../../sdk/inventory/query";
import { guardExport, SecretLeakError, stripSecrets } from "../../sdk/inventory/secrets";
import { selectNodes } from "../../sdk/inventory/select";
import { renderSshConfig } from "../../sdk/inventory/ssh-config";
import { parseStackExport, readStackExport, StackExportError } from "../../sdk/inventory/stack-export";
import type { ClusterInventory } from "../../sdk/inventory/types";
import { expectNoSecrets, fixtureSecrets, quickstartPlan, readFixture, streamsPlan } from "../support/inventories";
import { stackExportFromMocks, writeSyntheticStackExport } from "../support/stack-exports";
import { requireTool, run } from "../support/tools";

const jq = requireTool("jq", "jq");

const FIXTURES = ["quickstart.json", "two-region-show-secrets.json", "streams.json"];

/** Every export LCT can write, of every node, as text. */
function allExports(inventories: ClusterInventory[]): Record<string, string> {
    const model = buildAnsibleModel(inventories);
    const bundle = buildBundle(inventories);
    return {
        yaml: renderAnsibleYaml(model),
        ini: renderAnsibleIni(model),
        script: renderInventoryScript(model),
        json: renderInventoryJson(inventories),
        ssh: renderSshConfig(inventories).text,
        hosts: renderHostsFile(inventories, { address: "cluster" }).text,
        bundle: bundle.files.map((f) => `${f.path}\n${f.content}`).join("\n"),
    };
}

describe("reading pulumi stack export JSON", () => {
    it("finds the inventory output and the instances of the committed fixtures", () => {
        const r = parseStackExport(readFixture("quickstart.json"));
        expect(r).toMatchObject({ stack: "test", project: "lct", instances: 8, warnings: [] });
        expect(r.resources).toBeGreaterThan(50);
        expect(r.inventories).toHaveLength(1);
        const inv = r.inventories[0]!;
        expect(inv).toMatchObject({ cluster: "quickstart", adminUser: "ops", bastion: "us-ord/bastion", dns: { domain: "example.com" } });
        expect(inv.nodes.map((n) => n.label)).toEqual([
            "quickstart-us-ord-bastion-1",
            "quickstart-us-ord-db-1",
            "quickstart-us-ord-db-2",
            "quickstart-us-ord-web-1",
            "quickstart-us-ord-web-2",
            "quickstart-us-ord-web-3",
            "quickstart-eu-central-web-1",
            "quickstart-eu-central-web-2",
        ]);
        // Plan metadata from the inventory output, addresses and ids from the instances' outputs.
        expect(inv.nodes[1]).toMatchObject({
            id: expect.stringMatching(/^\d+$/),
            publicIpv4: "45.0.39.32",
            vpcIpv4: "10.31.254.10",
            fqdn: "db-1.us-ord.example.com",
            volumes: [{ mountPath: "/var/lib/postgresql", sizeGb: 100 }],
        });
        expect(selectNodes(r.inventories, "role=web and region=us-ord").map((n) => n.index)).toEqual([1, 2, 3]);
    });

    it("uses the instances' current outputs over a stale inventory output", () => {
        const doc = JSON.parse(readFixture("quickstart.json"));
        const instance = doc.deployment.resources.find((x: any) => x.type === "linode:index/instance:Instance" && x.outputs.label === "quickstart-us-ord-web-2");
        instance.outputs.ipAddress = "203.0.113.99";
        instance.outputs.tags = [...instance.outputs.tags, "canary"];
        const inv = readStackExport(doc).inventories[0]!;
        const web2 = inv.nodes.find((n) => n.label === "quickstart-us-ord-web-2")!;
        expect(web2.publicIpv4).toBe("203.0.113.99");
        expect(selectNodes(inv, "tag=canary").map((n) => n.label)).toEqual(["quickstart-us-ord-web-2"]);
    });

    it("builds nodes from instance tags when the stack exports no inventory, and skips resources pending deletion", () => {
        const doc = JSON.parse(readFixture("streams.json"));
        doc.deployment.resources = doc.deployment.resources.filter((x: any) => !["pulumi:pulumi:Stack", "lct:index:LinodeCluster"].includes(x.type));
        const old = structuredClone(doc.deployment.resources.find((x: any) => x.type === "linode:index/instance:Instance"));
        old.delete = true;
        old.outputs.label = "streams-us-east-bastion-9";
        doc.deployment.resources.push(old);
        const r = readStackExport(doc);
        expect(r.warnings).toEqual([expect.stringMatching(/no LCT inventory output found; nodes come from the Linode instances' tags alone/)]);
        const inv = r.inventories[0]!;
        expect(inv.cluster).toBe("streams");
        expect(inv.nodes).toHaveLength(7);
        const broker = inv.nodes.find((n) => n.label === "streams-us-east-broker-2")!;
        expect(broker).toMatchObject({ role: "kafka-broker", groupName: "broker", group: "us-east/broker", region: "us-east", index: 2, type: "g6-dedicated-4" });
        expect(broker.privateIpv4).toMatch(/^192\.168\./);
        // Volumes attach by linodeId (no mount path without the plan).
        expect(broker.volumes).toEqual([expect.objectContaining({ label: expect.stringMatching(/broker-2-data/), sizeGb: 200, mountPath: "" })]);
        expect(inv.groups.map((g) => [g.key, g.nodes.length, g.bootOrder])).toEqual([
            ["us-east/bastion", 1, 0],
            ["us-east/controller", 3, 1],
            ["us-east/broker", 3, 2],
        ]);
        // Kafka wiring still works from tags alone.
        expect(buildAnsibleModel(r.inventories).hostvars["streams-us-east-broker-2"]!.kafka_node_id).toBe(2002);
    });

    it("finds several clusters' inventories one level down in the stack outputs", () => {
        const [quick] = parseStackExport(readFixture("quickstart.json")).inventories;
        const [streams] = parseStackExport(readFixture("streams.json")).inventories;
        const doc = {
            version: 3,
            deployment: {
                manifest: { time: "2025-01-01T00:00:00Z", magic: "", version: "v3.150.0" },
                resources: [
                    { urn: "urn:pulumi:prod::fleet::pulumi:pulumi:Stack::fleet-prod", custom: false, type: "pulumi:pulumi:Stack", outputs: { clusters: { a: quick, b: streams }, list: [quick] } },
                ],
            },
        };
        const r = readStackExport(doc);
        expect(r.inventories.map((i) => [i.cluster, i.nodes.length])).toEqual([
            ["quickstart", 8],
            ["streams", 7],
        ]);
        expect(r).toMatchObject({ stack: "prod", project: "fleet", instances: 0 });
    });

    it("accepts the file backend's checkpoint form and ignores unknown-value placeholders", () => {
        const doc = JSON.parse(readFixture("quickstart.json"));
        const instance = doc.deployment.resources.find((x: any) => x.type === "linode:index/instance:Instance" && x.outputs.label === "quickstart-us-ord-db-1");
        instance.outputs.ipAddress = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        const checkpoint = { version: 3, checkpoint: { stack: "organization/lct/test", latest: doc.deployment } };
        const inv = readStackExport(checkpoint).inventories[0]!;
        expect(inv.nodes.find((n) => n.label === "quickstart-us-ord-db-1")!.publicIpv4).toBe("45.0.39.32");
    });

    it.each([
        ["", /empty input/],
        ["{not json", /not JSON/],
        ["[]", /not a stack export \(expected a JSON object\)/],
        ['{"version": 3, "stack": "x"}', /not a `pulumi stack export` document/],
        ['{"version": 4, "deployment": {"manifest": {}, "resources": []}}', /deployment version 4 is newer than LCT reads \(3\)/],
        ['{"version": 3, "deployment": {"manifest": {}, "resources": {}}}', /"deployment.resources" is not a list/],
    ])("rejects %j clearly", (text, message) => {
        expect(() => parseStackExport(text, { source: "x.json" })).toThrow(StackExportError);
        expect(() => parseStackExport(text, { source: "x.json" })).toThrow(message);
    });

    it("reads an empty stack with a warning", () => {
        const r = parseStackExport('{"version": 3, "deployment": {"manifest": {"time": "", "magic": "", "version": ""}}}');
        expect(r.inventories).toEqual([]);
        expect(r.warnings).toEqual(["stack export: the stack has no resources"]);
    });
});

describe("no secret in any export", () => {
    it.each(FIXTURES)("%s: secrets (ciphertext, plaintext, secret-named outputs and template parameters) never appear", (file) => {
        const text = readFixture(file);
        const secrets = fixtureSecrets(file);
        expect(secrets.length).toBeGreaterThan(3);
        // The fixture really holds them (or their ciphertext), so the check below means something.
        if (file.includes("show-secrets")) for (const s of secrets.slice(0, 3)) expect(text).toContain(JSON.stringify(JSON.stringify(s)).slice(1, 20));
        const r = parseStackExport(text);
        for (const [kind, out] of Object.entries(allExports(r.inventories))) {
            expect(out.length, kind).toBeGreaterThan(0);
            expectNoSecrets(out, secrets, `${file} → ${kind}`);
            expect(out, kind).not.toMatch(/hunter2|never-exported|adminPassword|rootPass|privateKey/);
        }
    });

    it("keeps harmless template parameters in the JSON export and drops secret-named ones", () => {
        const json = JSON.parse(renderInventoryJson(parseStackExport(readFixture("streams.json")).inventories));
        expect(json.clusters[0].template).toEqual({ name: "kafka", version: "1.0.0", parameters: { brokers: 3, retentionHours: 168 } });
    });

    it("drops secret-marked and secret-named values, and refuses text holding a key", () => {
        const sig = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: '"x"' };
        expect(stripSecrets({ a: 1, b: sig, c: [sig, "ok"], dbPassword: "p", apiToken: "t", nested: { privateKeyPem: "k", keep: true } }, { names: true })).toEqual({
            a: 1,
            c: ["ok"],
            nested: { keep: true },
        });
        // Common short names for passwords and signing material, but not look-alikes.
        const named = { dbPass: 1, adminPwd: 2, sharedAuth: 3, jwtSigning: 4, passphrase: 5, db_pass: 6, sessionCookie: 7, saltRounds: 8, bypassMode: 9, passive: 10, brokers: 11 };
        expect(stripSecrets(named, { names: true })).toEqual({ bypassMode: 9, passive: 10, brokers: 11 });
        expect(stripSecrets("-----BEGIN OPENSSH PRIVATE KEY-----\nabc")).toBeUndefined();
        expect(() => guardExport("x", "a\n-----BEGIN RSA PRIVATE KEY-----\n")).toThrow(SecretLeakError);
        expect(() => guardExport("x", `{"v": "1b47061264138c4ac30d75fd1eb44270"}`)).toThrow(/contains a Pulumi secret value/);
        expect(guardExport("x", "ssh-ed25519 AAAA public")).toBe("ssh-ed25519 AAAA public");
    });
});

describe("stack exports of the current components (generated under the mock runtime)", () => {
    it("reads the quickstart stack, in both secret forms, the same way", async () => {
        const cipher = await stackExportFromMocks({ plan: quickstartPlan() });
        const plain = await stackExportFromMocks({ plan: quickstartPlan(), showSecrets: true });
        const a = readStackExport(JSON.parse(JSON.stringify(cipher.doc)));
        const b = readStackExport(JSON.parse(JSON.stringify(plain.doc)));
        expect(a.inventories).toEqual(b.inventories);
        const inv = a.inventories[0]!;
        expect(inv.nodes).toHaveLength(cipher.inventory.nodes.length);
        for (const n of inv.nodes) {
            const planned = cipher.inventory.nodes.find((x) => x.name === n.name)!;
            expect(n.publicIpv4, n.name).toBe(planned.publicIpv4);
            expect(n.vpcIpv4, n.name).toBe(planned.vpcIpv4);
            expect(n.tags, n.name).toEqual(planned.tags);
        }
        for (const out of Object.values(allExports(b.inventories))) expectNoSecrets(out, plain.secrets, "export");
    });

    it("a query over a stack export agrees with the same query over the program's inventory", async () => {
        const gen = await stackExportFromMocks({ plan: streamsPlan() });
        const fromExport = readStackExport(gen.doc).inventories;
        for (const q of ["role=kafka-broker", "tag=tier-1 or group=bastion", "not role=kafka-controller and index!=1", "label=*-controller-*"]) {
            const p = compileQuery(q);
            expect(selectNodes(fromExport, q).map((n) => n.name), q).toEqual(gen.inventory.nodes.filter((n) => p(n, gen.inventory.cluster)).map((n) => n.name));
        }
    });
});

describe("the synthetic big-export generator (used by bench/inventory-query-vs-jq.ts)", () => {
    it("writes exactly the resources asked for, and LCT and jq find the same tagged instances", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lct-synth-"));
        try {
            const file = path.join(dir, "export.json");
            const summary = writeSyntheticStackExport(file, { resources: 2_003 });
            const r = parseStackExport(fs.readFileSync(file, "utf8"));
            expect(r.resources).toBe(2_003);
            expect(summary.resources).toBe(2_003);
            expect(r.instances).toBe(summary.instances);
            expect(r.warnings).toEqual([]);
            const inv = r.inventories[0]!;
            expect(inv.nodes).toHaveLength(summary.instances);
            for (const tag of ["lct:role=kafka-broker", "team-data", "env-prod"]) {
                expect(selectNodes(r.inventories, `tag=${tag}`), tag).toHaveLength(summary.countsByTag[tag]!);
            }
            if (!jq.skip) {
                const filter = '.deployment.resources[] | select(.type == "linode:index/instance:Instance") | select(any(.outputs.tags[]?; . == "team-data")) | .outputs.label';
                const out = run(jq.path!, ["-r", filter, file]);
                expect(out.status, out.stderr).toBe(0);
                expect(out.stdout.trim().split("\n").sort()).toEqual(selectNodes(r.inventories, "tag=team-data").map((n) => n.label).sort());
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
