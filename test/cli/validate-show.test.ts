import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryIO } from "../../sdk/cli/io";
import { runCli } from "../../sdk/cli/main";
import { bundledCatalog } from "../../sdk/catalog/load";
import { tempDir } from "../plan/helpers";

const ROOT = path.join(__dirname, "..", "..");
const QUICKSTART = path.join(ROOT, "templates", "quickstart.yaml");

async function lct(args: string[], opts: { cwd?: string; stdin?: string | Uint8Array; env?: NodeJS.ProcessEnv } = {}) {
    const io = memoryIO({ cwd: opts.cwd ?? ROOT, env: opts.env ?? {}, ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}) });
    const code = await runCli(args, io);
    return { code, stdout: io.stdout(), stderr: io.stderr() };
}

/** A stack frame ("    at fn (file:1:2)") anywhere in the text. */
const STACK_FRAME = /^\s+at .+[:(]/m;

const VALID = "name: demo\nexposure: { adminCidrs: [203.0.113.0/24] }\nregions:\n  - region: us-ord\n    nodeGroups: [{ name: web, count: 2 }]\n";

describe("lct validate", () => {
    const tmp = tempDir();
    afterAll(() => tmp.cleanup());

    it("exits 0 for a valid plan, summing it up", async () => {
        const r = await lct(["validate", "templates/quickstart.yaml"]);
        expect(r).toEqual({ code: 0, stdout: "templates/quickstart.yaml: valid — 8 nodes in 4 groups across 2 regions\n", stderr: "" });
    });

    it("prints warnings but still exits 0, with singular and plural right", async () => {
        const r = await lct(["validate", tmp.file("warn.yaml", "name: demo\nregions:\n  - region: us-ord\n    nodeGroups: [{ name: web, count: 1 }]\n")], { cwd: tmp.dir });
        expect(r.code).toBe(0);
        expect(r.stdout.split("\n")).toEqual([
            `${tmp.dir}/warn.yaml:1:1: warning: exposure.adminCidrs: not set: SSH (key-only, fail2ban) is open to the whole Internet; list your admin networks`,
            `${tmp.dir}/warn.yaml: valid — 1 node in 1 group across 1 region (1 warning)`,
            "",
        ]);
    });

    it("exits 1 for an invalid plan, listing every problem with path and line:column", async () => {
        tmp.file(
            "bad.yaml",
            [
                "name: demo",
                "exposure: { adminCidrs: [203.0.113.0/24] }",
                "regions:",
                "  - region: us-ordd",
                "    nodeGroups:",
                "      - { name: web, count: 0 }",
                "      - { name: web, count: 1, colour: red }",
                "",
            ].join("\n"),
        );
        const r = await lct(["validate", "bad.yaml"], { cwd: tmp.dir });
        expect(r.code).toBe(1);
        expect(r.stderr).toBe("");
        expect(r.stdout.split("\n")).toEqual([
            'bad.yaml:4:13: error: regions[0].region: unknown region "us-ordd" (did you mean "us-ord"?)',
            "bad.yaml:6:29: error: regions[0].nodeGroups[0].count: must be at least 1",
            'bad.yaml:7:17: error: regions[0].nodeGroups[1].name: duplicate group name "web" (first at regions[0].nodeGroups[0].name)',
            'bad.yaml:7:32: error: regions[0].nodeGroups[1].colour: unknown key "colour"',
            "bad.yaml: invalid — 4 errors",
            "",
        ]);
    });

    it("--json gives the machine-readable result for valid and invalid plans", async () => {
        const ok = await lct(["validate", "--json", "templates/quickstart.yaml"]);
        expect(ok.code).toBe(0);
        expect(JSON.parse(ok.stdout)).toEqual({ file: "templates/quickstart.yaml", valid: true, legacy: false, errors: 0, warnings: 0, issues: [], nodes: 8, groups: 4, regions: 2 });
        const bad = await lct(["validate", "--json", tmp.file("count.yaml", VALID.replace("count: 2", "count: -1"))]);
        expect(bad.code).toBe(1);
        expect(JSON.parse(bad.stdout)).toEqual({
            file: `${tmp.dir}/count.yaml`,
            valid: false,
            legacy: false,
            errors: 1,
            warnings: 0,
            issues: [{ severity: "error", rule: "schema", path: "regions[0].nodeGroups[0].count", message: "must be at least 1", line: 5, column: 38 }],
        });
    });

    it("says when it upgraded the original toolkit's format", async () => {
        const file = tmp.file("legacy.yaml", "name: old\nregions:\n  - region: us-east-1a\n    nodes:\n      - { name: web, type: Linode 2048, count: 2, distribution: Debian 12 }\n");
        const r = await lct(["validate", file]);
        expect(r.code).toBe(0);
        expect(r.stdout.trim().split("\n").at(-1)).toBe(`${file}: valid (original LinodeTool format, upgraded) — 2 nodes in 1 group across 1 region (4 warnings)`);
    });

    it("reads standard input for -", async () => {
        expect(await lct(["validate", "-"], { stdin: VALID })).toEqual({ code: 0, stdout: "<stdin>: valid — 2 nodes in 1 group across 1 region\n", stderr: "" });
        const bad = await lct(["validate", "-"], { stdin: VALID.replace("us-ord", "us-ordd") });
        expect(bad.code).toBe(1);
        expect(bad.stdout).toContain('<stdin>:4:13: error: regions[0].region: unknown region "us-ordd"');
    });

    it("uses another catalogue with --catalog or LCT_CATALOG, and refuses a broken one with exit 2", async () => {
        const custom = { ...bundledCatalog, regions: [...bundledCatalog.regions, { ...bundledCatalog.regions[0]!, id: "zz-new", vpcIndex: 99 }] };
        const cat = tmp.file("catalog.json", JSON.stringify(custom));
        const plan = tmp.file("zz.yaml", VALID.replace("us-ord", "zz-new"));
        expect((await lct(["validate", plan])).code).toBe(1);
        expect((await lct(["validate", "--catalog", cat, plan])).code).toBe(0);
        expect((await lct(["validate", plan], { env: { LCT_CATALOG: cat } })).code).toBe(0);
        const broken = await lct(["validate", "--catalog", tmp.file("broken.json", '{"source": 1}'), plan]);
        expect(broken.code).toBe(2);
        expect(broken.stderr).toMatch(/^error: catalogue .*broken\.json is malformed at source: /);
        const missing = await lct(["validate", "--catalog", "nope.json", plan], { cwd: tmp.dir });
        expect(missing).toEqual({ code: 2, stdout: "", stderr: "error: cannot read catalogue nope.json: ENOENT\n" });
    });
});

describe("lct validate: unusable input gets one clear message and exit 2, never a stack trace", () => {
    const tmp = tempDir();
    afterAll(() => tmp.cleanup());

    const aliasBomb = (() => {
        const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
        for (let i = 1; i < 9; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(",")}]`);
        return lines.join("\n");
    })();

    beforeAll(() => {
        tmp.file("malformed.yaml", "name: demo\nregions: [\n  - region: us-ord\n");
        tmp.file("bomb.yaml", aliasBomb);
        tmp.file("utf16.yaml", Buffer.from(`\ufeff${VALID}`, "utf16le"));
        tmp.file("latin1.yaml", Buffer.from("name: d\xe9mo\n", "latin1"));
        tmp.file("binary.yaml", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]));
        tmp.file("empty.yaml", "");
        tmp.file("comments.yaml", "# nothing here yet\n# still nothing\n");
        fs.mkdirSync(path.join(tmp.dir, "adir"));
        fs.writeFileSync(path.join(tmp.dir, "huge.yaml"), "");
        fs.truncateSync(path.join(tmp.dir, "huge.yaml"), 100 * 1024 * 1024); // sparse; must be refused from its size
        tmp.file("deep.yaml", "[".repeat(100_000));
        tmp.file("multi.yaml", `${VALID}---\n${VALID}`);
        tmp.file("list.yaml", "- name: demo\n- name: other\n");
    });

    const cases: Array<[string, string]> = [
        ["malformed.yaml", "error: malformed.yaml:3:3: is not valid YAML: Block collections are not allowed within flow collections"],
        ["bomb.yaml", "error: bomb.yaml: uses too many YAML aliases (an alias bomb?); expand them or simplify the file"],
        ["utf16.yaml", "error: utf16.yaml: is UTF-16 encoded; save it as UTF-8"],
        ["latin1.yaml", "error: latin1.yaml: is not valid UTF-8 text (at byte 7); save it as UTF-8"],
        ["binary.yaml", "error: binary.yaml: contains a NUL byte at offset 4: this looks like a binary file, not YAML or JSON"],
        ["empty.yaml", "error: empty.yaml: is empty: a plan needs at least a name and one region"],
        ["comments.yaml", "error: comments.yaml: is empty: a plan needs at least a name and one region"],
        ["adir", "error: adir: is a directory, not a plan file"],
        ["missing.yaml", "error: missing.yaml: no such file"],
        ["huge.yaml", "error: huge.yaml: is 100.0 MB; plans are limited to 5 MB"],
        ["deep.yaml", "error: deep.yaml: the document is nested too deeply to be a plan"],
        ["multi.yaml", "error: multi.yaml:6:1: holds several YAML documents; a plan is one document"],
        ["list.yaml", "error: list.yaml:1:1: must hold a mapping (name, regions, …) at the top, found a list"],
    ];

    it.each(cases)("%s", async (file, message) => {
        for (const command of ["validate", "show"]) {
            const r = await lct([command, file], { cwd: tmp.dir });
            expect(r).toEqual({ code: 2, stdout: "", stderr: `${message}\n` });
        }
    });

    it("checks the encoding of standard input too", async () => {
        const utf16 = await lct(["validate", "-"], { stdin: Buffer.from(`\ufeff${VALID}`, "utf16le") });
        expect(utf16).toEqual({ code: 2, stdout: "", stderr: "error: <stdin>: is UTF-16 encoded; save it as UTF-8\n" });
        const latin1 = await lct(["validate", "-"], { stdin: Buffer.from("name: d\xe9mo\n", "latin1") });
        expect(latin1).toEqual({ code: 2, stdout: "", stderr: "error: <stdin>: is not valid UTF-8 text (at byte 7); save it as UTF-8\n" });
        expect(await lct(["validate", "-"], { stdin: "" })).toEqual({ code: 2, stdout: "", stderr: "error: <stdin>: is empty: a plan needs at least a name and one region\n" });
    });

    it("the real binary prints the same messages, with no stack trace, and exits 2", async () => {
        // A sample (each spawn loads the CLI afresh); the in-process runs above cover every case.
        const sample = cases.filter(([file]) => ["malformed.yaml", "bomb.yaml", "utf16.yaml", "huge.yaml", "deep.yaml"].includes(file));
        const spawned = await Promise.all(sample.map(([file]) => run(["validate", file], tmp.dir)));
        spawned.forEach((r, i) => {
            expect(r.stderr, sample[i]![0]).not.toMatch(STACK_FRAME);
            expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr: `${sample[i]![1]}\n` });
        });
    });
});

describe("lct show", () => {
    const tmp = tempDir();
    afterAll(() => tmp.cleanup());

    it("draws the resolved plan as a tree with ports, totals and monthly cost", async () => {
        const r = await lct(["show", "templates/quickstart.yaml"]);
        expect(r.code).toBe(0);
        expect(r.stderr).toBe("");
        const lines = r.stdout.split("\n");
        expect(lines[0]).toBe("quickstart — Two-region web tier with a database pair and a bastion");
        expect(lines).toContain("├─ us-ord (Chicago, IL) · VPC 10.31.0.0/16");
        expect(lines).toContain("├─ eu-central (Frankfurt, DE) · private IPv4");
        expect(r.stdout).toMatch(/│  ├─ db  role postgresql · 2 × g6-dedicated-4 \(4 vCPU, 8 GB\) · linode\/debian12 · boot 1 · baseline\/cloud-init · anti-affinity · \$164\.00\/month/);
        expect(r.stdout).toMatch(/quickstart-us-ord-db-1 {2}10\.31\.\d+\.10 {2}db-1\.us-ord\.example\.com {2}data 100 GB → \/var\/lib\/postgresql/);
        expect(lines).toContain("│  │     └─ service postgresql 5432/tcp ← us-ord/db, us-ord/web, eu-central/web");
        expect(lines).toContain("│        └─ load-balancer web-ord-80 8080/tcp ← 192.168.255.0/24");
        expect(lines).toContain("│  └─ :80 http roundrobin → us-ord/web:8080 (3 nodes, check http /healthz)");
        expect(lines).toContain("└─ DNS example.com: 8 A records");
        // From the catalogue: nanode 1 vCPU/1 GB/25 GB; dedicated-4 4/8/160; standard-2 2/4/80 (×3 and ×2).
        expect(lines).toContain(
            "Totals: 8 nodes in 4 groups and 2 regions · 19 vCPUs · 37 GB memory · 745 GB disk · 2 volumes, 200 GB block storage · 1 NodeBalancer",
        );
        // $5 + 2×$72 + 200 GB×$0.10 + 5×$24 + one NodeBalancer $10.
        expect(lines).toContain("Cost: $299.00/month ($0.4485/hour) (catalogue of 2026-07-01)");
    });

    it("lists the first three nodes of a group unless --all-nodes", async () => {
        const file = tmp.file("many.yaml", VALID.replace("count: 2", "count: 5"));
        const some = await lct(["show", file]);
        expect(some.stdout).toContain("… 2 more (--all-nodes)");
        expect(some.stdout).not.toContain("demo-us-ord-web-4");
        const all = await lct(["show", "--all-nodes", file]);
        expect(all.stdout).toContain("demo-us-ord-web-5");
        expect(all.stdout).not.toContain("more (--all-nodes)");
    });

    it("--json gives the resolved plan, totals and cost", async () => {
        const r = await lct(["show", "--json", "templates/quickstart.yaml"]);
        expect(r.code).toBe(0);
        const out = JSON.parse(r.stdout);
        expect(Object.keys(out)).toEqual(["plan", "totals", "cost", "warnings"]);
        expect(out.plan.nodes).toHaveLength(8);
        expect(out.totals).toEqual({ regions: 2, groups: 4, nodes: 8, vcpus: 19, memoryGb: 37, diskGb: 745, volumes: 2, blockStorageGb: 200, loadBalancers: 1 });
        expect(out.cost.total).toEqual({ monthly: 299, hourly: 0.4485 });
    });

    it("exits 1 for an invalid plan: issues on stderr, or JSON with --json", async () => {
        const file = tmp.file("bad.yaml", VALID.replace("count: 2", "count: 0"));
        const text = await lct(["show", file]);
        expect(text).toEqual({
            code: 1,
            stdout: "",
            stderr: `${file}:5:38: error: regions[0].nodeGroups[0].count: must be at least 1\n${file}: invalid; fix the errors above (lct validate ${file})\n`,
        });
        const json = await lct(["show", "--json", file]);
        expect(json.code).toBe(1);
        expect(JSON.parse(json.stdout)).toMatchObject({ valid: false, errors: 1, issues: [{ path: "regions[0].nodeGroups[0].count", line: 5, column: 38 }] });
    });
});

describe("usage", () => {
    it("--help works everywhere and exits 0", async () => {
        for (const args of [["--help"], ["validate", "--help"], ["show", "--help"], ["catalog", "--help"], ["catalog", "regions", "--help"], ["catalog", "types", "--help"], ["catalog", "images", "--help"], ["catalog", "refresh", "--help"], ["help", "validate"]]) {
            const r = await lct(args);
            expect(r.code, args.join(" ")).toBe(0);
            expect(r.stdout, args.join(" ")).toMatch(/^Usage: lct/);
        }
    });

    it("exits 2 for usage errors, with a hint", async () => {
        const cases: Array<[string[], string]> = [
            [[], "Usage: lct"],
            [["validate"], "error: missing required argument 'plan'"],
            [["validate", "a.yaml", "b.yaml"], "error: too many arguments for 'validate'. Expected 1 argument but got 2."],
            [["validate", "--frob", "a.yaml"], "error: unknown option '--frob'"],
            [["frobnicate"], "error: unknown command 'frobnicate'"],
        ];
        for (const [args, message] of cases) {
            const r = await lct(args);
            expect(r.code, args.join(" ")).toBe(2);
            expect(r.stderr, args.join(" ")).toContain(message);
        }
    });
});

describe("the real binary", () => {
    it("validates the quickstart with exit 0", async () => {
        const r = await run(["validate", QUICKSTART], ROOT);
        expect(r).toEqual({ code: 0, stdout: `${QUICKSTART}: valid — 8 nodes in 4 groups across 2 regions\n`, stderr: "" });
    });

    it("ends quietly when the reader closes the pipe early", async () => {
        const r = await run(["catalog", "types"], ROOT, { closeStdout: true });
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
    });
});

/** Runs bin/lct.js in a child process. */
function run(args: string[], cwd: string, opts: { closeStdout?: boolean } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [path.join(ROOT, "bin", "lct.js"), ...args], { cwd, env: { PATH: process.env.PATH ?? "", HOME: cwd } });
        let stdout = "";
        let stderr = "";
        if (opts.closeStdout) child.stdout.destroy();
        else child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}
