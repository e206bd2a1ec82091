#!/usr/bin/env node
"use strict";
/*
 * Starts the CLI, fastest first:
 *
 * 1. dist/cli/lct.cjs: the CLI as one esbuild bundle (`npm run build:cli`; `npm ci` builds it
 *    through the `prepare` script), loaded with a V8 code cache next to it. One file instead of
 *    hundreds to resolve and compile, and no transpiling or source-mapped stack traces: tsx
 *    costs 0.5–1.5 s per command. In a checkout it runs only while it is up to date — built
 *    after the last change to any of its inputs (by mtime: git gives every file it writes on
 *    checkout and pull a new mtime, and adding or removing a file changes its folder's) — so a
 *    `git pull` or an edit never runs old code; until it is rebuilt the sources run instead.
 * 2. The TypeScript sources through tsx (a checkout needs no build step). tsx's main entry
 *    registers both hooks: require() for static imports, the ESM loader for `import()`.
 * 3. dist/sdk/cli/main.js (`npm run build`, tsc), for a package shipped without sources.
 *
 * LCT_FROM_SOURCES=1 always runs the sources; with LCT_DEBUG set, the first line on stderr
 * says which code runs.
 */
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const BUNDLE = path.join(ROOT, "dist", "cli", "lct.cjs");
const SOURCE_MAIN = path.join(ROOT, "sdk", "cli", "main.ts");
const TSC_MAIN = path.join(ROOT, "dist", "sdk", "cli", "main.js");
/** Besides the sources the bundle lists as its inputs: what decides the bundled packages and esbuild's settings. */
const INPUT_FILES = ["package.json", "package-lock.json", "tsconfig.json"];
/**
 * Packages inlined into the bundle: those `lct validate` loads (one file loads faster than
 * their hundreds). Every other package stays external — @pulumi/* reads its own files.
 */
const BUNDLED_PACKAGES = new Set(["commander", "picocolors", "yaml", "zod"]);

function mtimeMs(file) {
    try {
        return fs.statSync(file).mtimeMs;
    } catch {
        return undefined;
    }
}

/**
 * The newest mtime of the bundle's inputs: the source files esbuild read (listed next to the
 * bundle at build time), their folders (a folder's mtime changes when an entry is added,
 * removed or renamed) and INPUT_FILES. Infinity when an input is gone or the list is missing.
 */
function newestInputMtime(bundle = BUNDLE, root = ROOT) {
    let inputs;
    try {
        inputs = JSON.parse(fs.readFileSync(`${bundle}.inputs.json`, "utf8"));
    } catch {
        return Infinity;
    }
    let newest = 0;
    // Every run pays for these ~250 stats: plain string paths, no path.join.
    for (const p of [...inputs.files, ...inputs.folders]) {
        const m = mtimeMs(`${root}/${p}`);
        if (m === undefined) return Infinity;
        if (m > newest) newest = m;
    }
    for (const f of INPUT_FILES) newest = Math.max(newest, mtimeMs(`${root}/${f}`) ?? 0);
    return newest;
}

/** Whether the bundle was built from the inputs as they are now (its mtime is when its build started). */
function bundleIsFresh(bundle = BUNDLE, root = ROOT) {
    const built = mtimeMs(bundle);
    return built !== undefined && built >= newestInputMtime(bundle, root);
}

/**
 * Runs the bundle with a V8 code cache: compiling 2 MB of JavaScript is a good part of a
 * short command. The cache is written after the first run (then it holds the functions that
 * run compiled, not only the top level), and again whenever V8 rejects it (another Node).
 */
function runBundle(argv) {
    const vm = require("node:vm");
    const { createRequire } = require("node:module");
    const cacheFile = `${BUNDLE}.cache`;
    let cachedData;
    try {
        cachedData = fs.readFileSync(cacheFile);
    } catch {
        cachedData = undefined;
    }
    const source = fs.readFileSync(BUNDLE, "utf8");
    const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: BUNDLE, cachedData });
    if (cachedData === undefined || script.cachedDataRejected) {
        process.once("exit", () => writeAtomically(cacheFile, script.createCachedData()));
    }
    const mod = { exports: {} };
    script.runInThisContext()(mod.exports, createRequire(BUNDLE), mod, BUNDLE, path.dirname(BUNDLE));
    mod.exports.main(argv);
}

/** Concurrent runs may write the cache at once: each writes its own file and renames it. */
function writeAtomically(file, data) {
    const tmp = `${file}.${process.pid}.tmp`;
    try {
        fs.writeFileSync(tmp, data);
        fs.renameSync(tmp, file);
    } catch {
        // A read-only installation: run without a cache.
        fs.rmSync(tmp, { force: true });
    }
}

function launch(argv) {
    const haveSources = fs.existsSync(SOURCE_MAIN);
    const trace = (what) => process.env.LCT_DEBUG && process.stderr.write(`lct: running ${what}\n`);
    if (process.env.LCT_FROM_SOURCES !== "1") {
        if (fs.existsSync(BUNDLE) && (!haveSources || bundleIsFresh())) {
            trace(path.relative(ROOT, BUNDLE));
            return runBundle(argv);
        }
        if (!haveSources && fs.existsSync(TSC_MAIN)) {
            trace(path.relative(ROOT, TSC_MAIN));
            return require(TSC_MAIN).main(argv);
        }
    }
    if (!haveSources) {
        process.stderr.write(`lct: neither ${path.relative(ROOT, BUNDLE)} nor the sources are there; reinstall the package\n`);
        process.exitCode = 2;
        return;
    }
    const why = process.env.LCT_FROM_SOURCES === "1" ? " (LCT_FROM_SOURCES=1)" : fs.existsSync(BUNDLE) ? ` (${path.relative(ROOT, BUNDLE)} is older than them; npm run build:cli)` : "";
    trace(`the sources through tsx${why}`);
    import("tsx").then(() => require(SOURCE_MAIN).main(argv));
}

/**
 * Bundles the CLI (`npm run build:cli`, and `prepare` on `npm ci`). esbuild comes with tsx.
 * Tolerant (for `prepare`): a failure is a warning, since the sources still run — a broken
 * build must not break `npm ci`. The bundle's mtime is set to when the build started, so that
 * an edit made while it builds leaves it stale. Returns whether it built.
 */
function buildCli({ tolerant = false, root = ROOT, outfile = path.join(root, "dist", "cli", "lct.cjs") } = {}) {
    const started = new Date();
    for (const f of [outfile, `${outfile}.cache`, `${outfile}.inputs.json`]) fs.rmSync(f, { force: true });
    try {
        const esbuild = loadEsbuild(root);
        const result = esbuild.buildSync({
            absWorkingDir: root,
            entryPoints: ["sdk/cli/main.ts"],
            outfile,
            bundle: true,
            platform: "node",
            format: "cjs",
            target: `node${process.versions.node.split(".")[0]}`,
            logLevel: "error",
            metafile: true,
            // Imports of the other packages stay require()s (buildSync takes no plugins, hence a list).
            external: externalPackages(root),
        });
        // runBundle gives vm.Script no loader for import(): esbuild turns import() of bundled
        // modules into require()s, so only an import() of an external package would fail there.
        const dynamic = Object.values(result.metafile.outputs).flatMap((o) => o.imports).filter((i) => i.kind === "dynamic-import" && i.external);
        if (dynamic.length > 0) throw new Error(`import() of ${dynamic.map((i) => i.path).join(", ")}: use require() in the sources`);
        // What the bundle is made of (paths relative to the root), for bundleIsFresh; packages are covered by package-lock.json.
        const files = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith("node_modules/") && !p.includes("/node_modules/"));
        const folders = [...new Set(files.map((f) => path.posix.dirname(f)))];
        fs.writeFileSync(`${outfile}.inputs.json`, JSON.stringify({ files, folders }));
        fs.utimesSync(outfile, started, started);
        // The first run writes the code cache: make it one that compiles what `validate` needs.
        if (outfile === path.join(root, "dist", "cli", "lct.cjs")) {
            require("node:child_process").spawnSync(process.execPath, [path.join(root, "bin", "lct.js"), "validate", "kafka"], {
                cwd: root,
                stdio: "ignore",
                env: { ...process.env, LCT_FROM_SOURCES: "" },
            });
        }
        return true;
    } catch (e) {
        for (const f of [outfile, `${outfile}.inputs.json`]) fs.rmSync(f, { force: true });
        if (!tolerant) throw e;
        process.stderr.write(`lct: could not bundle the CLI (${String(e.message).split("\n")[0]}); it runs from the sources through tsx\n`);
        return false;
    }
}

function loadEsbuild(root) {
    try {
        return require(require.resolve("esbuild", { paths: [root] }));
    } catch {
        // Not hoisted: the copy tsx depends on.
        return require(require.resolve("esbuild", { paths: [path.dirname(require.resolve("tsx", { paths: [root] }))] }));
    }
}

/** Every dependency not in BUNDLED_PACKAGES, with its subpaths (`@pulumi/pulumi/automation`). */
function externalPackages(root) {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    const names = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.peerDependencies }).filter((n) => !BUNDLED_PACKAGES.has(n));
    return names.flatMap((n) => [n, `${n}/*`]);
}

module.exports = { buildCli, bundleIsFresh, newestInputMtime };

if (require.main === module) launch(process.argv);
