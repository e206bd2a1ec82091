import * as pulumi from "@pulumi/pulumi";
import type { Catalog } from "../catalog/types";
import { BuildProgressListener, onBuildProgress } from "../components/batching";
import { LinodeCluster, LinodeClusterArgs } from "../components/linode-cluster";
import type { ResolvedPlan } from "../plan/resolved";
import type { PlanSource } from "../plan/resolve-plan";
import { installRecordingMocks, Registration } from "./mock-runtime";

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
}

/**
 * Evaluates the real LinodeCluster program under Pulumi's mock runtime in preview mode: the same
 * code `pulumi up` runs, with no engine, credentials or network.
 */
export async function runPreview(
    plan: PlanSource,
    opts: { name?: string; catalog?: Catalog; onProgress?: BuildProgressListener; args?: Partial<LinodeClusterArgs> } = {},
): Promise<PreviewRun> {
    const runtime = await installRecordingMocks({
        dryRun: true,
        stack: opts.name ?? "preview",
        computed: (type) => Object.fromEntries((COMPUTED[type] ?? []).map((k) => [k, pulumi.runtime.unknownValue])),
    });
    const stop = opts.onProgress ? onBuildProgress(opts.onProgress) : () => undefined;
    try {
        const cluster = new LinodeCluster(opts.name ?? "preview", {
            plan,
            ...(opts.catalog ? { catalog: opts.catalog } : {}),
            // A preview has no key to use; member-sync commands still appear when needed.
            ...(opts.args ?? {}),
        });
        await cluster.built;
        await runtime.drain();
        return { plan: cluster.plan, resources: runtime.registered, name: opts.name ?? "preview" };
    } finally {
        stop();
    }
}
