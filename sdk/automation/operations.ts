/**
 * `up`, `preview`, `refresh` and `destroy` through the Automation API, with the engine's events
 * followed for a summary (changes by kind, failed resources, diagnostics) and `pulumi`'s own
 * progress output streamed line by line (redacted) to the caller.
 */
import type * as Auto from "@pulumi/pulumi/automation";
import { LineBuffer } from "./redact";
import { commandErrorText, PulumiSession, pulumiExitCode } from "./session";

export type Operation = "up" | "preview" | "refresh" | "destroy";

export interface Diagnostic {
    severity: "error" | "warning";
    /** `type::name` of the resource, when the diagnostic is about one. */
    resource?: string;
    message: string;
}

export interface OperationReport {
    operation: Operation;
    stack: string;
    ok: boolean;
    /** Changes by kind (`create`, `update`, `delete`, `same`, `replace` …): done, or planned for a preview. */
    changes: Record<string, number>;
    durationSeconds?: number;
    /** Resources whose step failed (`type::name`). */
    failed: string[];
    diagnostics: Diagnostic[];
    /** For up: the cluster and node count from the stack's `inventory` output. */
    cluster?: string;
    nodes?: number;
    /** For up: the admin user and, for small clusters (≤ 10 nodes), each node's label and public IPv4. */
    adminUser?: string;
    nodeAddresses?: Array<{ label: string; publicIpv4?: string }>;
    /** The redacted reason, when not ok. */
    error?: string;
    /** pulumi's exit code, when it failed (255 for a failed update or a program that threw). */
    pulumiExitCode?: number;
    /** URNs named as protected in a failed destroy. */
    protectedUrns?: string[];
    /** The failure was a lock held by another update. */
    locked?: boolean;
}

export interface OperationOptions {
    /** Each line of pulumi's progress output (already redacted). */
    onOutputLine?: (line: string) => void;
    /** destroy: leave protected resources (and what they need) in place. */
    excludeProtected?: boolean;
    /** up: refresh the state from Linode first. */
    refresh?: boolean;
}

/** `urn:pulumi:dev::lct::lct:index:LinodeCluster$linode:index/volume:Volume::x` → `linode:index/volume:Volume::x`. */
export function shortUrn(urn: string): string {
    const parts = urn.split("::");
    if (parts.length < 4) return urn;
    const types = parts[2]!.split("$");
    return `${types[types.length - 1]}::${parts.slice(3).join("::")}`;
}

/** Follows engine events: completed steps, failures, diagnostics and the summary. */
export class EventTracker {
    readonly completed: Record<string, number> = {};
    readonly failed = new Set<string>();
    readonly diagnostics: Diagnostic[] = [];
    summary?: { resourceChanges: Record<string, number>; durationSeconds: number };
    events = 0;

    constructor(private readonly redact: (t: string) => string) {}

    onEvent = (e: Auto.EngineEvent): void => {
        this.events++;
        if (e.resOutputsEvent && !e.resOutputsEvent.planning) {
            const op = e.resOutputsEvent.metadata.op;
            this.completed[op] = (this.completed[op] ?? 0) + 1;
        }
        if (e.resOpFailedEvent) this.failed.add(shortUrn(e.resOpFailedEvent.metadata.urn));
        if (e.diagnosticEvent && !e.diagnosticEvent.ephemeral && (e.diagnosticEvent.severity === "error" || e.diagnosticEvent.severity === "warning")) {
            const message = this.redact(e.diagnosticEvent.message.replace(/<\{%[^%]*%\}>/g, "")).trim();
            if (message) {
                this.diagnostics.push({
                    severity: e.diagnosticEvent.severity,
                    ...(e.diagnosticEvent.urn ? { resource: shortUrn(e.diagnosticEvent.urn) } : {}),
                    message,
                });
            }
        }
        if (e.summaryEvent) this.summary = { resourceChanges: { ...e.summaryEvent.resourceChanges } as Record<string, number>, durationSeconds: e.summaryEvent.durationSeconds };
    };
}

function changesOf(m: Auto.OpMap | undefined): Record<string, number> {
    return Object.fromEntries(Object.entries(m ?? {}).filter((e): e is [string, number] => typeof e[1] === "number" && e[1] > 0));
}

function seconds(summary: Auto.UpdateSummary | undefined): number | undefined {
    if (!summary?.startTime || !summary.endTime) return undefined;
    const s = (new Date(summary.endTime).getTime() - new Date(summary.startTime).getTime()) / 1000;
    return Number.isFinite(s) && s >= 0 ? Math.round(s) : undefined;
}

/** Runs one operation on a selected stack; never throws for a failed run (the report says why). */
export async function runOperation(session: PulumiSession, stack: Auto.Stack, operation: Operation, opts: OperationOptions = {}): Promise<OperationReport> {
    const tracker = new EventTracker(session.redact);
    const lines = new LineBuffer((l) => opts.onOutputLine?.(l), session.redact);
    const common = { onOutput: (s: string) => lines.write(s), onEvent: tracker.onEvent, color: "never" as const };
    const started = Date.now();
    const report: OperationReport = { operation, stack: stack.name, ok: false, changes: {}, failed: [], diagnostics: [] };
    try {
        switch (operation) {
            case "up": {
                const r = await stack.up({ ...common, showSecrets: false, ...(opts.refresh ? { refresh: true } : {}) });
                report.changes = changesOf(r.summary?.resourceChanges);
                report.durationSeconds = seconds(r.summary);
                const inv = r.outputs.inventory?.value as { cluster?: unknown; nodes?: unknown; adminUser?: unknown } | undefined;
                if (inv && Array.isArray(inv.nodes)) {
                    report.nodes = inv.nodes.length;
                    if (typeof inv.adminUser === "string") report.adminUser = inv.adminUser;
                    if (inv.nodes.length <= 10) {
                        report.nodeAddresses = (inv.nodes as Array<{ label?: unknown; publicIpv4?: unknown }>).map((n) => ({
                            label: String(n.label),
                            ...(typeof n.publicIpv4 === "string" ? { publicIpv4: n.publicIpv4 } : {}),
                        }));
                    }
                }
                const cluster = r.outputs.cluster?.value ?? inv?.cluster;
                if (typeof cluster === "string") report.cluster = cluster;
                break;
            }
            case "preview": {
                const r = await stack.preview({ ...common });
                report.changes = changesOf(r.changeSummary);
                break;
            }
            case "refresh": {
                const r = await stack.refresh({ ...common, showSecrets: false });
                report.changes = changesOf(r.summary?.resourceChanges);
                report.durationSeconds = seconds(r.summary);
                break;
            }
            case "destroy": {
                const r = await stack.destroy({ ...common, showSecrets: false, ...(opts.excludeProtected ? { excludeProtected: true } : {}) });
                report.changes = changesOf(r.summary?.resourceChanges);
                report.durationSeconds = seconds(r.summary);
                break;
            }
        }
        report.ok = true;
    } catch (e) {
        report.ok = false;
        const text = session.redact(commandErrorText(e));
        const all = session.redact(String((e as { commandResult?: { stdout?: string; stderr?: string } })?.commandResult?.stderr ?? "") + "\n" + String((e as { commandResult?: { stdout?: string } })?.commandResult?.stdout ?? ""));
        // The engine's error diagnostics say what failed; pulumi's stderr says why it could not run.
        const firstError = tracker.diagnostics.find((d) => d.severity === "error");
        report.error = firstError ? `${firstError.resource ? `${firstError.resource}: ` : ""}${diagnosticSummary(firstError.message)}` : text;
        const code = pulumiExitCode(e);
        if (code !== undefined) report.pulumiExitCode = code;
        report.locked = e instanceof session.auto.ConcurrentUpdateError;
        if (operation === "destroy") {
            const sources = [all, ...tracker.diagnostics.map((d) => d.message)].filter((t) => /protect/i.test(t)).join("\n");
            const urns = [...new Set(sources.match(/urn:pulumi:[^\s"'`]+/g) ?? [])];
            if (/protect/i.test(sources)) report.protectedUrns = urns;
        }
    } finally {
        lines.flush();
    }
    if (Object.keys(report.changes).length === 0) report.changes = changesOf((tracker.summary?.resourceChanges ?? tracker.completed) as Auto.OpMap);
    report.durationSeconds ??= tracker.summary?.durationSeconds ?? Math.round((Date.now() - started) / 1000);
    report.failed = [...tracker.failed];
    report.diagnostics = tracker.diagnostics;
    return report;
}

function oneLine(s: string, max = 400): string {
    const t = s.replace(/\s*\n\s*/g, " ").trim();
    return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/**
 * A diagnostic on one line, for a summary. A program that threw shows up as "Running program …
 * failed with an unhandled exception:" and the error as Node prints it: its message, then stack
 * frames (`    at …`) and the error's own properties — the message is what tells the user why.
 */
export function diagnosticSummary(message: string): string {
    const lines = message.split("\n");
    const frame = lines.findIndex((l) => /^\s+at\s/.test(l));
    return oneLine((frame > 0 ? lines.slice(0, frame) : lines).join("\n"));
}

const DONE: Record<string, [string, string]> = {
    create: ["created", "to create"],
    update: ["updated", "to update"],
    replace: ["replaced", "to replace"],
    "create-replacement": ["created (replacement)", "to create (replacement)"],
    "delete-replaced": ["deleted (replaced)", "to delete (replaced)"],
    delete: ["deleted", "to delete"],
    read: ["read", "to read"],
    refresh: ["refreshed", "to refresh"],
    import: ["imported", "to import"],
    discard: ["discarded", "to discard"],
    same: ["unchanged", "unchanged"],
};

/** "61 created, 2 unchanged" (or "61 to create" for a preview); "no changes" when empty. */
export function formatChanges(changes: Record<string, number>, planned = false): string {
    const order = Object.keys(DONE);
    const keys = Object.keys(changes).sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));
    const parts = keys.map((k) => `${changes[k]} ${DONE[k]?.[planned ? 1 : 0] ?? k}`);
    return parts.length ? parts.join(", ") : "no changes";
}
