import * as pulumi from "@pulumi/pulumi";
import type { Catalog } from "../catalog/types";
import { BuildProgressListener, onBuildProgress } from "../components/batching";
import { LinodeCluster, LinodeClusterArgs } from "../components/linode-cluster";
import type { ResolvedPlan } from "../plan/resolved";
import { PlanSource, resolvePlan } from "../plan/resolve-plan";
import { EngineLog, installRecordingMocks, Registration } from "./mock-runtime";

/** Outputs a provider computes at create time: unknown in a preview, as in `pulumi preview`. */
const COMPUTED: Record<string, string[]> = {
    "linode:index/instance:Instance": ["ipAddress", "privateIpAddress", "ipv6", "ipv4s", "status"],
    "linode:index/nodeBalancer:NodeBalancer": ["hostname", "ipv4", "ipv6"],
    "tls:index/privateKey:PrivateKey": ["publicKeyOpenssh", "privateKeyOpenssh", "privateKeyPem"],
    "random:index/randomPassword:RandomPassword": ["result"],
};

export interface PreviewRun {
    plan: ResolvedPlan;
    /** Every resource the stack would register, in registration order. */
    resources: Registration[];
    /** The component name used (the stack name in the root stack). */
    name: string;
    /** What the program logged (pulumi.log): in `pulumi up` these are the engine's diagnostics. */
    logs: EngineLog[];
}

/**
 * What runs after the node groups, which report their own progress: the cluster-wide resources
 * (firewalls, NodeBalancers, DNS, member sync, power), then Pulumi settling every registration
 * and output — a few seconds for thousands of nodes, during which no node is counted.
 */
export interface PreviewPhase {
    phase: "cluster" | "settle";
    /** Resources registered when the phase starts. */
    resources: number;
}

export interface PreviewOptions {
    /**
     * The component name: the root stack names its cluster after the stack, so this is the
     * stack name to preview as. Default: the plan's name.
     */
    name?: string;
    catalog?: Catalog;
    onProgress?: BuildProgressListener;
    onPhase?: (phase: PreviewPhase) => void;
    /**
     * Arguments as the root stack passes them (stacks/index.ts → sdk/stack/program.ts). Default:
     * `power: "running"` (lct:power's default), which adds the ClusterPower resource.
     */
    args?: Partial<LinodeClusterArgs>;
}

/**
 * Evaluates the real LinodeCluster program under Pulumi's mock runtime in preview mode: the same
 * code `pulumi up` runs, with no engine, credentials or network.
 */
export async function runPreview(plan: PlanSource, opts: PreviewOptions = {}): Promise<PreviewRun> {
    // Resolve first (it validates, and gives the default name) — the component resolves a
    // resolved plan again for free.
    const resolved = resolvePlan(plan, opts.catalog ? { catalog: opts.catalog } : {}).resolved;
    const name = opts.name ?? resolved.name;
    const runtime = await installRecordingMocks({
        dryRun: true,
        stack: name,
        computed: (type) => Object.fromEntries((COMPUTED[type] ?? []).map((k) => [k, pulumi.runtime.unknownValue])),
        collectLogs: true,
    });
    const { onProgress, onPhase } = opts;
    const stop =
        onProgress || onPhase
            ? onBuildProgress((e) => {
                  onProgress?.(e);
                  // The component reports each group once its nodes exist; the last one starts the cluster-wide part.
                  if (e.phase === "groups" && e.done === e.total) onPhase?.({ phase: "cluster", resources: runtime.registered.length });
              })
            : () => undefined;
    try {
        const { adminPrivateKey, ...args } = opts.args ?? {};
        const cluster = new LinodeCluster(name, {
            plan: resolved,
            ...(opts.catalog ? { catalog: opts.catalog } : {}),
            power: "running",
            ...args,
            // The root stack reads the key as a secret (lct:adminPrivateKey); so does the preview.
            ...(adminPrivateKey !== undefined ? { adminPrivateKey: pulumi.secret(adminPrivateKey) } : {}),
        });
        await cluster.built;
        onPhase?.({ phase: "settle", resources: runtime.registered.length });
        await runtime.drain();
        return { plan: cluster.plan, resources: runtime.registered, name, logs: runtime.logs };
    } finally {
        stop();
        runtime.close();
    }
}
