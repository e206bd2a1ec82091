/**
 * Input of the plain program in benchmark 1: the same Linode resources LinodeCluster creates for
 * the plan, as a user would write them down — logical names, labels, tags, VPC addresses,
 * firewall rules and one cloud-config template per group. Written by the parent before any
 * child starts, so the plain program loads none of LCT's code and pays nothing for validation.
 */
import { renderNodeBootstrap } from "../../sdk/hardening";
import { firewallSpecs } from "../../sdk/network/firewall-rules";
import type { ResolvedPlan } from "../../sdk/plan/resolved";

export interface PlainSpec {
    n: number;
    vpc: { name: string; label: string; region: string; subnetName: string; subnetLabel: string; subnet: string };
    adminKeys: string[];
    groups: PlainGroup[];
}

export interface PlainGroup {
    key: string;
    passwordName: string;
    /** cloud-config text cut at the node's own values: strings, and keys of PlainNode to put in. */
    userData: Array<string | { put: "name" | "hostname" | "volumeLabel" }>;
    firewall: {
        name: string;
        label: string;
        tags: string[];
        inbound: Array<{ label: string; description: string; protocol: string; ports: string; ipv4: string[]; ipv6: string[] }>;
    };
    nodes: PlainNode[];
}

export interface PlainNode {
    name: string;
    instanceName: string;
    label: string;
    hostname: string;
    region: string;
    type: string;
    image: string;
    tags: string[];
    vpcIp: string;
    volume: { name: string; label: string; region: string; size: number; tags: string[] };
    volumeLabel: string;
}

/** The benchmark plan in the plain program's terms (one region with a VPC, one volume per node). */
export function plainSpec(plan: ResolvedPlan, componentName: string): PlainSpec {
    const region = plan.regions[0]!;
    if (plan.regions.length !== 1 || !region.vpc) throw new Error("benchmark 1 uses one VPC region");
    const rename = (resourceName: string) => componentName + resourceName.slice(plan.name.length);
    const volumes = new Map(plan.volumes.map((v) => [v.node, v]));
    const nodes = new Map(plan.nodes.map((n) => [n.name, n]));
    const fws = new Map(firewallSpecs(plan).map((f) => [f.group, f]));
    return {
        n: plan.nodes.length,
        vpc: {
            name: `${rename(region.resourceName)}-vpc`,
            label: region.vpc.label,
            region: region.id,
            subnetName: `${rename(region.resourceName)}-subnet`,
            subnetLabel: region.vpc.subnetLabel,
            subnet: region.vpc.subnet,
        },
        adminKeys: plan.admin.sshKeys,
        groups: plan.groups.map((g): PlainGroup => {
            const groupName = rename(g.resourceName);
            const fw = fws.get(g.key)!;
            const first = nodes.get(g.nodes[0]!)!;
            return {
                key: g.key,
                passwordName: `${groupName}-root-password`,
                userData: userDataTemplate(plan, first.name, { name: first.name, hostname: first.hostname, volumeLabel: volumes.get(first.name)!.label }),
                firewall: {
                    name: rename(fw.resourceName),
                    label: fw.label,
                    tags: g.tags.filter((t) => !t.startsWith("lct:boot-order=")),
                    inbound: fw.inbound.map((r) => ({
                        label: r.label,
                        description: r.description,
                        protocol: r.protocol,
                        ports: r.ports,
                        ipv4: r.ipv4.map(cidrOnly),
                        ipv6: r.ipv6.map(cidrOnly),
                    })),
                },
                nodes: g.nodes.map((name): PlainNode => {
                    const n = nodes.get(name)!;
                    const v = volumes.get(name)!;
                    return {
                        name,
                        instanceName: `${groupName}-${n.index}-instance`,
                        label: n.label,
                        hostname: n.hostname,
                        region: n.region,
                        type: n.type,
                        image: n.image,
                        tags: n.tags,
                        vpcIp: n.vpcIp!,
                        volume: { name: `${groupName}-storage-${n.index}-${v.storageName}`, label: v.label, region: v.region, size: v.sizeGb, tags: v.tags },
                        volumeLabel: v.label,
                    };
                }),
            };
        }),
    };
}

function cidrOnly(ref: { kind: string; cidr?: string }): string {
    // One VPC region: every member is a VPC address, aggregated into CIDR blocks at plan time.
    if (ref.kind !== "cidr" || !ref.cidr) throw new Error("benchmark 1's plan has only plan-time addresses");
    return ref.cidr;
}

/**
 * The group's cloud-config as LCT renders it for its first node, cut where that node's own
 * values (name, hostname, volume label) appear, so that the plain program fills in each node's
 * — what a user's template literal does. Lines of the cluster hosts list stay as they are.
 */
function userDataTemplate(plan: ResolvedPlan, nodeName: string, values: Record<"name" | "hostname" | "volumeLabel", string>): PlainGroup["userData"] {
    const b = renderNodeBootstrap(plan, nodeName);
    if (b.method !== "cloud-init") throw new Error("benchmark 1 uses cloud-init");
    const keys = (Object.keys(values) as Array<keyof typeof values>).sort((a, b) => values[b].length - values[a].length);
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const pattern = new RegExp(`(?<![\\w-])(${keys.map((k) => escape(values[k])).join("|")})(?![\\w-])`, "g");
    const out: PlainGroup["userData"] = [];
    let text = "";
    for (const line of b.userData.split(/(?<=\n)/)) {
        if (/^\s+\d+\.\d+\.\d+\.\d+\s/.test(line)) {
            text += line;
            continue;
        }
        let last = 0;
        for (const m of line.matchAll(pattern)) {
            text += line.slice(last, m.index);
            out.push(text);
            text = "";
            out.push({ put: keys.find((k) => values[k] === m[1])! });
            last = m.index + m[0].length;
        }
        text += line.slice(last);
    }
    out.push(text);
    return out;
}
