/**
 * Brings a cluster to a power state, wave by wave (groups of equal boot order): start in
 * ascending order, waiting until every node of a wave is running before the next; stop in
 * descending order, waiting until each wave is offline.
 *
 * Built for large clusters: a wave's actions go out together (throttled only by the client's
 * rate limiter), and progress is read with one filtered list request per poll, never one GET
 * per node. It acts only on what it observes, so re-running after a failure half-way carries
 * on from where things stand.
 *
 * Captured by value into the serialized ClusterPower provider: plain functions, no classes.
 */
import type { LinodeClient } from "../linode-api/client";
import { isLinodeApiError, isBusyReason } from "../linode-api/errors";
import { bootInstance, listInstancesByIds, shutdownInstance } from "../linode-api/instances";
import { sleep } from "../linode-api/sleep";
import type { LinodeInstance } from "../linode-api/types";
import { nodeStep, type PowerGroup, type PowerState, planPowerWaves } from "./power-plan";

export interface SetClusterPowerOptions {
    groups: PowerGroup[];
    power: PowerState;
    /** Between status polls. Default 3000 ms (linodego's default). */
    pollIntervalMs?: number;
    /** Per wave. Default 15 minutes. */
    waveTimeoutMs?: number;
    /**
     * A node still offline (or running, when stopping) this long after its action was accepted
     * gets the action again. Default max(30 s, 3 polls).
     */
    reissueAfterMs?: number;
    /** Actions per node before giving up on it. Default 3. */
    maxActionsPerNode?: number;
    signal?: AbortSignal;
    onProgress?: (event: PowerProgress) => void;
}

export type PowerProgress =
    | { type: "wave-start"; bootOrder: number; groups: string[]; total: number }
    | { type: "actions"; bootOrder: number; action: "boot" | "shutdown"; linodeIds: number[] }
    | { type: "poll"; bootOrder: number; done: number; total: number; statuses: Record<string, number> }
    | { type: "wave-done"; bootOrder: number; groups: string[]; total: number; ms: number };

export interface WaveReport {
    bootOrder: number;
    groups: string[];
    linodeIds: number[];
    /** Boot or shutdown requests that were accepted. */
    actions: number;
    polls: number;
    ms: number;
}

export interface PowerReport {
    power: PowerState;
    waves: WaveReport[];
    ms: number;
}

/** A power error says which wave and which nodes, so the user knows where it stopped. */
function powerError(message: string): Error {
    const e = new Error(message);
    e.name = "ClusterPowerError";
    return e;
}

function describe(id: number, inst: LinodeInstance | undefined, why: string): string {
    return inst ? `${id} (${inst.label}) ${why}` : `${id} ${why}`;
}

export async function setClusterPower(client: LinodeClient, opts: SetClusterPowerOptions): Promise<PowerReport> {
    const started = Date.now();
    const waves: WaveReport[] = [];
    for (const wave of planPowerWaves(opts.groups, opts.power)) {
        waves.push(await runWave(client, wave, opts));
    }
    return { power: opts.power, waves, ms: Date.now() - started };
}

async function runWave(
    client: LinodeClient,
    wave: { bootOrder: number; groups: string[]; linodeIds: number[] },
    opts: SetClusterPowerOptions,
): Promise<WaveReport> {
    const pollMs = opts.pollIntervalMs ?? 3000;
    const timeoutMs = opts.waveTimeoutMs ?? 15 * 60_000;
    const reissueAfterMs = opts.reissueAfterMs ?? Math.max(30_000, 3 * pollMs);
    const maxActions = opts.maxActionsPerNode ?? 3;
    const action: "boot" | "shutdown" = opts.power === "running" ? "boot" : "shutdown";
    const target = opts.power === "running" ? "running" : "offline";
    const started = Date.now();
    const deadline = started + timeoutMs;
    const report: WaveReport = { bootOrder: wave.bootOrder, groups: wave.groups, linodeIds: wave.linodeIds, actions: 0, polls: 0, ms: 0 };
    const sent: Record<string, { count: number; at: number }> = {};
    let pending = [...wave.linodeIds];
    const label = `boot order ${wave.bootOrder} (${wave.groups.join(", ")})`;
    opts.onProgress?.({ type: "wave-start", bootOrder: wave.bootOrder, groups: wave.groups, total: wave.linodeIds.length });

    while (pending.length > 0) {
        const seen = await listInstancesByIds(client, pending, { signal: opts.signal });
        report.polls++;
        const byId: Record<string, LinodeInstance> = {};
        for (const inst of seen) byId[String(inst.id)] = inst;

        const failures: string[] = [];
        const toAct: number[] = [];
        const statuses: Record<string, number> = {};
        const stillPending: number[] = [];
        for (const id of pending) {
            const inst = byId[String(id)];
            statuses[inst?.status ?? "missing"] = (statuses[inst?.status ?? "missing"] ?? 0) + 1;
            const step = nodeStep(inst?.status, opts.power);
            if (step.step === "done") continue;
            stillPending.push(id);
            if (step.step === "fail") failures.push(describe(id, inst, step.why));
            else if (step.step === action) {
                const s = sent[String(id)];
                if (!s || Date.now() - s.at >= reissueAfterMs) {
                    if (s && s.count >= maxActions) failures.push(describe(id, inst, `is still ${inst?.status} after ${s.count} ${action} requests`));
                    else toAct.push(id);
                }
            }
        }
        if (failures.length > 0) {
            throw powerError(`cannot bring ${label} to ${target}: Linode ${failures.join("; Linode ")}`);
        }
        pending = stillPending;
        opts.onProgress?.({ type: "poll", bootOrder: wave.bootOrder, done: wave.linodeIds.length - pending.length, total: wave.linodeIds.length, statuses });
        if (pending.length === 0) break;

        if (toAct.length > 0) {
            opts.onProgress?.({ type: "actions", bootOrder: wave.bootOrder, action, linodeIds: toAct });
            const results = await Promise.allSettled(
                toAct.map((id) => (action === "boot" ? bootInstance : shutdownInstance)(client, id, { signal: opts.signal })),
            );
            const hardFailures: string[] = [];
            results.forEach((r, i) => {
                const id = toAct[i] as number;
                const prev = sent[String(id)];
                sent[String(id)] = { count: (prev?.count ?? 0) + 1, at: Date.now() };
                if (r.status === "fulfilled") {
                    report.actions++;
                    return;
                }
                const err: unknown = r.reason;
                if (opts.signal?.aborted) throw err;
                // Busy or throttled past the client's retries: the node is occupied; look again next poll.
                if (isLinodeApiError(err) && (isBusyReason(err.errors.map((e) => e.reason)) || err.status === 429 || err.status >= 500)) return;
                hardFailures.push(describe(id, byId[String(id)], `refused ${action}: ${(err as Error).message}`));
            });
            if (hardFailures.length > 0) throw powerError(`cannot bring ${label} to ${target}: Linode ${hardFailures.join("; Linode ")}`);
        }

        if (Date.now() >= deadline) {
            const waiting = pending.map((id) => describe(id, byId[String(id)], `is ${byId[String(id)]?.status ?? "missing"}`));
            throw powerError(
                `${label} did not reach ${target} within ${seconds(timeoutMs)}; still waiting for Linode ${waiting.join(", Linode ")}`,
            );
        }
        await sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())), opts.signal);
    }
    report.ms = Date.now() - started;
    opts.onProgress?.({ type: "wave-done", bootOrder: wave.bootOrder, groups: wave.groups, total: wave.linodeIds.length, ms: report.ms });
    return report;
}

/** "0.3 s", "12 s": whole seconds once they are long enough not to need tenths. */
function seconds(ms: number): string {
    return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
