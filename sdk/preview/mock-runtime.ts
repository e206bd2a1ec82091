import * as pulumi from "@pulumi/pulumi";

/**
 * Pulumi's own mock runtime, with every registration recorded (type, name, parent, provider,
 * options and inputs). `lct preview` evaluates the real LinodeCluster program on it — no
 * engine, no credentials, no network — and the tests use it to assert what would be created.
 */
export interface Registration {
    type: string;
    name: string;
    custom: boolean;
    /** URN of the parent ("" for a top-level resource). */
    parent: string;
    /** Provider reference `<urn>::<id>` for custom resources, "" when default. */
    provider: string;
    /** Inputs as the engine receives them: secrets stay wrapped (see withoutSecrets). */
    inputs: Record<string, unknown>;
    urn?: string;
    protect: boolean;
    retainOnDelete: boolean;
    ignoreChanges: string[];
    dependencies: string[];
}

/** What a provider would compute for a resource (ids, addresses…): per caller. */
export type ComputedOutputs = (type: string, name: string, inputs: Record<string, unknown>, id: number) => Record<string, unknown>;

export interface MockRuntimeOptions {
    /** Preview mode: pulumi.runtime.isDryRun() is true and unset ids are unknown. */
    dryRun?: boolean;
    project?: string;
    stack?: string;
    config?: Record<string, string>;
    computed?: ComputedOutputs;
    /**
     * Record the program's `pulumi.log` calls (MockRuntime.logs) instead of letting Pulumi print
     * them raw on the console (`warning: [runtime] …`), as it does when there is no engine.
     */
    collectLogs?: boolean;
}

/** A `pulumi.log` call, as the engine would have received it (and turned into a diagnostic). */
export interface EngineLog {
    severity: "debug" | "info" | "warning" | "error";
    message: string;
    /** URN of the resource the message is about, "" for none. */
    urn: string;
}

export interface MockRuntime {
    registered: Registration[];
    /** With collectLogs: the program's log calls, in order (complete once drained). */
    logs: EngineLog[];
    /** Waits until Pulumi has no outstanding RPC (every registration, output registration and log). */
    drain(): Promise<void>;
    /** Stops collecting logs (later ones print again): call once drained. */
    close(): void;
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export async function drainRpcs(): Promise<void> {
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
}

export async function installRecordingMocks(opts: MockRuntimeOptions = {}): Promise<MockRuntime> {
    // A previous run's outputs may still be registering; let them finish against their own monitor.
    await drainRpcs();
    const registered: Registration[] = [];
    const logs: EngineLog[] = [];
    logSink = opts.collectLogs ? logs : undefined;
    let nextId = 10000;
    await pulumi.runtime.setMocks(
        {
            newResource: (a) => {
                const id = nextId++;
                const state = { ...a.inputs, ...(opts.computed?.(a.type, a.name, a.inputs, id) ?? {}) };
                // In a preview, custom resources get their ids from the provider later: unknown.
                return { id: a.custom && !opts.dryRun ? String(id) : undefined, state };
            },
            call: (a) => a.inputs,
        },
        opts.project ?? "lct",
        opts.stack ?? "preview",
        opts.dryRun ?? false,
    );
    pulumi.runtime.setAllConfig(opts.config ?? {});
    const monitor = pulumi.runtime.getMonitor() as unknown as {
        registerResource(req: RegisterRequest, cb: (err: unknown, resp?: { getUrn(): string }) => void): void;
    };
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
        const rec: Registration = {
            type: req.getType(),
            name: req.getName(),
            custom: req.getCustom(),
            parent: req.getParent(),
            provider: req.getProvider(),
            inputs: pulumi.runtime.deserializeProperties(req.getObject()) as Record<string, unknown>,
            protect: req.getProtect(),
            retainOnDelete: req.getRetainondelete(),
            ignoreChanges: req.getIgnorechangesList(),
            dependencies: req.getDependenciesList(),
        };
        registered.push(rec);
        return original(req, (err, resp) => {
            if (resp) rec.urn = resp.getUrn();
            cb(err, resp);
        });
    };
    if (opts.collectLogs) hookEngineLogs();
    return {
        registered,
        logs,
        drain: drainRpcs,
        close: () => {
            if (logSink === logs) logSink = undefined;
        },
    };
}

/** Where engine log calls go while a runtime collects them. */
let logSink: EngineLog[] | undefined;
let hooked = false;

const SEVERITY: Record<number, EngineLog["severity"]> = { 0: "debug", 1: "info", 2: "warning", 3: "error" };

/**
 * `pulumi.log.*` sends each message to the engine (`Engine.Log`), which makes it a diagnostic;
 * the mock runtime has no engine, so Pulumi prints it on the console instead. This gives
 * pulumi.log an engine that records the requests while a runtime collects them — Pulumi's own
 * log path still runs (ordering, the resource's URN, keeping the RPC count until delivered, so
 * drain() waits for every log). Only pulumi.log asks the settings module for its engine this
 * way; the runtime's own engine calls are unaffected.
 */
function hookEngineLogs(): void {
    if (hooked) return;
    hooked = true;
    const settings = require("@pulumi/pulumi/runtime/settings") as { getEngine(): unknown };
    const original = settings.getEngine;
    const engine = {
        log(req: { getSeverity(): number; getMessage(): string; getUrn(): string }, done: () => void): void {
            logSink?.push({ severity: SEVERITY[req.getSeverity()] ?? "info", message: req.getMessage(), urn: req.getUrn() });
            done();
        },
    };
    settings.getEngine = () => original() ?? (logSink ? engine : undefined);
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getCustom(): boolean;
    getParent(): string;
    getProvider(): string;
    // A google.protobuf.Struct; deserializeProperties reads it.
    getObject(): any; // eslint-disable-line @typescript-eslint/no-explicit-any
    getProtect(): boolean;
    getRetainondelete(): boolean;
    getIgnorechangesList(): string[];
    getDependenciesList(): string[];
}

function isSecretWrapper(v: unknown): v is { value: unknown } {
    return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG] === SECRET_VALUE;
}

/** The value with every secret replaced by "[secret]": what may be shown without leaking. */
export function withoutSecrets(v: unknown): unknown {
    if (isUnknown(v)) return v;
    if (Array.isArray(v)) return v.map(withoutSecrets);
    if (v && typeof v === "object") {
        if (isSecretWrapper(v)) return "[secret]";
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withoutSecrets(x)]));
    }
    return v;
}

/** The value with secrets unwrapped — for assertions only; never print it. */
export function unwrapSecrets(v: unknown): unknown {
    if (isUnknown(v)) return v;
    if (Array.isArray(v)) return v.map(unwrapSecrets);
    if (v && typeof v === "object") {
        if (isSecretWrapper(v)) return unwrapSecrets(v.value);
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
    }
    return v;
}

/** Pulumi's marker for values unknown until the engine creates the resource. */
export function isUnknown(v: unknown): boolean {
    return pulumi.isUnknown(v) || v === pulumi.runtime.unknownValue;
}
