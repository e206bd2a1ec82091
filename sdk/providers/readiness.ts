/**
 * Waits until a group's nodes are ready: running in the API, and — when SSH checks are on —
 * answering with an SSH banner and, when a key is available, showing the hardening completion
 * marker. Times out with the reason for every node that is not ready.
 *
 * Captured by value into the serialized NodeReadiness provider: plain functions only.
 */
import type { LinodeClient } from "../linode-api/client";
import { listInstancesByIds } from "../linode-api/instances";
import { sleep } from "../linode-api/sleep";
import type { LinodeInstance } from "../linode-api/types";
import { checkCompletionMarker, privateKeyFromEnv, probeSshBanner } from "./ssh-probe";

export type MarkerMode = "auto" | "required" | "skip";

export interface ReadinessSsh {
    /** Off: "running" is enough. */
    enabled: boolean;
    port: number;
    user: string;
    /** Address to probe per node, aligned with `linodeIds`; default the node's first IPv4. */
    addresses?: string[];
    /** auto: check the marker when a key is in the environment; required: fail without one. */
    marker: MarkerMode;
    markerFile?: string;
    connectTimeoutMs: number;
    /**
     * A bastion the node is reached through (its public address; the node's address is then the
     * one the bastion sees). Such nodes refuse direct SSH, so no banner probe: the marker check
     * goes through the bastion, and without a key "running" is all that can be known.
     */
    jump?: SshJump;
}

export interface SshJump {
    host: string;
    user: string;
    port: number;
}

export interface WaitForReadinessOptions {
    group: string;
    linodeIds: number[];
    ssh: ReadinessSsh;
    timeoutMs: number;
    pollIntervalMs: number;
    /** Where LCT_SSH_PRIVATE_KEY(_FILE) and LCT_SSH_KNOWN_HOSTS_FILE are read. */
    env: Record<string, string | undefined>;
    signal?: AbortSignal;
    onProgress?: (ready: number, total: number) => void;
}

export interface NodeReadyState {
    id: number;
    label: string;
    address: string;
    ssh: "ok" | "skipped";
    marker: "present" | "skipped";
}

export interface ReadinessReport {
    nodes: NodeReadyState[];
    polls: number;
    ms: number;
}

function readinessError(message: string): Error {
    const e = new Error(message);
    e.name = "NodeReadinessError";
    return e;
}

/** Runs `fn` over `items` with at most `limit` at once. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
    const out: R[] = new Array(items.length);
    let next = 0;
    const worker = async (): Promise<void> => {
        while (next < items.length) {
            const i = next++;
            out[i] = await fn(items[i] as T);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return out;
}

export async function waitForNodeReadiness(client: LinodeClient, opts: WaitForReadinessOptions): Promise<ReadinessReport> {
    const started = Date.now();
    const deadline = started + opts.timeoutMs;
    const ssh = opts.ssh;
    const key = ssh.enabled && ssh.marker !== "skip" ? privateKeyFromEnv(opts.env) : undefined;
    if (ssh.enabled && ssh.marker === "required" && !key) {
        throw readinessError(
            `NodeReadiness for group ${opts.group} must check the hardening marker but has no SSH key: ` +
                "set LCT_SSH_PRIVATE_KEY_FILE (a path) or LCT_SSH_PRIVATE_KEY (the key) in the environment",
        );
    }
    if (ssh.addresses && ssh.addresses.length !== opts.linodeIds.length) {
        throw readinessError(`NodeReadiness for group ${opts.group}: ${ssh.addresses.length} SSH addresses for ${opts.linodeIds.length} nodes`);
    }
    const ready: Record<string, NodeReadyState> = {};
    const why: Record<string, string> = {};
    let polls = 0;
    try {
        for (;;) {
            const pending = opts.linodeIds.filter((id) => !ready[String(id)]);
            if (pending.length === 0) break;
            const seen = await listInstancesByIds(client, pending, { signal: opts.signal });
            polls++;
            const byId: Record<string, LinodeInstance> = {};
            for (const inst of seen) byId[String(inst.id)] = inst;
            const missing = pending.filter((id) => !byId[String(id)]);
            if (missing.length > 0) {
                throw readinessError(`NodeReadiness for group ${opts.group}: Linode ${missing.join(", ")} does not exist`);
            }
            await mapLimit(pending, 16, async (id) => {
                const inst = byId[String(id)] as LinodeInstance;
                const index = opts.linodeIds.indexOf(id);
                const address = ssh.addresses?.[index] ?? inst.ipv4[0] ?? "";
                if (inst.status !== "running") {
                    why[String(id)] = `is ${inst.status}`;
                    return;
                }
                if (!ssh.enabled) {
                    ready[String(id)] = { id, label: inst.label, address, ssh: "skipped", marker: "skipped" };
                    return;
                }
                if (!address) {
                    why[String(id)] = "has no address to probe";
                    return;
                }
                if (ssh.jump && !key) {
                    ready[String(id)] = { id, label: inst.label, address, ssh: "skipped", marker: "skipped" };
                    return;
                }
                if (!ssh.jump) {
                    const banner = await probeSshBanner(address, ssh.port, ssh.connectTimeoutMs);
                    if (!banner.ok) {
                        why[String(id)] = `SSH not answering (${banner.why})`;
                        return;
                    }
                }
                if (!key) {
                    ready[String(id)] = { id, label: inst.label, address, ssh: "ok", marker: "skipped" };
                    return;
                }
                const marker = await checkCompletionMarker({
                    host: address,
                    port: ssh.port,
                    user: ssh.user,
                    privateKeyFile: key.file,
                    ...(opts.env.LCT_SSH_KNOWN_HOSTS_FILE ? { knownHostsFile: opts.env.LCT_SSH_KNOWN_HOSTS_FILE } : {}),
                    ...(ssh.markerFile ? { markerFile: ssh.markerFile } : {}),
                    ...(ssh.jump ? { jump: ssh.jump } : {}),
                    timeoutMs: ssh.connectTimeoutMs,
                });
                if (marker.ok) ready[String(id)] = { id, label: inst.label, address, ssh: "ok", marker: "present" };
                else if (!marker.retryable) throw readinessError(`NodeReadiness for group ${opts.group}: ${marker.why}`);
                else why[String(id)] = marker.why;
            });
            const readyCount = opts.linodeIds.filter((id) => ready[String(id)]).length;
            opts.onProgress?.(readyCount, opts.linodeIds.length);
            if (readyCount === opts.linodeIds.length) break;
            if (Date.now() >= deadline) {
                const lines = opts.linodeIds
                    .filter((id) => !ready[String(id)])
                    .map((id) => `Linode ${id}${byId[String(id)] ? ` (${byId[String(id)]?.label})` : ""} ${why[String(id)] ?? "not checked"}`);
                throw readinessError(
                    `group ${opts.group} not ready within ${seconds(opts.timeoutMs)}: ${lines.join("; ")}`,
                );
            }
            await sleep(Math.min(opts.pollIntervalMs, Math.max(0, deadline - Date.now())), opts.signal);
        }
    } finally {
        key?.cleanup();
    }
    return { nodes: opts.linodeIds.map((id) => ready[String(id)] as NodeReadyState), polls, ms: Date.now() - started };
}

/** "0.3 s", "12 s": whole seconds once they are long enough not to need tenths. */
function seconds(ms: number): string {
    return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
