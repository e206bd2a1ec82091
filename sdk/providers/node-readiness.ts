/**
 * NodeReadiness: a gate that completes when a group's nodes are running and — with SSH checks
 * on — answer on SSH and show the hardening completion marker. Dependent groups and
 * NodeBalancer attachments take it in `dependsOn`, so they wait for ready backends.
 *
 * Serialized by Pulumi like ClusterPower: plain functions, `require()` inside methods, and the
 * token and SSH key read from the environment at run time, never from inputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { resolveApiEndpoint } from "../linode-api/config";
import type { InputFailure } from "./power-plan";
import { coerceLinodeIds, isUnknown, providerClient, type StackConfigLike } from "./provider-client";
import { type MarkerMode, type NodeReadyState, type SshJump, waitForNodeReadiness } from "./readiness";

export const NODE_READINESS_TYPE = "pulumi-nodejs:dynamic/lct:NodeReadiness";

export interface NodeReadinessSshInputs {
    /** Default true. */
    enabled: boolean;
    /** Default 22. */
    port: number;
    /** Default "root". */
    user: string;
    /** Address per node (aligned with linodeIds); default each node's public IPv4. */
    addresses?: string[];
    /** Default "auto": checked when LCT_SSH_PRIVATE_KEY(_FILE) is set at run time. */
    marker: MarkerMode;
    /** Default the LCT completion marker path. */
    markerFile?: string;
    /** Per probe. Default 5000 ms. */
    connectTimeoutMs: number;
    /** A bastion the nodes are reached through (`addresses` are then as the bastion sees them). */
    jump?: SshJump;
}

export interface NodeReadinessInputs {
    group: string;
    linodeIds: number[];
    ssh: NodeReadinessSshInputs;
    timeoutSeconds: number;
    pollIntervalMs: number;
    apiUrl?: string;
    apiVersion?: string;
}

export interface NodeReadinessOutputs extends NodeReadinessInputs {
    nodes: NodeReadyState[];
    readyAt: string;
}

const MARKER_MODES: readonly MarkerMode[] = ["auto", "required", "skip"];

export function normalizeNodeReadinessInputs(raw: Record<string, unknown>): { inputs: NodeReadinessInputs; failures: InputFailure[] } {
    const failures: InputFailure[] = [];
    const group = raw.group;
    if (!isUnknown(group) && (typeof group !== "string" || group.trim() === "")) {
        failures.push({ property: "group", reason: "group must be the group's name" });
    }
    const ids = coerceLinodeIds(raw.linodeIds);
    if (!isUnknown(ids)) {
        if (!Array.isArray(ids)) failures.push({ property: "linodeIds", reason: "linodeIds must be a list of Linode ids" });
        else
            ids.forEach((id, i) => {
                if (!isUnknown(id) && (typeof id !== "number" || !Number.isInteger(id) || id <= 0)) {
                    failures.push({ property: `linodeIds[${i}]`, reason: `${JSON.stringify(id)} is not a Linode id` });
                }
            });
    }
    const s = (raw.ssh ?? {}) as Partial<Omit<NodeReadinessSshInputs, "jump">> & { jump?: Partial<SshJump> & { host: string } };
    const ssh: NodeReadinessSshInputs = {
        enabled: s.enabled ?? true,
        port: s.port ?? 22,
        user: s.user ?? "root",
        marker: s.marker ?? "auto",
        connectTimeoutMs: s.connectTimeoutMs ?? 5000,
        ...(s.addresses === undefined ? {} : { addresses: s.addresses }),
        ...(s.markerFile === undefined ? {} : { markerFile: s.markerFile }),
        ...(s.jump === undefined ? {} : { jump: { host: s.jump.host, user: s.jump.user ?? s.user ?? "root", port: s.jump.port ?? 22 } }),
    };
    if (ssh.jump && !isUnknown(ssh.jump.host) && (typeof ssh.jump.host !== "string" || ssh.jump.host.trim() === "")) {
        failures.push({ property: "ssh.jump.host", reason: "ssh.jump.host must be the bastion's address" });
    }
    if (ssh.jump && !isUnknown(ssh.jump.port) && (!Number.isInteger(ssh.jump.port) || ssh.jump.port < 1 || ssh.jump.port > 65535)) {
        failures.push({ property: "ssh.jump.port", reason: "ssh.jump.port must be 1-65535" });
    }
    if (!isUnknown(ssh.port) && (!Number.isInteger(ssh.port) || ssh.port < 1 || ssh.port > 65535)) {
        failures.push({ property: "ssh.port", reason: "ssh.port must be 1-65535" });
    }
    if (!isUnknown(ssh.user) && (typeof ssh.user !== "string" || !/^[a-z_][a-z0-9_-]*$/i.test(ssh.user))) {
        failures.push({ property: "ssh.user", reason: "ssh.user must be a user name" });
    }
    if (!MARKER_MODES.includes(ssh.marker)) failures.push({ property: "ssh.marker", reason: `ssh.marker must be one of ${MARKER_MODES.join(", ")}` });
    if (Array.isArray(ssh.addresses) && Array.isArray(ids) && ssh.addresses.length !== ids.length) {
        failures.push({ property: "ssh.addresses", reason: `${ssh.addresses.length} addresses for ${ids.length} Linodes; give one per Linode or none` });
    }
    const timeoutSeconds = raw.timeoutSeconds ?? 900;
    if (!isUnknown(timeoutSeconds) && (typeof timeoutSeconds !== "number" || !(timeoutSeconds > 0))) {
        failures.push({ property: "timeoutSeconds", reason: "timeoutSeconds must be a positive number" });
    }
    const pollIntervalMs = raw.pollIntervalMs ?? 5000;
    if (!isUnknown(pollIntervalMs) && (typeof pollIntervalMs !== "number" || pollIntervalMs < 10)) {
        failures.push({ property: "pollIntervalMs", reason: "pollIntervalMs must be a number of at least 10" });
    }
    const apiUrl = typeof raw.apiUrl === "string" && raw.apiUrl !== "" ? raw.apiUrl : undefined;
    const apiVersion = typeof raw.apiVersion === "string" && raw.apiVersion !== "" ? raw.apiVersion : undefined;
    if (apiUrl !== undefined && !isUnknown(apiUrl)) {
        try {
            resolveApiEndpoint({ url: apiUrl, ...(apiVersion ? { apiVersion } : {}) });
        } catch (e) {
            failures.push({ property: "apiUrl", reason: (e as Error).message });
        }
    }
    return {
        inputs: {
            group: group as string,
            linodeIds: Array.isArray(ids) ? [...new Set(ids as number[])] : (ids as number[]),
            ssh,
            timeoutSeconds: timeoutSeconds as number,
            pollIntervalMs: pollIntervalMs as number,
            ...(apiUrl === undefined ? {} : { apiUrl }),
            ...(apiVersion === undefined ? {} : { apiVersion }),
        },
        failures,
    };
}

function comparable(v: Partial<NodeReadinessInputs>): string {
    return JSON.stringify([v.group, v.linodeIds, v.ssh, v.timeoutSeconds, v.pollIntervalMs, v.apiUrl ?? null, v.apiVersion ?? null]);
}

interface NodeReadinessProvider extends pulumi.dynamic.ResourceProvider {
    stackConfig?: StackConfigLike;
}

export function makeNodeReadinessProvider(): NodeReadinessProvider {
    async function wait(self: NodeReadinessProvider, inputs: NodeReadinessInputs): Promise<NodeReadinessOutputs> {
        const client = providerClient("NodeReadiness", inputs, self.stackConfig);
        const report = await waitForNodeReadiness(client, {
            group: inputs.group,
            linodeIds: inputs.linodeIds,
            ssh: inputs.ssh,
            timeoutMs: inputs.timeoutSeconds * 1000,
            pollIntervalMs: inputs.pollIntervalMs,
            env: process.env,
        });
        return { ...inputs, nodes: report.nodes, readyAt: new Date().toISOString() };
    }
    return {
        async configure(req: pulumi.dynamic.ConfigureRequest) {
            this.stackConfig = req.config;
        },
        async check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
            const { inputs, failures } = normalizeNodeReadinessInputs(news);
            return { inputs: { ...news, ...inputs }, failures };
        },
        async diff(_id: string, olds: NodeReadinessOutputs, news: NodeReadinessInputs) {
            return { changes: comparable(olds) !== comparable(news), replaces: [], deleteBeforeReplace: false };
        },
        async create(inputs: NodeReadinessInputs) {
            const outs = await wait(this, inputs);
            return { id: `lct-ready-${inputs.group}`, outs };
        },
        async update(_id: string, _olds: NodeReadinessOutputs, news: NodeReadinessInputs) {
            return { outs: await wait(this, news) };
        },
        async delete() {
            // A gate has nothing to tear down.
        },
    };
}

export const nodeReadinessProvider = makeNodeReadinessProvider();

export interface NodeReadinessArgs {
    group: pulumi.Input<string>;
    /** Linode ids; Pulumi's string ids ("12345") are accepted too. */
    linodeIds: pulumi.Input<pulumi.Input<number | string>[]>;
    ssh?: pulumi.Input<{
        enabled?: pulumi.Input<boolean>;
        port?: pulumi.Input<number>;
        user?: pulumi.Input<string>;
        addresses?: pulumi.Input<pulumi.Input<string>[]>;
        marker?: pulumi.Input<MarkerMode>;
        markerFile?: pulumi.Input<string>;
        connectTimeoutMs?: pulumi.Input<number>;
        jump?: pulumi.Input<{ host: pulumi.Input<string>; user?: pulumi.Input<string>; port?: pulumi.Input<number> }>;
    }>;
    timeoutSeconds?: pulumi.Input<number>;
    pollIntervalMs?: pulumi.Input<number>;
    apiUrl?: pulumi.Input<string>;
    apiVersion?: pulumi.Input<string>;
}

export class NodeReadiness extends pulumi.dynamic.Resource {
    declare public readonly group: pulumi.Output<string>;
    declare public readonly linodeIds: pulumi.Output<number[]>;
    declare public readonly nodes: pulumi.Output<NodeReadyState[]>;
    declare public readonly readyAt: pulumi.Output<string>;

    constructor(name: string, args: NodeReadinessArgs, opts?: pulumi.CustomResourceOptions) {
        super(nodeReadinessProvider, name, { ...args, nodes: undefined, readyAt: undefined }, opts, "lct", "NodeReadiness");
    }
}
