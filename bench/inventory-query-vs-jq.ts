/**
 * Inventory query over a big `pulumi stack export` vs jq running the same tag filter.
 *
 *   npx tsx bench/inventory-query-vs-jq.ts [--resources 50000] [--tag lct:role=kafka-broker] [--keep]
 *
 * Writes a realistic 50,000-resource stack export (instances with their full @pulumi/linode
 * outputs, volumes, DNS records, firewalls, components, providers, the LCT inventory output),
 * then times, once each on the same file:
 *   - jq:          jq -r '<select instances with the tag> | .outputs.label' file
 *   - lct (CLI):   node bin/lct.js inventory query 'tag=<tag>' --stack-export file --format labels
 *                  (what a user runs: process start, module loading, read, parse, query, print)
 *   - lct (library): parseStackExport(readFileSync(file)) + selectNodes(…, 'tag=<tag>') in this process
 * and checks that all three print the same labels. Prints a table with the ratios.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { selectNodes } from "../sdk/inventory/select";
import { parseStackExport } from "../sdk/inventory/stack-export";
import { writeSyntheticStackExport } from "../test/support/stack-exports";

function arg(name: string, fallback: string): string {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const REPO = path.join(__dirname, "..");
const resources = Number(arg("resources", "50000"));
const tag = arg("tag", "lct:role=kafka-broker");
const keep = process.argv.includes("--keep");

function timed<T>(fn: () => T): { ms: number; value: T } {
    const t0 = process.hrtime.bigint();
    const value = fn();
    return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

function labelsOf(stdout: string): string[] {
    return stdout.split("\n").filter((l) => l.length > 0).sort();
}

function main(): void {
    const jq = spawnSync("jq", ["--version"], { encoding: "utf8" });
    if (jq.status !== 0) {
        console.error('jq not found: install the Debian package "jq" (listed in .ci/apt-packages.txt)');
        process.exit(2);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lct-bench-"));
    const file = path.join(dir, "stack-export.json");
    try {
        const gen = timed(() => writeSyntheticStackExport(file, { resources }));
        const summary = gen.value;
        const expected = summary.countsByTag[tag] ?? 0;
        console.log(
            `stack export: ${summary.resources.toLocaleString("en")} resources, ${summary.instances.toLocaleString("en")} instances, ` +
                `${(summary.bytes / 1e6).toFixed(1)} MB (written in ${(gen.ms / 1000).toFixed(1)} s); tag "${tag}" on ${expected} instances`,
        );

        const filter = `.deployment.resources[] | select(.type == "linode:index/instance:Instance") | select(any(.outputs.tags[]?; . == ${JSON.stringify(tag)})) | .outputs.label`;
        const jqRun = timed(() => spawnSync("jq", ["-r", filter, file], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 }));
        if (jqRun.value.status !== 0) throw new Error(`jq failed: ${jqRun.value.stderr}`);

        // One untimed run first so that tsx's transpile cache is warm, as it is for any user after
        // their first command; the timed run then measures a normal invocation.
        const lct = [path.join(REPO, "bin", "lct.js"), "inventory", "query", `tag=${tag}`, "--stack-export", file, "--format", "labels"];
        spawnSync(process.execPath, [path.join(REPO, "bin", "lct.js"), "--version"], { encoding: "utf8" });
        const cliRun = timed(() => spawnSync(process.execPath, lct, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 }));
        if (cliRun.value.status !== 0) throw new Error(`lct failed: ${cliRun.value.stderr}`);

        const libRun = timed(() => selectNodes(parseStackExport(fs.readFileSync(file, "utf8")).inventories, `tag=${tag}`));

        const fromJq = labelsOf(jqRun.value.stdout);
        const fromCli = labelsOf(cliRun.value.stdout);
        const fromLib = libRun.value.map((n) => n.label).sort();
        const agree = fromJq.length === expected && JSON.stringify(fromJq) === JSON.stringify(fromCli) && JSON.stringify(fromJq) === JSON.stringify(fromLib);
        if (!agree) throw new Error(`answers differ: jq ${fromJq.length}, lct CLI ${fromCli.length}, library ${fromLib.length}, expected ${expected}`);

        const rows: Array<[string, number]> = [
            ["jq -r (same tag filter)", jqRun.ms],
            ["lct inventory query (CLI, new process)", cliRun.ms],
            ["parseStackExport + selectNodes (library)", libRun.ms],
        ];
        const width = Math.max(...rows.map((r) => r[0].length));
        console.log(`\n${"".padEnd(width)}  time (ms)  jq ÷ this`);
        for (const [name, ms] of rows) console.log(`${name.padEnd(width)}  ${ms.toFixed(0).padStart(9)}  ${(jqRun.ms / ms).toFixed(2).padStart(8)}×`);
        console.log(`\nall three found the same ${fromJq.length} instances; one run each (${process.version}, ${jq.stdout.trim()}, ${os.cpus().length} CPUs)`);
        console.log(
            "RESULT " +
                JSON.stringify({
                    bench: "inventory-query-vs-jq",
                    resources: summary.resources,
                    bytes: summary.bytes,
                    matches: fromJq.length,
                    jqMs: Math.round(jqRun.ms),
                    lctCliMs: Math.round(cliRun.ms),
                    lctLibraryMs: Math.round(libRun.ms),
                    cliSpeedup: +(jqRun.ms / cliRun.ms).toFixed(2),
                    librarySpeedup: +(jqRun.ms / libRun.ms).toFixed(2),
                }),
        );
    } finally {
        if (keep) console.log(`kept ${file}`);
        else fs.rmSync(dir, { recursive: true, force: true });
    }
}

main();
