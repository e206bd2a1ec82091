/**
 * ClusterPower: the desired power state of a cluster (`running` or `stopped`, default from the
 * stack config `lct:power`), applied group by group in boot order. Idempotent: every run looks
 * at the nodes and does only what is missing, so re-running after a failure half-way is safe.
 *
 * The provider object is serialized by Pulumi into the state. Its methods therefore reach
 * everything through plain functions captured by value and `require()` what they need inside
 * (see docs/linode-api.md, "Serialization rules"); the token is read at run time.
 */
import * as pulumi from "@pulumi/pulumi";
import { resolveApiEndpoint } from "../linode-api/config";
import { type InputFailure, POWER_STATES, type PowerGroup, type PowerState, powerGroupProblems } from "./power-plan";
import { coerceLinodeIds, isUnknown, providerClient, type StackConfigLike } from "./provider-client";
import { type PowerReport, setClusterPower } from "./set-cluster-power";

export const CLUSTER_POWER_TYPE = "pulumi-nodejs:dynamic/lct:ClusterPower";

/** Plain inputs, as provider methods receive them. */
export interface ClusterPowerInputs {
    cluster: string;
    power: PowerState;
    groups: PowerGroup[];
    /** Per wave (boot order). */
    timeoutSeconds: number;
    pollIntervalMs: number;
    /** Host root of the API, e.g. a simulator; default LINODE_URL / linode:url / api.linode.com. */
    apiUrl?: string;
    apiVersion?: string;
    /** Stop the cluster (reverse boot order) when this resource is deleted. Default false. */
    stopOnDelete: boolean;
}

export interface ClusterPowerObserved {
    power: PowerState;
    waves: Array<{ bootOrder: number; groups: string[]; nodes: number; actions: number; seconds: number }>;
    seconds: number;
}

export interface ClusterPowerOutputs extends ClusterPowerInputs {
    observed: ClusterPowerObserved;
    /** When the state was last applied (ISO 8601, UTC). */
    appliedAt: string;
}

const DEFAULT_TIMEOUT_SECONDS = 900;
const DEFAULT_POLL_MS = 3000;

export function normalizeClusterPowerInputs(given: Record<string, unknown>): { inputs: ClusterPowerInputs; failures: InputFailure[] } {
    const failures: InputFailure[] = [];
    const raw: Record<string, unknown> = {
        ...given,
        groups: Array.isArray(given.groups)
            ? given.groups.map((g: unknown) => (g !== null && typeof g === "object" ? { ...g, linodeIds: coerceLinodeIds((g as PowerGroup).linodeIds) } : g))
            : given.groups,
    };
    const cluster = raw.cluster;
    if (!isUnknown(cluster) && (typeof cluster !== "string" || cluster.trim() === "")) {
        failures.push({ property: "cluster", reason: "cluster must be the cluster's name" });
    }
    const power = raw.power ?? "running";
    if (!isUnknown(power) && !POWER_STATES.includes(power as PowerState)) {
        failures.push({ property: "power", reason: `power must be "running" or "stopped" (stack config lct:power), not ${JSON.stringify(power)}` });
    }
    failures.push(...powerGroupProblems(raw.groups, isUnknown));
    const timeoutSeconds = raw.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
    if (!isUnknown(timeoutSeconds) && (typeof timeoutSeconds !== "number" || !(timeoutSeconds > 0))) {
        failures.push({ property: "timeoutSeconds", reason: "timeoutSeconds must be a positive number" });
    }
    const pollIntervalMs = raw.pollIntervalMs ?? DEFAULT_POLL_MS;
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
    const groups = Array.isArray(raw.groups)
        ? (raw.groups as PowerGroup[]).map((g) =>
              g !== null && typeof g === "object"
                  ? { name: g.name, bootOrder: g.bootOrder, linodeIds: Array.isArray(g.linodeIds) ? [...new Set(g.linodeIds)] : g.linodeIds }
                  : g,
          )
        : (raw.groups as PowerGroup[]);
    return {
        inputs: {
            cluster: cluster as string,
            power: power as PowerState,
            groups,
            timeoutSeconds: timeoutSeconds as number,
            pollIntervalMs: pollIntervalMs as number,
            ...(apiUrl === undefined ? {} : { apiUrl }),
            ...(apiVersion === undefined ? {} : { apiVersion }),
            stopOnDelete: raw.stopOnDelete === true,
        },
        failures,
    };
}

/** The inputs that decide what the provider does, in a comparable form. */
function comparable(v: Partial<ClusterPowerInputs>): string {
    const groups = Array.isArray(v.groups)
        ? [...v.groups]
              .map((g) => ({ name: g.name, bootOrder: g.bootOrder, linodeIds: Array.isArray(g.linodeIds) ? [...g.linodeIds].sort((a, b) => a - b) : g.linodeIds }))
              .sort((a, b) => String(a.name).localeCompare(String(b.name)))
        : v.groups;
    return JSON.stringify([v.cluster, v.power, groups, v.timeoutSeconds, v.pollIntervalMs, v.apiUrl ?? null, v.apiVersion ?? null, v.stopOnDelete ?? false]);
}

function summarize(report: PowerReport): ClusterPowerObserved {
    return {
        power: report.power,
        waves: report.waves.map((w) => ({
            bootOrder: w.bootOrder,
            groups: w.groups,
            nodes: w.linodeIds.length,
            actions: w.actions,
            seconds: Math.round(w.ms / 100) / 10,
        })),
        seconds: Math.round(report.ms / 100) / 10,
    };
}

interface ClusterPowerProvider extends pulumi.dynamic.ResourceProvider {
    stackConfig?: StackConfigLike;
}

export function makeClusterPowerProvider(): ClusterPowerProvider {
    return {
        async configure(req: pulumi.dynamic.ConfigureRequest) {
            this.stackConfig = req.config;
        },
        async check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
            const { inputs, failures } = normalizeClusterPowerInputs(news);
            return { inputs: { ...news, ...inputs }, failures };
        },
        async diff(_id: string, olds: ClusterPowerOutputs, news: ClusterPowerInputs) {
            return { changes: comparable(olds) !== comparable(news), replaces: [], deleteBeforeReplace: false };
        },
        async create(inputs: ClusterPowerInputs) {
            const client = providerClient("ClusterPower", inputs, this.stackConfig);
            const report = await setClusterPower(client, {
                groups: inputs.groups,
                power: inputs.power,
                pollIntervalMs: inputs.pollIntervalMs,
                waveTimeoutMs: inputs.timeoutSeconds * 1000,
            });
            const outs: ClusterPowerOutputs = { ...inputs, observed: summarize(report), appliedAt: new Date().toISOString() };
            return { id: `lct-power-${inputs.cluster}`, outs };
        },
        async update(_id: string, _olds: ClusterPowerOutputs, news: ClusterPowerInputs) {
            const client = providerClient("ClusterPower", news, this.stackConfig);
            const report = await setClusterPower(client, {
                groups: news.groups,
                power: news.power,
                pollIntervalMs: news.pollIntervalMs,
                waveTimeoutMs: news.timeoutSeconds * 1000,
            });
            const outs: ClusterPowerOutputs = { ...news, observed: summarize(report), appliedAt: new Date().toISOString() };
            return { outs };
        },
        async delete(_id: string, props: ClusterPowerOutputs) {
            // Forgetting the desired state leaves the nodes as they are, unless asked otherwise:
            // on `pulumi destroy` the nodes are being deleted anyway.
            if (!props.stopOnDelete) return;
            const client = providerClient("ClusterPower", props, this.stackConfig);
            await setClusterPower(client, {
                groups: props.groups,
                power: "stopped",
                pollIntervalMs: props.pollIntervalMs,
                waveTimeoutMs: props.timeoutSeconds * 1000,
            });
        },
    };
}

/** One provider object per process: Pulumi serializes it once and caches the text. */
export const clusterPowerProvider = makeClusterPowerProvider();

export interface ClusterPowerGroupArgs {
    name: pulumi.Input<string>;
    bootOrder: pulumi.Input<number>;
    /** Linode ids; Pulumi's string ids ("12345") are accepted too. */
    linodeIds: pulumi.Input<pulumi.Input<number | string>[]>;
}

export interface ClusterPowerArgs {
    cluster: pulumi.Input<string>;
    groups: pulumi.Input<pulumi.Input<ClusterPowerGroupArgs>[]>;
    /** Default: stack config `lct:power`, else "running". */
    power?: pulumi.Input<PowerState>;
    timeoutSeconds?: pulumi.Input<number>;
    pollIntervalMs?: pulumi.Input<number>;
    apiUrl?: pulumi.Input<string>;
    apiVersion?: pulumi.Input<string>;
    stopOnDelete?: pulumi.Input<boolean>;
}

/** `lct:power` from the stack config; "running" when unset. */
export function desiredPowerFromConfig(): PowerState {
    const value = new pulumi.Config("lct").get("power");
    if (value === undefined || value === "") return "running";
    if (!POWER_STATES.includes(value as PowerState)) {
        throw new Error(`stack config lct:power must be "running" or "stopped", not "${value}"`);
    }
    return value as PowerState;
}

export class ClusterPower extends pulumi.dynamic.Resource {
    declare public readonly cluster: pulumi.Output<string>;
    declare public readonly power: pulumi.Output<PowerState>;
    declare public readonly groups: pulumi.Output<PowerGroup[]>;
    declare public readonly observed: pulumi.Output<ClusterPowerObserved>;
    declare public readonly appliedAt: pulumi.Output<string>;

    constructor(name: string, args: ClusterPowerArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            clusterPowerProvider,
            name,
            { ...args, power: args.power ?? desiredPowerFromConfig(), observed: undefined, appliedAt: undefined },
            opts,
            "lct",
            "ClusterPower",
        );
    }
}
