#!/usr/bin/env node
/* eslint-disable */
"use strict";
/**
 * A stand-in for the `pulumi` CLI, for tests of LCT's lifecycle commands (see ./index.ts, which
 * installs it as <home>/bin/pulumi). It answers every invocation the Automation API (and LCT's
 * own stdin-fed `config set --secret`) makes, the way pulumi 3.x does:
 *
 *   version · whoami --json · stack select|init|rm|ls|output|export|history · config (list,
 *   set, set-all, rm, rm-all, get) · up · preview · refresh · destroy
 *
 * It keeps stacks as JSON (in a file:// backend's folder, as pulumi does, else under
 * <home>/state) and, like pulumi, each stack's settings — its config and, for passphrase
 * stacks, the encryption salt — in `Pulumi.<stack>.yaml` next to the project's Pulumi.yaml (the
 * folder it runs in), so a test sees where the real CLI would write. It runs the project's real
 * program (Pulumi.yaml `main`, located as pulumi does: relative, inside the project folder; run
 * from main's folder with the project's `nodeargs`) under Pulumi's mock runtime for up/preview
 * (./run-program.ts): a program that throws fails the update as pulumi does (exit 255, the error
 * as an engine diagnostic), and its log.warn/log.error calls become diagnostics too. Engine
 * events go where the Automation API asked: appended to the `--event-log` file (CLI ≤ 3.205)
 * or streamed over gRPC to `--event-log tcp://…` (newer CLIs).
 *
 * Every call is appended to <home>/calls.jsonl: argv, cwd, PULUMI_* and LINODE_* variables —
 * secret ones (tokens, the passphrase) only as {set, sha256, length} — and standard input as
 * {bytes, sha256}. Secret config values are stored only as sha256 and length: no plaintext
 * secret is ever written by the fake.
 *
 * Scenario (JSON, FAKE_PULUMI_SCENARIO or <home>/scenario.json), all optional:
 *   version        CLI version to report (default 3.212.0; ≤ 3.205 uses the event-log file)
 *   fail           [{ command: "up" | "stack select" | …, exitCode, stderr, stdout, times }]
 *   locked         true: up/preview/refresh/destroy fail with the backend's lock message
 *   failResource   { name, message }: that resource's create fails during up
 *   leakEnv        ["LINODE_TOKEN", …]: up prints these values on stdout (tests redaction)
 *   program        "real" (default) or "canned" with cannedResources: [{type, name, parent?, protect?}]
 *   loggedIn       false: a Pulumi Cloud backend rejects the access token (401)
 *   editBeforeProgram { file, from, to }: replaced in that file just before the real program
 *                  runs — someone editing the plan between lct's check and pulumi's run
 */
const fs = require("fs");
const path = require("path");
const os = require("os");
const crypto = require("crypto");
const cp = require("child_process");

const HOME = process.env.FAKE_PULUMI_HOME;
const REPO = path.resolve(__dirname, "..", "..", "..");
const SECRET_ENV = new Set(["PULUMI_CONFIG_PASSPHRASE", "PULUMI_ACCESS_TOKEN", "LINODE_TOKEN", "LINODE_CLI_TOKEN"]);
const VALUE_FLAGS = new Set([
    "--stack", "-s", "--secrets-provider", "--event-log", "--exec-kind", "--color", "--page-size", "--page", "--message", "-m",
    "--client", "--config-file", "--parallel", "-p", "--target", "--exclude", "--replace", "--policy-pack", "--policy-pack-config",
    "--exec-agent", "--save-plan", "--plan", "--import-file", "--verbose", "-v", "--tracing", "--file", "--cwd", "-C",
]);
const BOOL_FLAGS = new Set([
    "--yes", "-y", "--skip-preview", "-f", "--non-interactive", "--json", "-j", "--show-secrets", "--secret", "--plaintext", "--path",
    "--force", "--preserve-config", "--refresh", "-r", "--diff", "--expect-no-changes", "--exclude-protected", "--preview-only",
    "--remove", "--suppress-outputs", "--suppress-progress", "--debug", "-d", "--logflow", "--logtostderr", "--all", "-a",
    "--target-dependents", "--exclude-dependents", "--continue-on-error", "--clear-pending-creates", "--no-select", "--create", "-c",
]);

function sha256(s) {
    return crypto.createHash("sha256").update(s).digest("hex");
}

function readJson(file, fallback) {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch {
        return fallback;
    }
}

const scenario = readJson(process.env.FAKE_PULUMI_SCENARIO || path.join(HOME || "/nonexistent", "scenario.json"), {});
const VERSION = scenario.version || "3.212.0";

class Exit extends Error {
    constructor(code, stderr = "", stdout = "") {
        super(`exit ${code}`);
        this.code = code;
        this.stderr = stderr;
        this.stdout = stdout;
    }
}
const fail = (stderr, code = 255, stdout = "") => {
    throw new Exit(code, stderr.endsWith("\n") ? stderr : stderr + "\n", stdout);
};

function parseArgs(argv) {
    const words = [];
    const flags = {};
    let i = 0;
    for (; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--") {
            words.push(...argv.slice(i + 1));
            break;
        }
        if (a.startsWith("-") && a !== "-") {
            const eq = a.indexOf("=");
            const name = eq > 0 ? a.slice(0, eq) : a;
            if (VALUE_FLAGS.has(name)) {
                const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
                if (v === undefined) fail(`error: flag needs an argument: ${name}`, 255);
                (flags[name] = flags[name] || []).push(v);
            } else if (BOOL_FLAGS.has(name) || name === "--run-program" || name === "--generate-code" || name === "--protect") {
                flags[name] = [eq > 0 ? a.slice(eq + 1) : "true"];
            } else fail(`error: unknown flag: ${name}`, 255);
        } else words.push(a);
    }
    const one = (n) => (flags[n] ? flags[n][flags[n].length - 1] : undefined);
    const has = (n) => flags[n] !== undefined && flags[n][0] !== "false";
    return { words, flags, one, has };
}

function envRecord() {
    const env = {};
    for (const [k, v] of Object.entries(process.env)) {
        if (!/^(PULUMI_|LINODE_)/.test(k)) continue;
        env[k] = SECRET_ENV.has(k) ? { set: true, sha256: sha256(v), length: v.length } : v;
    }
    return env;
}

function log(entry) {
    if (!HOME) return;
    fs.appendFileSync(path.join(HOME, "calls.jsonl"), JSON.stringify(entry) + "\n");
}

async function readStdin() {
    const chunks = [];
    for await (const c of process.stdin) chunks.push(c);
    return Buffer.concat(chunks).toString("utf8");
}

// ---- backends and stacks --------------------------------------------------------------------

function backend() {
    const url = process.env.PULUMI_BACKEND_URL;
    if (!url) fail("error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions");
    if (url.startsWith("https://") || url.startsWith("http://")) {
        if (!process.env.PULUMI_ACCESS_TOKEN) fail("error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions");
        if (scenario.loggedIn === false) fail(`error: problem logging in: getting user info from ${url}: [401] Unauthorized: No credentials provided or are invalid.`);
        return { url, kind: "service", dir: path.join(HOME, "state", sha256(url).slice(0, 12)) };
    }
    if (url.startsWith("file://")) {
        const dir = url.slice("file://".length).replace(/^~(?=\/|$)/, os.homedir());
        if (!fs.existsSync(dir)) fail(`error: problem logging in: unable to open bucket ${url}: open ${dir}: no such file or directory`);
        return { url, kind: "file", dir: path.join(dir, ".pulumi", "stacks") };
    }
    return { url, kind: "self-managed", dir: path.join(HOME, "state", sha256(url).slice(0, 12)) };
}

const YAML = require(path.join(REPO, "node_modules", "yaml"));

function project(cwd) {
    const file = path.join(cwd, "Pulumi.yaml");
    if (!fs.existsSync(file)) {
        fail(`error: no Pulumi.yaml project file found (searching upwards from ${cwd}). If you have not created a project yet, use \`pulumi new\` to do so: no project file found`);
    }
    const doc = YAML.parse(fs.readFileSync(file, "utf8")) || {};
    const options = (doc.runtime && typeof doc.runtime === "object" && doc.runtime.options) || {};
    return { name: doc.name, main: doc.main, config: doc.config || {}, file, dir: cwd, nodeargs: typeof options.nodeargs === "string" ? options.nodeargs : "" };
}

/**
 * Where the program runs, as pulumi decides it (pkg/engine getPwdMain): `main` must be relative
 * and inside the project folder; a folder runs from itself, a file from its folder.
 */
function programLocation(proj) {
    if (!proj.main) return { pwd: proj.dir, entry: "." };
    if (path.isAbsolute(proj.main)) fail("error: project 'main' must be a relative path");
    const root = path.normalize(proj.dir);
    const main = path.normalize(path.join(root, proj.main));
    if (!main.startsWith(root)) fail("error: project 'main' must be a subfolder");
    let stat;
    try {
        stat = fs.statSync(main);
    } catch (e) {
        fail(`error: project 'main' could not be read: stat ${main}: no such file or directory`);
    }
    return stat.isDirectory() ? { pwd: main, entry: "." } : { pwd: path.dirname(main), entry: path.basename(main) };
}

// ---- stack settings: Pulumi.<stack>.yaml in the project folder ------------------------------------

function settingsFile(proj, name) {
    return path.join(proj.dir, `Pulumi.${name}.yaml`);
}

/** A secret as the fake writes it: its sha256 and length, never the value (pulumi writes ciphertext). */
const SECURE_PREFIX = "v1:fake-sha256:";

function readSettings(proj, name) {
    const f = settingsFile(proj, name);
    if (!fs.existsSync(f)) return {};
    return YAML.parse(fs.readFileSync(f, "utf8")) || {};
}

function configFromSettings(settings) {
    const config = {};
    for (const [k, v] of Object.entries(settings.config || {})) {
        if (v && typeof v === "object" && typeof v.secure === "string" && v.secure.startsWith(SECURE_PREFIX)) {
            const [sha, length] = v.secure.slice(SECURE_PREFIX.length).split(":");
            config[k] = { secret: true, sha256: sha, length: Number(length) };
        } else config[k] = { secret: false, value: typeof v === "string" ? v : JSON.stringify(v) };
    }
    return config;
}

/** Writes the stack's settings file as pulumi does: its config, with the secrets provider's state. */
function saveSettings(proj, s) {
    const doc = { ...readSettings(proj, s.name) };
    delete doc.config;
    if (s.secretsProvider === "passphrase") {
        // pulumi makes a salt when a passphrase stack's file has none (a new stack, a lost file).
        doc.encryptionsalt = doc.encryptionsalt || `v1:${crypto.randomBytes(8).toString("base64")}:v1:${crypto.randomBytes(12).toString("base64")}:${crypto.randomBytes(24).toString("base64")}`;
    } else if (s.secretsProvider !== "service") {
        doc.secretsprovider = s.secretsProvider;
        doc.encryptedkey = doc.encryptedkey || crypto.randomBytes(24).toString("base64");
    }
    const config = {};
    for (const [k, v] of Object.entries(s.config)) config[k] = v.secret ? { secure: `${SECURE_PREFIX}${v.sha256}:${v.length}` } : v.value;
    if (Object.keys(config).length) doc.config = config;
    fs.writeFileSync(settingsFile(proj, s.name), YAML.stringify(doc));
}

function stackName(full) {
    if (!full) fail("error: no stack selected; use `pulumi stack select` to select one");
    return full.split("/").pop();
}

function stackFile(be, proj, name) {
    return path.join(be.dir, proj.name, `${name}.json`);
}

/** The stack: its state from the backend, its config from the settings file in the project folder. */
function loadStack(be, proj, name) {
    const s = readJson(stackFile(be, proj, name), undefined);
    if (!s) fail(`error: no stack named '${name}' found`);
    s.config = configFromSettings(readSettings(proj, name));
    return s;
}

/** The backend's part only: config never goes there (it is in the settings file). */
function saveStack(be, proj, s) {
    const f = stackFile(be, proj, s.name);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    const { config: _config, ...state } = s;
    fs.writeFileSync(f, JSON.stringify(state, null, 2));
}

/** The passphrase in effect (from the variable or the file), or undefined. */
function passphrase() {
    if (process.env.PULUMI_CONFIG_PASSPHRASE_FILE) {
        try {
            return fs.readFileSync(process.env.PULUMI_CONFIG_PASSPHRASE_FILE, "utf8").replace(/\r?\n$/, "");
        } catch (e) {
            fail(`error: unable to read PULUMI_CONFIG_PASSPHRASE_FILE: ${e.message}`);
        }
    }
    return process.env.PULUMI_CONFIG_PASSPHRASE;
}

/** What pulumi checks before it encrypts or decrypts anything of a passphrase stack. */
function needSecrets(s) {
    if (s.secretsProvider !== "passphrase") return;
    const p = passphrase();
    if (p === undefined) {
        fail(
            "error: constructing secrets manager of type \"passphrase\": passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables",
        );
    }
    if (sha256(p) !== s.passphraseSha256) fail("error: constructing secrets manager of type \"passphrase\": incorrect passphrase");
}

function urnOf(s, type, name) {
    return `urn:pulumi:${s.name}::${s.project}::${type}::${name}`;
}

// ---- engine events ------------------------------------------------------------------------------

class Events {
    constructor(target) {
        this.target = target;
        this.seq = 0;
        this.pending = [];
        this.all = [];
    }
    emit(body) {
        const event = { sequence: this.seq++, timestamp: Math.floor(Date.now() / 1000), ...body };
        this.all.push(event);
        this.pending.push(JSON.stringify(event));
        if (this.target && !this.target.startsWith("tcp://")) fs.appendFileSync(this.target, this.pending.pop() + "\n");
    }
    async close() {
        if (!this.target || !this.target.startsWith("tcp://")) return;
        const grpc = require(path.join(REPO, "node_modules", "@grpc", "grpc-js"));
        const services = require(path.join(REPO, "node_modules", "@pulumi", "pulumi", "proto", "events_grpc_pb.js"));
        const messages = require(path.join(REPO, "node_modules", "@pulumi", "pulumi", "proto", "events_pb.js"));
        const Client = grpc.makeGenericClientConstructor(services.EventsService, "Events");
        const client = new Client(this.target.slice("tcp://".length), grpc.credentials.createInsecure());
        await new Promise((resolve, reject) => {
            const call = client.streamEvents((err) => (err ? reject(err) : resolve()));
            for (const e of this.pending) call.write(new messages.EventRequest().setEvent(e));
            call.end();
        });
        client.close();
    }
}

function stepMeta(op, r, s) {
    const state = { type: r.type, urn: r.urn, custom: r.custom, id: r.id || "", parent: r.parentUrn || "", protect: !!r.protect, inputs: r.inputs || {}, outputs: r.inputs || {}, provider: "" };
    return { op, urn: r.urn, type: r.type, provider: "", ...(op === "delete" ? { old: state } : { new: state }) };
}

// ---- the program --------------------------------------------------------------------------------

/** Config as the program sees it: project defaults, then the stack's values (secrets as placeholders). */
function programConfig(s, proj) {
    const cfg = {};
    for (const [k, v] of Object.entries(proj.config)) {
        if (v && typeof v === "object" && "default" in v) cfg[k] = String(v.default);
    }
    for (const [k, v] of Object.entries(s.config)) {
        if (v.secret) cfg[k] = k === "lct:adminPrivateKey" ? "-----BEGIN OPENSSH PRIVATE KEY-----\nfake-placeholder\n-----END OPENSSH PRIVATE KEY-----" : "fake-secret-placeholder";
        else cfg[k] = v.value;
    }
    return cfg;
}

/** The program's path as the nodejs language host names it in errors (the real path of main). */
function programPath(loc) {
    const dir = fs.realpathSync(loc.pwd);
    return loc.entry === "." ? dir : path.join(dir, loc.entry);
}

/**
 * Runs the project's program: `{ resources, outputs, logs }`, or `{ error }` (the text pulumi
 * shows for an unhandled exception) when it throws.
 */
function runProgram(s, proj, dryRun) {
    if (scenario.program === "canned") {
        if (!s.config["lct:plan"] && !s.config["lct:template"]) {
            return { error: "Running program 'stacks/index.ts' failed with an unhandled exception:\nError: no cluster plan: set lct:plan to a plan file or lct:template to a bundled template" };
        }
        const resources = (scenario.cannedResources || []).map((r) => ({ custom: true, protect: false, inputs: {}, ...r }));
        for (const r of resources) {
            const parent = r.parent ? resources.find((p) => p.name === r.parent) : undefined;
            r.urn = urnOf(s, parent ? `${parent.type}$${r.type}` : r.type, r.name);
            r.parent = parent ? parent.urn : "";
        }
        return { resources, outputs: scenario.cannedOutputs || {}, logs: [] };
    }
    const edit = scenario.editBeforeProgram;
    if (edit) fs.writeFileSync(edit.file, fs.readFileSync(edit.file, "utf8").split(edit.from).join(edit.to));
    const loc = programLocation(proj);
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-")), "program.json");
    // The project's runtime options, as the nodejs language host passes them to node. (Without
    // any, tsx all the same: the harness below is TypeScript itself.)
    const nodeargs = proj.nodeargs.trim() ? proj.nodeargs.trim().split(/\s+/) : ["--import", "tsx"];
    const r = cp.spawnSync(process.execPath, [...nodeargs, path.join(__dirname, "run-program.ts")], {
        cwd: loc.pwd,
        env: {
            ...process.env,
            FAKE_PROGRAM_STACK: s.name,
            FAKE_PROGRAM_PROJECT: s.project,
            FAKE_PROGRAM_MAIN: loc.entry,
            FAKE_PROGRAM_CONFIG: JSON.stringify(programConfig(s, proj)),
            FAKE_PROGRAM_DRYRUN: dryRun ? "1" : "0",
            FAKE_PROGRAM_OUT: out,
        },
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
    });
    const result = readJson(out, undefined);
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
    if (r.status !== 0 || !result || result.error) {
        // As @pulumi/pulumi's run.js reports an uncaught exception (log.error on the stack).
        const thrown = (result && result.error) || (r.stderr || "").trim() || `node exited with ${r.status}`;
        return { error: `Running program '${programPath(loc)}' failed with an unhandled exception:\n${thrown}` };
    }
    return result;
}

// ---- display --------------------------------------------------------------------------------------

/** A diagnostic as pulumi's display lists it: under its resource, each line indented. */
function diagnosticsText(r, severity, message) {
    const lines = message.split("\n");
    return [`  ${r.type} (${r.name}):`, `    ${severity}: ${lines[0]}`, ...lines.slice(1).map((l) => `    ${l}`)];
}

const SYMBOL = { create: "+ ", delete: "- ", same: "  ", update: "~ ", refresh: "  " };
function line(op, r, status) {
    return ` ${SYMBOL[op] || "  "} ${r.type} ${r.name} ${status} `;
}

function outputsText(outputs) {
    const lines = ["Outputs:"];
    for (const [k, v] of Object.entries(outputs)) {
        const shown = v.secret ? "[secret]" : typeof v.value === "object" ? (Array.isArray(v.value) ? `[ …${v.value.length} items ]` : "{ … }") : JSON.stringify(v.value);
        lines.push(`    ${k}: ${shown}`);
    }
    return lines.join("\n");
}

function changesText(changes, planned) {
    const words = planned
        ? { create: "to create", update: "to update", delete: "to delete", same: "unchanged" }
        : { create: "created", update: "updated", delete: "deleted", same: "unchanged" };
    const lines = ["Resources:"];
    for (const [op, n] of Object.entries(changes)) if (n > 0) lines.push(`    ${SYMBOL[op] === "  " ? "" : SYMBOL[op]}${n} ${words[op] || op}`);
    return lines.join("\n");
}

// ---- operations -------------------------------------------------------------------------------------

function lockCheck(be, s) {
    if (!scenario.locked) return;
    if (be.kind === "service") fail("error: [409] Conflict: Another update is currently in progress.");
    fail(
        "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n" +
            `  ${be.url}/.pulumi/locks/organization/${s.project}/${s.name}/0b4f6c4e-6d5e-4c3a-9a8f-2f8d3c1e7a10.json: created by alice@build-7 (pid 4242) at 2026-11-22T10:00:00Z`,
    );
}

async function operation(kind, a, be, proj, cwd) {
    const s = loadStack(be, proj, stackName(a.one("--stack")));
    needSecrets(s);
    lockCheck(be, s);
    const events = new Events(a.one("--event-log"));
    const started = Date.now();
    const out = [];
    const title = { up: "Updating", preview: "Previewing update", refresh: "Refreshing", destroy: "Destroying" }[kind];
    out.push(`${title} (${s.name}):`, "");
    const cfgShown = Object.fromEntries(Object.entries(s.config).map(([k, v]) => [k, v.secret ? "[secret]" : v.value]));
    events.emit({ preludeEvent: { config: cfgShown } });
    const changes = {};
    const count = (op) => (changes[op] = (changes[op] || 0) + 1);
    let failed;
    const stackRes = { type: "pulumi:pulumi:Stack", name: `${s.project}-${s.name}`, custom: false };
    stackRes.urn = urnOf(s, stackRes.type, stackRes.name);

    if (kind === "up" || kind === "preview") {
        const program = runProgram(s, proj, kind === "preview");
        if (program.error) {
            // As pulumi shows a program that threw: an error diagnostic on the stack, in the
            // display's Diagnostics (stdout), nothing on stderr, exit 255.
            events.emit({ diagnosticEvent: { urn: stackRes.urn, prefix: "error: ", message: `${program.error}\n`, color: "never", severity: "error" } });
            events.emit({ summaryEvent: { maybeCorrupt: false, durationSeconds: 1, resourceChanges: {}, policyPacks: {} } });
            await events.close();
            out.push(` +  pulumi:pulumi:Stack ${stackRes.name} ${kind === "preview" ? "create" : "creating"} failed 1 error`, "Diagnostics:", ...diagnosticsText(stackRes, "error", program.error), "");
            if (kind === "up") {
                s.history.unshift({ version: s.history.length + 1, kind: "update", startTime: new Date(started).toISOString(), endTime: new Date().toISOString(), message: "", environment: { "exec.kind": a.one("--exec-kind") || "cli" }, config: cfgShown, result: "failed", resourceChanges: {} });
                saveStack(be, proj, s);
            }
            throw new Exit(255, "", out.join("\n") + "\n");
        }
        const before = new Map(s.resources.map((r) => [r.urn, r]));
        const wanted = [{ ...stackRes, parentUrn: "" }, ...program.resources.map((r) => ({ ...r, parentUrn: r.parent || stackRes.urn }))];
        const after = [];
        for (const r of wanted) {
            const op = before.has(r.urn) ? "same" : "create";
            if (kind === "up" && scenario.failResource && r.name === scenario.failResource.name) {
                events.emit({ resourcePreEvent: { metadata: stepMeta(op, r, s) } });
                const message = scenario.failResource.message || "an unexpected error occurred";
                events.emit({ diagnosticEvent: { urn: r.urn, prefix: "error: ", message: `  ${message}`, color: "never", severity: "error" } });
                events.emit({ resOpFailedEvent: { metadata: stepMeta(op, r, s), status: 1, steps: 1 } });
                out.push(line(op, r, "creating failed"), `    error: ${message}`);
                failed = r;
                break;
            }
            events.emit({ resourcePreEvent: { metadata: stepMeta(op, r, s), ...(kind === "preview" ? { planning: true } : {}) } });
            if (kind === "up") {
                const id = r.custom ? String(10000000 + after.length) : "";
                after.push({ urn: r.urn, type: r.type, name: r.name, custom: !!r.custom, parentUrn: r.parentUrn, protect: !!r.protect, id, inputs: r.inputs || {} });
                events.emit({ resOutputsEvent: { metadata: stepMeta(op, r, s) } });
                out.push(line(op, r, op === "create" ? "created (1s)" : ""));
            } else {
                events.emit({ resOutputsEvent: { metadata: stepMeta(op, r, s), planning: true } });
                out.push(line(op, r, op === "create" ? "create" : ""));
            }
            count(op);
        }
        // The program's log.warn / log.error calls, as engine diagnostics on their resources; a
        // logged error fails the update once the program ends (nothing is deleted then).
        const diagnostics = [];
        for (const l of program.logs || []) {
            if (l.severity !== "warning" && l.severity !== "error") continue;
            const on = wanted.find((r) => r.urn === l.urn) || stackRes;
            events.emit({ diagnosticEvent: { urn: on.urn, prefix: `${l.severity}: `, message: `${l.message}\n`, color: "never", severity: l.severity } });
            diagnostics.push(...diagnosticsText(on, l.severity, l.message));
            if (l.severity === "error" && !failed) failed = on;
        }
        if (diagnostics.length) out.push("Diagnostics:", ...diagnostics, "");
        if (!failed) {
            const kept = new Set(wanted.map((r) => r.urn));
            for (const old of s.resources) {
                if (kept.has(old.urn)) continue;
                events.emit({ resourcePreEvent: { metadata: stepMeta("delete", old, s), ...(kind === "preview" ? { planning: true } : {}) } });
                events.emit({ resOutputsEvent: { metadata: stepMeta("delete", old, s), ...(kind === "preview" ? { planning: true } : {}) } });
                out.push(line("delete", old, kind === "preview" ? "delete" : "deleted (1s)"));
                count("delete");
            }
        }
        if (kind === "up" && Array.isArray(scenario.leakEnv)) for (const n of scenario.leakEnv) out.push(`debug: provider configured with ${n}=${process.env[n] ?? ""}`);
        if (kind === "up") {
            // A failed update keeps what was created before it stopped, like the engine's checkpoint.
            s.resources = failed ? [...s.resources.filter((r) => !after.some((x) => x.urn === r.urn)), ...after] : after;
            if (!failed) s.outputs = program.outputs;
        }
        if (!failed && kind === "up") out.push(outputsText(program.outputs), "");
    } else if (kind === "refresh") {
        for (const r of s.resources) {
            events.emit({ resourcePreEvent: { metadata: stepMeta("refresh", r, s) } });
            events.emit({ resOutputsEvent: { metadata: stepMeta("same", r, s) } });
            out.push(line("same", r, ""));
            count("same");
        }
    } else if (kind === "destroy") {
        const protectedOnes = s.resources.filter((r) => r.protect);
        if (protectedOnes.length && !a.has("--exclude-protected")) {
            const r = protectedOnes[0];
            const message =
                `unable to delete resource "${r.urn}"\nas it is currently marked for protection. To unprotect the resource, either remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\` or use the command:\n\`pulumi state unprotect '${r.urn}'\``;
            events.emit({ diagnosticEvent: { urn: r.urn, prefix: "error: ", message, color: "never", severity: "error" } });
            events.emit({ summaryEvent: { maybeCorrupt: false, durationSeconds: 0, resourceChanges: {}, policyPacks: {} } });
            await events.close();
            out.push(`    ${r.type} (${r.name}):`, `      error: ${message}`, "");
            throw new Exit(255, "", out.join("\n") + "\n");
        }
        // Protected resources stay, with everything they need (their parents).
        const keep = new Set();
        const byUrn = new Map(s.resources.map((r) => [r.urn, r]));
        for (const r of protectedOnes) for (let x = r; x; x = byUrn.get(x.parentUrn)) keep.add(x.urn);
        for (const r of [...s.resources].reverse()) {
            if (keep.has(r.urn)) continue;
            events.emit({ resourcePreEvent: { metadata: stepMeta("delete", r, s) } });
            events.emit({ resOutputsEvent: { metadata: stepMeta("delete", r, s) } });
            out.push(line("delete", r, "deleted (1s)"));
            count("delete");
        }
        s.resources = s.resources.filter((r) => keep.has(r.urn));
        if (s.resources.length === 0) s.outputs = {};
    }
    const durationSeconds = Math.max(1, Math.round((Date.now() - started) / 1000));
    events.emit({ summaryEvent: { maybeCorrupt: false, durationSeconds, resourceChanges: changes, policyPacks: {} } });
    await events.close();
    out.push(changesText(changes, kind === "preview"), "", `Duration: ${durationSeconds}s`, "");
    if (kind === "destroy" && !s.resources.length) {
        out.push(
            "The resources in the stack have been deleted, but the history and configuration associated with the stack are still maintained.",
            `If you want to remove the stack completely, run \`pulumi stack rm ${s.name}\`.`,
        );
    }
    if (kind !== "preview") {
        s.history.unshift({
            version: s.history.length + 1,
            kind: kind === "up" ? "update" : kind,
            startTime: new Date(started).toISOString(),
            endTime: new Date(started + durationSeconds * 1000).toISOString(),
            message: "",
            environment: { "exec.kind": a.one("--exec-kind") || "cli" },
            config: cfgShown,
            result: failed ? "failed" : "succeeded",
            resourceChanges: changes,
        });
        saveStack(be, proj, s);
    }
    if (failed) throw new Exit(255, "", out.join("\n") + "\n");
    if (kind === "preview" && a.has("--json")) {
        // `pulumi preview --json`: the plan as one JSON document instead of the display.
        return JSON.stringify({ config: cfgShown, steps: events.all.filter((e) => e.resourcePreEvent).map((e) => ({ op: e.resourcePreEvent.metadata.op, urn: e.resourcePreEvent.metadata.urn })), changeSummary: changes, duration: durationSeconds * 1e9 }, null, 4) + "\n";
    }
    return out.join("\n") + "\n";
}

// ---- dispatch -----------------------------------------------------------------------------------------

async function run(argv, cwd, stdinText) {
    const a = parseArgs(argv);
    const w = a.words;
    const cmd = w.slice(0, 2).join(" ");
    for (const rule of scenario.fail || []) {
        if (rule.command === w[0] || rule.command === cmd) {
            const counter = path.join(HOME, `fail-${sha256(JSON.stringify(rule)).slice(0, 8)}.count`);
            const used = Number(readJson(counter, 0));
            if (rule.times === undefined || used < rule.times) {
                fs.writeFileSync(counter, JSON.stringify(used + 1));
                throw new Exit(rule.exitCode ?? 255, rule.stderr ? rule.stderr + "\n" : "", rule.stdout ? rule.stdout + "\n" : "");
            }
        }
    }
    if (w[0] === "version") return `v${VERSION}\n`;
    const be = backend();
    if (w[0] === "whoami") {
        const user = be.kind === "service" ? "fake-cloud-user" : os.userInfo().username;
        return a.has("--json") ? JSON.stringify({ user, organizations: be.kind === "service" ? [user] : [], url: be.url }, null, 2) + "\n" : `${user}\n`;
    }
    const proj = project(cwd);
    if (cmd === "stack select") {
        const name = stackName(a.one("--stack") || w[2]);
        // Newer Automation APIs select with --create instead of select-then-init.
        if (a.has("--create") && !fs.existsSync(stackFile(be, proj, name))) return run(["stack", "init", name, ...argv.filter((x, i) => x === "--secrets-provider" || argv[i - 1] === "--secrets-provider")], cwd, stdinText);
        loadStack(be, proj, name);
        return "";
    }
    if (cmd === "stack init") {
        const name = stackName(w[2] || a.one("--stack"));
        if (fs.existsSync(stackFile(be, proj, name))) fail(`error: stack '${name}' already exists`);
        const provider = a.one("--secrets-provider") || (be.kind === "service" ? "service" : "passphrase");
        // A settings file left by an earlier stack of that name keeps its config, as with pulumi.
        const s = { name, project: proj.name, backend: be.url, secretsProvider: provider, config: configFromSettings(readSettings(proj, name)), resources: [], outputs: {}, history: [] };
        if (provider === "passphrase") {
            const p = passphrase();
            if (p === undefined) needSecrets({ secretsProvider: "passphrase" });
            s.passphraseSha256 = sha256(p);
        }
        saveStack(be, proj, s);
        // pulumi writes the stack's settings file at init: the encryption salt (or key) goes there.
        if (provider !== "service") saveSettings(proj, s);
        return `Created stack '${name}'\n`;
    }
    if (cmd === "stack rm") {
        const name = stackName(w[2] || a.one("--stack"));
        const s = loadStack(be, proj, name);
        if (s.resources.length && !a.has("--force")) {
            fail(
                `error: '${name}' still has resources; removal rejected. Possible actions:\n- Make sure that '${name}' is the stack that you want to destroy\n` +
                    `- Run \`pulumi destroy\` to delete the resources, then run \`pulumi stack rm\`\n- Run \`pulumi stack rm --force\` to override this error`,
            );
        }
        fs.rmSync(stackFile(be, proj, name));
        // pulumi removes the stack's settings file too, unless told to keep it.
        if (!a.has("--preserve-config")) fs.rmSync(settingsFile(proj, name), { force: true });
        return `Stack '${name}' has been removed!\n`;
    }
    if (cmd === "stack ls") {
        const dir = path.join(be.dir, proj.name);
        const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)) : [];
        return JSON.stringify(names.map((n) => ({ name: n, current: false, updateInProgress: false, resourceCount: loadStack(be, proj, n).resources.length, url: `${be.url}/${n}` }))) + "\n";
    }
    if (cmd === "stack output") {
        const s = loadStack(be, proj, stackName(a.one("--stack")));
        const show = a.has("--show-secrets");
        if (show) needSecrets(s);
        return JSON.stringify(Object.fromEntries(Object.entries(s.outputs).map(([k, v]) => [k, v.secret && !show ? "[secret]" : v.value])), null, 2) + "\n";
    }
    if (cmd === "stack history") {
        const s = loadStack(be, proj, stackName(a.one("--stack")));
        if (a.has("--show-secrets")) needSecrets(s);
        const size = Number(a.one("--page-size") || s.history.length || 1);
        return JSON.stringify(s.history.slice(0, size), null, 2) + "\n";
    }
    if (cmd === "stack export") {
        const s = loadStack(be, proj, stackName(a.one("--stack")));
        const show = a.has("--show-secrets");
        if (show) needSecrets(s);
        const stackOutputs = Object.fromEntries(
            Object.entries(s.outputs).map(([k, v]) => [
                k,
                v.secret ? { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ...(show ? { plaintext: JSON.stringify(v.value) } : { ciphertext: "v1:fake:ciphertext" }) } : v.value,
            ]),
        );
        const resources = s.resources.map((r) => ({
            urn: r.urn,
            custom: r.custom,
            type: r.type,
            ...(r.id ? { id: r.id } : {}),
            ...(r.parentUrn && r.type !== "pulumi:pulumi:Stack" ? { parent: r.parentUrn } : {}),
            ...(r.protect ? { protect: true } : {}),
            inputs: r.inputs || {},
            outputs: r.type === "pulumi:pulumi:Stack" ? stackOutputs : r.inputs || {},
        }));
        return JSON.stringify({ version: 3, deployment: { manifest: { time: new Date().toISOString(), magic: "fake", version: `v${VERSION}` }, resources } }, null, 4) + "\n";
    }
    if (w[0] === "config") {
        const s = loadStack(be, proj, stackName(a.one("--stack")));
        const full = (k) => (k.includes(":") ? k : `${proj.name}:${k}`);
        const sub = w[1];
        if (sub === undefined) {
            if (a.has("--show-secrets")) {
                fail("fake pulumi: refusing `config --show-secrets`: LCT must never decrypt stack config (it lists names only)", 2);
            }
            if (!a.has("--json")) fail("fake pulumi: only `config --json` is implemented", 2);
            // Like pulumi (ApplyProjectConfig): project defaults from Pulumi.yaml are listed too;
            // secret values are left out (a blinding decrypter, no passphrase needed).
            const out = {};
            for (const [k, v] of Object.entries(proj.config)) {
                if (v && typeof v === "object" && "default" in v) out[k] = { value: String(v.default), secret: false };
            }
            for (const [k, v] of Object.entries(s.config)) out[k] = v.secret ? { secret: true } : { value: v.value, secret: false };
            return JSON.stringify(Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b))), null, 4) + "\n";
        }
        if (a.has("--path")) fail("fake pulumi: `config --path` is not implemented (LCT does not use it)", 2);
        if (sub === "set") {
            const key = full(w[2] || fail("error: config set requires a key"));
            const secret = a.has("--secret");
            let value = w[3];
            if (value === undefined) {
                // Non-interactive `config set` without a value reads standard input.
                value = stdinText.replace(/\r?\n$/, "");
            }
            if (secret) {
                needSecrets(s);
                s.config[key] = { secret: true, sha256: sha256(value), length: value.length };
            } else s.config[key] = { secret: false, value };
            saveSettings(proj, s);
            return "";
        }
        if (sub === "set-all") {
            const flags = [];
            for (let i = 0; i < argv.length; i++) if (argv[i] === "--plaintext" || argv[i] === "--secret") flags.push([argv[i], argv[i + 1]]);
            for (const [f, kv] of flags) {
                const eq = kv.indexOf("=");
                const key = full(kv.slice(0, eq));
                const value = kv.slice(eq + 1);
                if (f === "--secret") {
                    needSecrets(s);
                    s.config[key] = { secret: true, sha256: sha256(value), length: value.length };
                } else s.config[key] = { secret: false, value };
            }
            saveSettings(proj, s);
            return "";
        }
        if (sub === "rm" || sub === "rm-all") {
            for (const k of w.slice(2)) delete s.config[full(k)];
            saveSettings(proj, s);
            return "";
        }
        if (sub === "get") {
            const v = s.config[full(w[2])];
            if (!v) fail(`error: configuration key '${full(w[2])}' not found for stack '${s.name}'`);
            if (v.secret) fail("fake pulumi: refusing to decrypt a secret config value", 2);
            return JSON.stringify(v.value) + "\n";
        }
    }
    if (["up", "preview", "refresh", "destroy"].includes(w[0])) {
        if ((w[0] === "up" || w[0] === "refresh" || w[0] === "destroy") && !a.has("--preview-only") && !(a.has("--yes") && a.has("--skip-preview"))) {
            fail(`error: --yes or --skip-preview must be passed in to proceed when running in non-interactive mode`);
        }
        return operation(w[0], a, be, proj, cwd);
    }
    fail(`fake pulumi: unexpected command: pulumi ${argv.join(" ")}`, 2);
}

(async () => {
    const argv = process.argv.slice(2);
    const cwd = process.cwd();
    // Only `config set <key>` with no value reads standard input (as pulumi does when non-interactive).
    let readsStdin = false;
    try {
        const w = parseArgs(argv).words;
        readsStdin = w[0] === "config" && w[1] === "set" && w.length === 3;
    } catch {
        // a bad flag: reported by run()
    }
    const stdinText = readsStdin ? await readStdin() : "";
    log({
        argv,
        cwd,
        env: envRecord(),
        ...(readsStdin ? { stdin: { bytes: Buffer.byteLength(stdinText), sha256: sha256(stdinText.replace(/\r?\n$/, "")) } } : {}),
        time: new Date().toISOString(),
    });
    let code = 0;
    let stdout = "";
    let stderr = "";
    try {
        stdout = await run(argv, cwd, stdinText);
    } catch (e) {
        if (e instanceof Exit) {
            code = e.code;
            stdout = e.stdout;
            stderr = e.stderr;
        } else {
            code = 3;
            stderr = `fake pulumi crashed: ${e && e.stack ? e.stack : e}\n`;
        }
    }
    const finish = () => process.exit(code);
    process.stderr.write(stderr, () => process.stdout.write(stdout, finish));
})();
