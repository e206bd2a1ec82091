import type { ResolvedPlan } from "../plan/resolved";
import { error, type PlanIssue } from "../plan/issues";
import type { PlanRule } from "../plan/rules/rule";
import { renderCloudConfig } from "./cloud-config";
import { buildBootstrapModel, type RenderOptions } from "./model";
import { stackScriptData } from "./stackscript";
import { indexPlan } from "../network/member-addresses";

/** Linode Metadata: user data at most 65,535 bytes before base64 (hardening-and-stacks.md §6.3). */
export const USER_DATA_LIMIT = 65_535;
/** `stackscript_data` at most 65,535 characters of JSON (Linode API, instance create). */
export const STACKSCRIPT_DATA_LIMIT = 65_535;

/**
 * Stands in for the key LCT generates when the plan has none. As long as an RSA-4096 public
 * key, so a plan that passes here still fits whatever key type the component makes.
 */
export const GENERATED_KEY_PLACEHOLDER = "ssh-rsa " + "A".repeat(716) + " lct-generated";

export interface NodeUserDataSize {
    node: string;
    group: string;
    method: "cloud-init" | "stackscript";
    /** Bytes of cloud-config, or characters of stackscript_data JSON. */
    size: number;
    limit: number;
}

export function userDataSizes(plan: ResolvedPlan, opts: RenderOptions = {}): NodeUserDataSize[] {
    return plan.nodes.map((n) => nodeUserDataSize(plan, n.name, opts));
}

function nodeUserDataSize(plan: ResolvedPlan, nodeName: string, opts: RenderOptions): NodeUserDataSize {
    const keys = plan.admin.sshKeys.length === 0 && !(opts.sshKeys?.length) ? { sshKeys: [GENERATED_KEY_PLACEHOLDER] } : opts;
    const index = indexPlan(plan);
    const n = index.node(nodeName)!;
    const g = index.group(n.group)!;
    if (g.configMethod === "stackscript") {
        const size = JSON.stringify(stackScriptData(plan, n.name, keys)).length;
        return { node: n.name, group: g.key, method: "stackscript", size, limit: STACKSCRIPT_DATA_LIMIT };
    }
    const size = Buffer.byteLength(renderCloudConfig(buildBootstrapModel(plan, n.name, keys)), "utf8");
    return { node: n.name, group: g.key, method: "cloud-init", size, limit: USER_DATA_LIMIT };
}

/** Near the limit every node of a group is measured; below it, the largest candidates suffice. */
const EXACT_MARGIN = 4096;

/**
 * The nodes of a group render the same document except for their identity (name, FQDN, VPC
 * address, volume labels), so the largest documents belong to the nodes with the longest
 * identities. Measuring those keeps validation of a 10,000-node plan fast.
 */
function groupSizes(plan: ResolvedPlan, nodes: readonly string[], opts: RenderOptions): NodeUserDataSize[] {
    const index = indexPlan(plan);
    const identity = (name: string) => {
        const n = index.node(name)!;
        return n.name.length + (n.fqdn?.length ?? 0) + (n.vpcIp?.length ?? 0) + n.volumes.join("").length;
    };
    let longest = nodes[0]!;
    for (const n of nodes) if (identity(n) > identity(longest)) longest = n;
    const sample = [...new Set([longest, nodes[nodes.length - 1]!])].map((n) => nodeUserDataSize(plan, n, opts));
    const largest = Math.max(...sample.map((s) => s.size - s.limit));
    return largest > -EXACT_MARGIN ? nodes.map((n) => nodeUserDataSize(plan, n, opts)) : sample;
}

/** One error per group whose nodes would not fit, naming the largest node. */
export function userDataIssues(plan: ResolvedPlan): PlanIssue[] {
    const issues: PlanIssue[] = [];
    for (const g of plan.groups) {
        let sizes: NodeUserDataSize[];
        try {
            sizes = groupSizes(plan, g.nodes, {});
        } catch (e) {
            // A first-boot extension (e.g. a template's bootstrap) that cannot render for this plan.
            issues.push(error("hardening.user-data-size", g.path, `its first-boot configuration cannot be rendered: ${(e as Error).message}`));
            continue;
        }
        const over = sizes.filter((s) => s.size > s.limit);
        if (over.length === 0) continue;
        const worst = over.reduce((a, b) => (b.size > a.size ? b : a));
        const what = worst.method === "cloud-init" ? "cloud-init user data" : "StackScript data";
        const hint =
            worst.method === "cloud-init"
                ? "it grows with the number of VPC members in the region, which first boot lists in /etc/hosts; use configMethod: stackscript for this group (its per-node data stays small), or spread the cluster over more regions"
                : "its per-node data is only identity and volume labels, so this is a bug in LCT";
        issues.push(
            error(
                "hardening.user-data-size",
                g.path,
                `${what} of ${over.length} node(s) exceeds Linode's limit: ${worst.node} needs ${worst.size} bytes, the limit is ${worst.limit}; ${hint}`,
            ),
        );
    }
    return issues;
}

export const userDataSizeRule: PlanRule = {
    id: "hardening.user-data-size",
    phase: "resolved",
    check: ({ resolved }) => userDataIssues(resolved),
};
