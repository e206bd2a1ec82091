/** The pure parts of the lifecycle layer: backends, passphrases, stack names, redaction, reports. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { passphraseProblem, resolveBackend, stackNameProblem } from "../../sdk/automation/backend";
import { parseSets } from "../../sdk/automation/lifecycle";
import { checkNodePlan, defaultNodeName, nodeStackName } from "../../sdk/automation/node-plan";
import { EventTracker, formatChanges, shortUrn } from "../../sdk/automation/operations";
import { LineBuffer, redactor, secretsFromEnv } from "../../sdk/automation/redact";
import { tokenProblem } from "../../sdk/automation/secret-commands";
import { packageRoot } from "../../sdk/automation/session";

describe("backends", () => {
    it("defaults to a file backend under HOME; the flag beats PULUMI_BACKEND_URL", () => {
        expect(resolveBackend(undefined, { HOME: "/home/ana" })).toEqual({ url: "file:///home/ana/.lct/state", source: "default", kind: "file", dir: "/home/ana/.lct/state" });
        expect(resolveBackend(undefined, { HOME: "/h", PULUMI_BACKEND_URL: "s3://bucket/lct" })).toEqual({ url: "s3://bucket/lct", source: "env", kind: "self-managed" });
        expect(resolveBackend("file://~/state", { HOME: "/h", PULUMI_BACKEND_URL: "s3://b" })).toMatchObject({ url: "file:///h/state", source: "flag" });
        expect(resolveBackend("https://api.pulumi.com", {})).toEqual({ url: "https://api.pulumi.com", source: "flag", kind: "service" });
        expect(() => resolveBackend("file://relative/dir", { HOME: "/h" })).toThrow(/needs an absolute folder/);
        expect(() => resolveBackend("state", {})).toThrow(/is not a URL/);
    });

    it("wants a passphrase for every backend but Pulumi Cloud, unless a secrets provider is given", () => {
        const file = resolveBackend(undefined, { HOME: "/h" });
        expect(passphraseProblem(file, {})).toMatch(/^no passphrase is set for the file backend file:\/\/\/h\/\.lct\/state: /);
        expect(passphraseProblem(resolveBackend("s3://b", {}), {})).toMatch(/^no passphrase is set for the self-managed backend s3:\/\/b/);
        expect(passphraseProblem(file, { PULUMI_CONFIG_PASSPHRASE: "long enough" })).toBeUndefined();
        expect(passphraseProblem(file, { PULUMI_CONFIG_PASSPHRASE: "" })).toMatch(/is empty/);
        expect(passphraseProblem(file, {}, { secretsProvider: "awskms://alias/x" })).toBeUndefined();
        expect(passphraseProblem(file, {}, { secretsProvider: "passphrase" })).toMatch(/no passphrase/);
        expect(passphraseProblem(resolveBackend("https://api.pulumi.com", {}), {})).toBeUndefined();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lct-pass-"));
        fs.writeFileSync(path.join(dir, "empty"), "");
        fs.writeFileSync(path.join(dir, "good"), "words words\n");
        expect(passphraseProblem(file, { PULUMI_CONFIG_PASSPHRASE_FILE: "good" }, { cwd: dir })).toBeUndefined();
        expect(passphraseProblem(file, { PULUMI_CONFIG_PASSPHRASE_FILE: "empty" }, { cwd: dir })).toMatch(/which is empty/);
        expect(passphraseProblem(file, { PULUMI_CONFIG_PASSPHRASE_FILE: "." }, { cwd: dir })).toMatch(/which is not a file/);
        fs.rmSync(dir, { recursive: true });
    });

    it("checks stack names as pulumi does", () => {
        for (const ok of ["dev", "prod-eu.2", "a_b", "org/lct/prod"]) expect(stackNameProblem(ok), ok).toBeUndefined();
        for (const bad of ["", "a b", "a/b", "x".repeat(101), "dev;rm"]) expect(stackNameProblem(bad), bad).toBeDefined();
    });

    it("finds the package root (where Pulumi.yaml is) from the module's folder", () => {
        expect(packageRoot()).toBe(path.join(__dirname, "..", ".."));
        expect(fs.existsSync(path.join(packageRoot(), "Pulumi.yaml"))).toBe(true);
    });
});

describe("redaction", () => {
    it("replaces every known secret, whole or line by line, and leaves short values alone", () => {
        const key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB\nAAAAMwAAAAtzc2gtZWQyNTUxOQAAACB0ZXN0\n-----END OPENSSH PRIVATE KEY-----\n";
        const r = redactor(["tok-1234567890", key, "abc"]);
        expect(r("token=tok-1234567890 and tok-1234567890")).toBe("token=[secret] and [secret]");
        expect(r(`dump: ${key}`)).not.toMatch(/b3BlbnNzaC1rZXktdjEA|AAAAMwAAAAtzc2g/);
        expect(r("abc stays")).toBe("abc stays");
        expect(secretsFromEnv({ LINODE_TOKEN: "a", PULUMI_CONFIG_PASSPHRASE: "b", HOME: "c" }).sort()).toEqual(["a", "b"]);
    });

    it("re-assembles streamed chunks into lines before redacting (a secret split across chunks is caught)", () => {
        const lines: string[] = [];
        const b = new LineBuffer((l) => lines.push(l), redactor(["secret-value-1"]));
        b.write("one secr");
        b.write("et-value-1 two\nthree \u001b[32mgreen\u001b[0m\npartial");
        b.flush();
        expect(lines).toEqual(["one [secret] two", "three green", "partial"]);
    });

    it("refuses tokens that cannot be Linode tokens, without quoting them", () => {
        expect(tokenProblem("")).toMatch(/empty/);
        expect(tokenProblem("a b")).toMatch(/whitespace/);
        expect(tokenProblem("tök")).toMatch(/characters/);
        expect(tokenProblem("x".repeat(2000))).toMatch(/too long/);
        expect(tokenProblem("0123abcdef")).toBeUndefined();
    });
});

describe("reports", () => {
    it("formats changes in a fixed order, done or planned", () => {
        expect(formatChanges({ same: 3, create: 61, delete: 2 })).toBe("61 created, 2 deleted, 3 unchanged");
        expect(formatChanges({ create: 1, update: 2 }, true)).toBe("1 to create, 2 to update");
        expect(formatChanges({})).toBe("no changes");
    });

    it("follows engine events: completed steps, failures, error and warning diagnostics, the summary", () => {
        const t = new EventTracker(redactor(["hunter2-token"]));
        const urn = "urn:pulumi:dev::lct::lct:index:LinodeCluster$lct:index:NodeGroup$linode:index/instance:Instance::dev-web-1-instance";
        const meta = { op: "create" as const, urn, type: "linode:index/instance:Instance", provider: "" };
        t.onEvent({ sequence: 1, timestamp: 0, resOutputsEvent: { metadata: meta } });
        t.onEvent({ sequence: 2, timestamp: 0, resOutputsEvent: { metadata: meta, planning: true } });
        t.onEvent({ sequence: 3, timestamp: 0, diagnosticEvent: { urn, message: "  bad hunter2-token\n", color: "never", severity: "error" } });
        t.onEvent({ sequence: 4, timestamp: 0, diagnosticEvent: { message: "chatter", color: "never", severity: "info" } });
        t.onEvent({ sequence: 5, timestamp: 0, resOpFailedEvent: { metadata: meta, status: 1, steps: 1 } });
        t.onEvent({ sequence: 6, timestamp: 0, summaryEvent: { maybeCorrupt: false, durationSeconds: 7, resourceChanges: { create: 1 }, policyPacks: {} } });
        expect(t.completed).toEqual({ create: 1 });
        expect([...t.failed]).toEqual(["linode:index/instance:Instance::dev-web-1-instance"]);
        expect(t.diagnostics).toEqual([{ severity: "error", resource: "linode:index/instance:Instance::dev-web-1-instance", message: "bad [secret]" }]);
        expect(t.summary).toEqual({ resourceChanges: { create: 1 }, durationSeconds: 7 });
        expect(shortUrn("not-a-urn")).toBe("not-a-urn");
    });

    it("parses --set values: JSON scalars and structures, anything else a string", () => {
        expect(parseSets(["webCount=4", "name=shop", "on=true", "list=[1,2]", "text=a=b", "n=null"])).toEqual({ webCount: 4, name: "shop", on: true, list: [1, 2], text: "a=b", n: null });
        expect(() => parseSets(["=4"])).toThrow(/use --set name=value/);
        expect(() => parseSets(["novalue"])).toThrow(/use --set name=value/);
    });
});

describe("node plans", () => {
    it("builds one-node plans whose issues name the command-line arguments", () => {
        expect(nodeStackName("web1")).toBe("node-web1");
        expect(defaultNodeName("us-ord", () => "ab12")).toBe("us-ord-ab12");
        const ok = checkNodePlan({ region: "us-ord", type: "g6-nanode-1", image: "linode/debian12", name: "web1", adminCidrs: ["198.51.100.0/24"] });
        expect(ok).toEqual({ ok: true, issues: [] });
        const bad = checkNodePlan({ region: "us-ord", type: "g6-nanode-1", image: "linode/debian12", name: "web1", adminCidrs: ["300.1.1.1/8"], sshPublicKey: "ssh-rsa AAAA" });
        expect(bad.ok).toBe(false);
        expect(bad.issues.map((i) => i.path).sort()).toEqual(["--admin-cidr", "--ssh-key"]);
    });
});
