/**
 * The CLI from compiled output, as `npm ci` / `npm run build` leave it — not from the sources
 * through tsx, which every other CLI test uses. Each case builds into a temporary copy of the
 * package, so the checkout's own dist/ is never touched.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;

let tmp: string;
beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lct-compiled-"));
});
afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
});

/** A package folder: bin/lct.js, package.json, templates/ and Pulumi.yaml copied, node_modules linked; `sources` copies sdk/ and sim/ too. */
function packageCopy(name: string, sources: boolean): string {
    const dir = path.join(tmp, name);
    fs.mkdirSync(path.join(dir, "bin"), { recursive: true });
    fs.copyFileSync(path.join(ROOT, "bin", "lct.js"), path.join(dir, "bin", "lct.js"));
    for (const f of ["package.json", "Pulumi.yaml", "tsconfig.json"]) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
    fs.cpSync(path.join(ROOT, "templates"), path.join(dir, "templates"), { recursive: true });
    if (sources) for (const d of ["sdk", "sim"]) fs.cpSync(path.join(ROOT, d), path.join(dir, d), { recursive: true });
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}

/** Runs the package's bin/lct.js; with LCT_DEBUG the first stderr line names the code that ran. */
function lct(pkg: string, args: string[], env: Record<string, string> = {}) {
    const r = spawnSync(process.execPath, [path.join(pkg, "bin", "lct.js"), ...args], {
        cwd: pkg,
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", HOME: tmp, LCT_DEBUG: "1", ...env },
        timeout: 60_000,
    });
    const [ran, ...rest] = r.stderr.split("\n");
    return { code: r.status, stdout: r.stdout, ran: ran ?? "", stderr: rest.join("\n") };
}

function expectWorkingCli(pkg: string, ran: string): void {
    const help = lct(pkg, ["--help"]);
    expect(help, help.stderr).toMatchObject({ code: 0, ran: `lct: running ${ran}` });
    expect(help.stdout).toContain("Usage: lct [options] [command]");
    expect(help.stdout).toContain("validate [options] <plan>");
    expect(lct(pkg, ["--version"]).stdout).toBe(`${VERSION}\n`);
    // A plan file: templates/kafka.yaml is a template, checked as the plan its defaults render.
    const file = lct(pkg, ["validate", "templates/kafka.yaml"]);
    expect(file, file.stderr).toMatchObject({ code: 0, ran: `lct: running ${ran}`, stdout: "templates/kafka.yaml: valid — 6 nodes in 2 groups across 1 region\n" });
    // A bundled template by name: found in the package's templates/ whatever the code's depth.
    const named = lct(pkg, ["validate", "kafka"]);
    expect(named, named.stderr).toMatchObject({ code: 0, stdout: "kafka: valid — 6 nodes in 2 groups across 1 region\n" });
}

describe("the compiled CLI", () => {
    it("runs from tsc output (npm run build) in a package without sources", () => {
        const pkg = packageCopy("tsc", false);
        const tsc = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json", "--outDir", path.join(pkg, "dist"), "--declaration", "false", "--sourceMap", "false"], {
            cwd: ROOT,
            encoding: "utf8",
        });
        // Type errors are the type check's business; the emitted JavaScript is what runs here.
        expect(fs.existsSync(path.join(pkg, "dist", "sdk", "cli", "main.js")), tsc.stdout + tsc.stderr).toBe(true);
        expectWorkingCli(pkg, "dist/sdk/cli/main.js");
    }, 240_000);

    it("runs from the bundle while it is up to date, and from the sources once a source is newer or gone", () => {
        const pkg = packageCopy("bundle", true);
        const launcher = require(path.join(pkg, "bin", "lct.js")) as { buildCli(): boolean; bundleIsFresh(): boolean };
        // The launcher's own module: ROOT there is the copy, so the build goes to its dist/.
        expect(launcher.buildCli()).toBe(true);
        const bundle = path.join(pkg, "dist", "cli", "lct.cjs");
        expect(fs.existsSync(bundle)).toBe(true);
        // The build warmed the V8 code cache with a `validate` run.
        expect(fs.statSync(`${bundle}.cache`).size).toBeGreaterThan(100_000);
        expectWorkingCli(pkg, "dist/cli/lct.cjs");

        expect(lct(pkg, ["--version"], { LCT_FROM_SOURCES: "1" }).ran).toBe("lct: running the sources through tsx (LCT_FROM_SOURCES=1)");

        // An edit (a newer mtime) makes the bundle stale: the sources run, correctly, until it is rebuilt.
        const edited = path.join(pkg, "sdk", "plan", "limits.ts");
        const later = new Date(fs.statSync(bundle).mtimeMs + 2_000);
        fs.utimesSync(edited, later, later);
        const stale = lct(pkg, ["validate", "templates/kafka.yaml"]);
        expect(stale).toMatchObject({ code: 0, ran: "lct: running the sources through tsx (dist/cli/lct.cjs is older than them; npm run build:cli)" });
        expect(launcher.buildCli()).toBe(true);
        expect(lct(pkg, ["--version"]).ran).toBe("lct: running dist/cli/lct.cjs");

        // A removed file shows in its folder's mtime.
        fs.rmSync(path.join(pkg, "sdk", "templates", "write-docs.ts"));
        expect(launcher.bundleIsFresh()).toBe(false);
        expect(lct(pkg, ["--version"]).ran).toMatch(/^lct: running the sources through tsx/);
    }, 240_000);
});
