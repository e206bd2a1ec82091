/** The work behind `lct cluster …`, loaded only when such a command runs. */
import { createLinodeClient, type LinodeClient } from "../../linode-api/client";
import { isLinodeApiError, isLinodeRequestError } from "../../linode-api/errors";
import { type DiscoveredCluster, discoverCluster } from "../../providers/cluster-discovery";
import type { PowerState } from "../../providers/power-plan";
import { type PowerProgress, setClusterPower } from "../../providers/set-cluster-power";
import type { CliContext } from "../context";
import { CliError, EXIT_INVALID, EXIT_USAGE } from "../io";
import type { ClusterCommandOptions } from "./cluster";

function clientFor(ctx: CliContext): LinodeClient {
    if (!ctx.io.env.LINODE_TOKEN?.trim()) {
        throw new CliError(
            "no Linode API token: set LINODE_TOKEN (against `lct sim`, any value works: LINODE_TOKEN=anything)",
            EXIT_USAGE,
        );
    }
    try {
        return createLinodeClient({ env: ctx.io.env });
    } catch (e) {
        throw new CliError((e as Error).message, EXIT_USAGE);
    }
}

/** API trouble is "could not run" (2); a cluster that does not converge is a failed operation (1). */
function asCliError(e: unknown): CliError {
    if (e instanceof CliError) return e;
    if (isLinodeApiError(e, 401)) return new CliError("the Linode API refused the token (401 Invalid Token); check LINODE_TOKEN", EXIT_USAGE);
    if (isLinodeApiError(e) || isLinodeRequestError(e)) return new CliError((e as Error).message, EXIT_USAGE);
    const err = e as Error;
    if (err?.name === "ClusterPowerError") return new CliError(err.message, EXIT_INVALID);
    return new CliError(err?.message ?? String(e), EXIT_USAGE);
}

async function findCluster(client: LinodeClient, name: string): Promise<DiscoveredCluster> {
    const found = await discoverCluster(client, name);
    if (found.groups.length === 0) throw new CliError(`no Linodes tagged lct:cluster=${name} at ${client.endpoint.root}`, EXIT_INVALID);
    return found;
}

function countStatuses(statuses: string[]): string {
    const counts: Record<string, number> = {};
    for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
    return Object.entries(counts)
        .sort((a, b) => b[1] - a[1])
        .map(([s, n]) => `${n} ${s}`)
        .join(", ");
}

function overallPower(statuses: string[]): "running" | "stopped" | "mixed" {
    if (statuses.every((s) => s === "running")) return "running";
    if (statuses.every((s) => s === "offline" || s === "stopped")) return "stopped";
    return "mixed";
}

function statusJson(c: DiscoveredCluster): unknown {
    const all = c.groups.flatMap((g) => g.nodes.map((n) => n.status));
    return {
        cluster: c.cluster,
        power: overallPower(all),
        nodes: all.length,
        groups: c.groups.map((g) => ({
            key: g.name,
            region: g.region,
            group: g.group,
            bootOrder: g.bootOrder,
            nodes: g.nodes.map((n) => ({ id: n.id, label: n.label, status: n.status, ipv4: n.ipv4[0] ?? null })),
        })),
        warnings: c.warnings,
    };
}

function printStatus(c: DiscoveredCluster, ctx: CliContext): void {
    const all = c.groups.flatMap((g) => g.nodes.map((n) => n.status));
    ctx.io.out(`cluster ${c.cluster}: ${all.length} nodes in ${c.groups.length} groups — ${overallPower(all)} (${countStatuses(all)})`);
    const rows = c.groups.map((g) => [String(g.bootOrder), g.name, `${g.nodes.filter((n) => n.status === "running").length}/${g.nodes.length}`, countStatuses(g.nodes.map((n) => n.status))]);
    const header = ["order", "group", "running", "statuses"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
    const line = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i] as number)).join("  ").trimEnd();
    ctx.io.out(line(header));
    for (const r of rows) ctx.io.out(line(r));
    for (const w of c.warnings) ctx.io.err(`warning: ${w}`);
}

export async function clusterStatus(name: string, opts: ClusterCommandOptions, ctx: CliContext): Promise<void> {
    const client = clientFor(ctx);
    try {
        const c = await findCluster(client, name);
        if (opts.json) ctx.io.out(JSON.stringify(statusJson(c), null, 2));
        else printStatus(c, ctx);
    } catch (e) {
        throw asCliError(e);
    }
}

function positive(name: string, value: string): number {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new CliError(`--${name} must be a positive number, not "${value}"`, EXIT_USAGE);
    return n;
}

export async function clusterPower(name: string, power: PowerState, opts: ClusterCommandOptions, ctx: CliContext): Promise<void> {
    const timeoutS = positive("timeout", opts.timeout);
    const pollMs = positive("poll", opts.poll);
    const client = clientFor(ctx);
    const say = (text: string): void => {
        if (!opts.json) ctx.io.out(text);
    };
    try {
        const c = await findCluster(client, name);
        for (const w of c.warnings) ctx.io.err(`warning: ${w}`);
        const orders = new Set(c.groups.map((g) => g.bootOrder)).size;
        const nodes = c.groups.reduce((n, g) => n + g.linodeIds.length, 0);
        say(`${power === "running" ? "Starting" : "Stopping"} cluster ${name}: ${nodes} nodes in ${orders} boot order${orders === 1 ? "" : "s"}`);
        let wave = 0;
        let lastDone = -1;
        const verb = power === "running" ? "running" : "offline";
        const onProgress = (e: PowerProgress): void => {
            if (e.type === "wave-start") {
                wave++;
                lastDone = -1;
                say(`[${wave}/${orders}] boot order ${e.bootOrder}: ${e.groups.join(", ")} (${e.total} node${e.total === 1 ? "" : "s"})`);
            } else if (e.type === "actions") {
                say(`      ${e.action === "boot" ? "booting" : "shutting down"} ${e.linodeIds.length} node${e.linodeIds.length === 1 ? "" : "s"}`);
            } else if (e.type === "poll" && e.done !== lastDone && e.done < e.total) {
                lastDone = e.done;
                say(`      ${e.done}/${e.total} ${verb} (${countStatuses(Object.entries(e.statuses).flatMap(([s, n]) => Array(n).fill(s) as string[]))})`);
            } else if (e.type === "wave-done") {
                say(`      ${e.total}/${e.total} ${verb} in ${(e.ms / 1000).toFixed(1)} s`);
            }
        };
        const report = await setClusterPower(client, {
            groups: c.groups.map((g) => ({ name: g.name, bootOrder: g.bootOrder, linodeIds: g.linodeIds })),
            power,
            pollIntervalMs: pollMs,
            waveTimeoutMs: timeoutS * 1000,
            onProgress,
        });
        const after = await findCluster(client, name);
        if (opts.json) {
            ctx.io.out(JSON.stringify({ ...(statusJson(after) as object), applied: power, seconds: report.ms / 1000, waves: report.waves }, null, 2));
        } else {
            say(`Cluster ${name} is ${power} (${(report.ms / 1000).toFixed(1)} s).`);
        }
    } catch (e) {
        throw asCliError(e);
    }
}
