import { indexCatalog } from "../../catalog/catalog-index";
import type { Catalog } from "../../catalog/types";
import { CAP_VPC } from "../../catalog/types";
import { parseCidr } from "../../network/cidr";
import { defaultVpcSubnet, groupFirstBlock, nodeVpcAddress } from "../../network/vpc-addresses";
import {
    firewallLabel,
    groupResourceName,
    loadBalancerLabel,
    loadBalancerResourceName,
    nodeName,
    placementGroupLabel,
    regionResourceName,
    subnetLabel,
    volumeLabel,
    volumeName,
    vpcLabel,
} from "../../naming/names";
import { dedupe, lctTag, nodeTags } from "../../naming/tags";
import type {
    PrivateNetworkMode,
    ResolvedGroup,
    ResolvedLoadBalancer,
    ResolvedNode,
    ResolvedPlan,
    ResolvedRegion,
    ResolvedVolume,
    SourceSet,
} from "../resolved";
import type { ClusterPlan } from "../schema";
import { accessRules } from "./access";
import { toPortSets, toRanges } from "./port-rules";
import { mergeSources, resolveSelector, SelectorScope } from "./selectors";
import { dnsRecordNamer } from "./dns-names";

export const DEFAULTS = {
    image: "linode/debian12",
    type: "g6-standard-2",
    adminUser: "ops",
    hardening: "baseline",
    configMethod: "cloud-init",
} as const;

/**
 * Turns a valid plan into the fully resolved plan. Pure and deterministic: the same plan and
 * catalogue always give the same result, and every name derives from the plan alone.
 * Call it only on plans that passed schema validation; plan rules report everything else.
 */
export function normalize(plan: ClusterPlan, catalog: Catalog): ResolvedPlan {
    const cat = indexCatalog(catalog);
    const d = plan.defaults;
    const cluster = plan.name;
    const planTags = plan.tags ?? [];
    const clusterTag = lctTag("cluster", cluster);

    const scope: SelectorScope = {
        groups: plan.regions.flatMap((r) =>
            r.nodeGroups.map((g) => ({ key: `${r.region}/${g.name}`, name: g.name, region: r.region, role: g.role ?? g.name })),
        ),
        clientCidrs: plan.exposure?.clientCidrs ?? [],
    };
    const sourcesOf = (selectors: readonly string[] | undefined, self: string): SourceSet =>
        mergeSources(
            (selectors ?? ["cluster"]).flatMap((s) => {
                const r = resolveSelector(s, self, scope);
                return r.ok ? [r.sources] : [];
            }),
        );

    const regions: ResolvedRegion[] = [];
    const groups: ResolvedGroup[] = [];
    const nodes: ResolvedNode[] = [];
    const volumes: ResolvedVolume[] = [];
    const lbTargets = new Set(
        (plan.loadBalancers ?? []).flatMap((lb) => lb.listeners.map((l) => targetKey(lb.region, l.target.group))),
    );

    plan.regions.forEach((r, ri) => {
        const catRegion = cat.region(r.region);
        const mode = privateNetworkMode(r.privateNetwork ?? plan.privateNetwork, catRegion?.capabilities ?? []);
        const subnet = mode === "vpc" ? (r.vpcSubnet ?? defaultVpcSubnet(catRegion?.vpcIndex ?? 1)) : undefined;
        const regionTags = dedupe([clusterTag, lctTag("region", r.region), ...planTags, ...(r.tags ?? [])]);
        const region: ResolvedRegion = {
            id: r.region,
            label: catRegion?.label ?? r.region,
            privateNetwork: mode,
            resourceName: regionResourceName(cluster, r.region),
            tags: regionTags,
            groups: [],
            ...(subnet
                ? { vpc: { label: vpcLabel(cluster, r.region), subnetLabel: subnetLabel(cluster, r.region), subnet } }
                : {}),
        };
        regions.push(region);

        r.nodeGroups.forEach((g, gi) => {
            const key = `${r.region}/${g.name}`;
            const role = g.role ?? g.name;
            const bootOrder = g.bootOrder ?? 0;
            const extraTags = [...planTags, ...(r.tags ?? []), ...(g.tags ?? [])];
            const tags = nodeTags({ cluster, region: r.region, group: g.name, role, bootOrder, extra: extraTags });
            const resourceName = groupResourceName(cluster, r.region, g.name);
            const perPg = catRegion?.maxLinodesPerPlacementGroup ?? 5;
            const storage = (g.storage ?? []).map((s) => ({
                name: s.name,
                sizeGb: s.sizeGb,
                mountPath: s.mountPath,
                filesystem: s.filesystem,
                deletionPolicy: s.deletionPolicy,
            }));
            const firstBlock = subnet ? groupFirstBlock(g.name, subnet, g.addressBlock) : 0;
            const group: ResolvedGroup = {
                key,
                name: g.name,
                region: r.region,
                role,
                resourceName,
                type: g.type ?? d?.type ?? DEFAULTS.type,
                image: g.image ?? d?.image ?? DEFAULTS.image,
                count: g.count,
                bootOrder,
                antiAffinity: g.antiAffinity ?? false,
                configMethod: g.configMethod ?? d?.configMethod ?? DEFAULTS.configMethod,
                hardening: {
                    profile: g.hardening?.profile ?? d?.hardening ?? DEFAULTS.hardening,
                    forwarding: g.hardening?.forwarding ?? false,
                    egress: {
                        mode: g.hardening?.egress?.mode ?? "open",
                        allow: toPortSets(g.hardening?.egress?.allow),
                    },
                    extraPorts: toPortSets(g.hardening?.extraPorts),
                },
                privateIp: mode === "private-ip" || lbTargets.has(key),
                tags,
                services: (g.services ?? []).map((s) => {
                    const from = sourcesOf(s.from, key);
                    return {
                        name: s.name,
                        protocol: s.protocol,
                        ports: toRanges(s.ports),
                        clientFacing: from.world || from.cidrs.length > 0,
                        from,
                    };
                }),
                publicPorts: toPortSets([
                    ...(g.publicPorts ?? []),
                    ...(plan.exposure?.publicPorts ?? [])
                        .filter((p) => !p.groups || p.groups.some((sel) => selects(sel, key, scope)))
                        .flatMap((p) => p.ports),
                ]),
                storage,
                nodes: [],
                path: `regions[${ri}].nodeGroups[${gi}]`,
            };
            if (group.antiAffinity) group.placementGroups = [];
            const dnsName = plan.dns ? dnsRecordNamer(plan.dns.hostnamePattern, { cluster, region: r.region, group: g.name, role }) : undefined;
            const domain = plan.dns?.domain.toLowerCase();
            // The same for every volume of the group: one list, shared like the nodes' `tags` (plans have thousands of volumes).
            const volumeTags = storage.length > 0 ? dedupe([clusterTag, lctTag("region", r.region), lctTag("group", g.name), lctTag("role", role), ...extraTags]) : [];
            for (let index = 1; index <= g.count; index++) {
                const name = nodeName(cluster, r.region, g.name, index);
                const volumeNames = storage.map((s) => volumeName(name, s.name));
                const node: ResolvedNode = {
                    name,
                    label: name,
                    hostname: name.toLowerCase(),
                    group: key,
                    groupName: g.name,
                    region: r.region,
                    role,
                    index,
                    type: group.type,
                    image: group.image,
                    tags,
                    privateIp: group.privateIp,
                    volumes: volumeNames,
                };
                if (subnet) node.vpcIp = nodeVpcAddress(subnet, firstBlock, index);
                if (dnsName) {
                    node.dnsName = dnsName(index);
                    node.fqdn = `${node.dnsName}.${domain}`;
                }
                nodes.push(node);
                group.nodes.push(name);
                if (group.placementGroups) {
                    const part = Math.floor((index - 1) / perPg) + 1;
                    let pg = group.placementGroups[part - 1];
                    if (!pg) {
                        pg = { label: placementGroupLabel(cluster, r.region, g.name, part), nodes: [] };
                        group.placementGroups.push(pg);
                    }
                    pg.nodes.push(name);
                }
                storage.forEach((s, si) => {
                    volumes.push({
                        name: volumeNames[si]!,
                        label: volumeLabel(name, s.name),
                        node: name,
                        group: key,
                        region: r.region,
                        storageName: s.name,
                        sizeGb: s.sizeGb,
                        mountPath: s.mountPath,
                        filesystem: s.filesystem,
                        deletionPolicy: s.deletionPolicy,
                        tags: volumeTags,
                    });
                });
            }
            region.groups.push(key);
            groups.push(group);
        });
    });

    const loadBalancers: ResolvedLoadBalancer[] = (plan.loadBalancers ?? []).map((lb) => ({
        name: lb.name,
        resourceName: loadBalancerResourceName(cluster, lb.name),
        label: loadBalancerLabel(cluster, lb.name),
        region: lb.region,
        clientConnThrottle: lb.clientConnThrottle,
        tags: dedupe([clusterTag, lctTag("region", lb.region), ...planTags, ...(lb.tags ?? [])]),
        listeners: lb.listeners.map((l) => {
            const target = targetKey(lb.region, l.target.group);
            const hc = l.healthCheck;
            return {
                port: l.port,
                protocol: l.protocol,
                algorithm: l.algorithm,
                stickiness: l.stickiness,
                check: {
                    type: hc?.type ?? "connection",
                    ...(hc?.path !== undefined ? { path: hc.path } : {}),
                    ...(hc?.body !== undefined ? { body: hc.body } : {}),
                    intervalSec: hc?.intervalSec ?? 10,
                    timeoutSec: hc?.timeoutSec ?? 5,
                    attempts: hc?.attempts ?? 3,
                    passive: hc?.passive ?? true,
                },
                target: { group: target, port: l.target.port },
                nodes: groups.find((g) => g.key === target)?.nodes ?? [],
            };
        }),
    }));

    // No admin networks (absent or an empty list) means SSH from anywhere, warned by the security rule.
    const adminCidrs = plan.exposure?.adminCidrs?.length ? plan.exposure.adminCidrs : undefined;
    const adminSources: SourceSet = adminCidrs ? { groups: [], cidrs: [...adminCidrs], world: false } : { groups: [], cidrs: [], world: true };
    const bastion = plan.bastion ? scope.groups.find((g) => selects(plan.bastion!, g.key, scope))?.key : undefined;
    const sshKeys = d?.sshKeys ?? [];

    return {
        schemaVersion: 1,
        name: cluster,
        ...(plan.description !== undefined ? { description: plan.description } : {}),
        planTags,
        clusterTag,
        admin: {
            user: d?.adminUser ?? DEFAULTS.adminUser,
            sshKeys: sshKeys.map((k) => k.trim()),
            generateKey: sshKeys.length === 0,
            cidrs: {
                ipv4: (adminCidrs ?? ["0.0.0.0/0"]).filter((c) => parseCidr(c)?.version === 4),
                ipv6: (adminCidrs ?? ["::/0"]).filter((c) => parseCidr(c)?.version === 6),
            },
        },
        regions,
        groups,
        nodes,
        volumes,
        loadBalancers,
        access: accessRules({ groups, loadBalancers, adminSources, ...(bastion ? { bastion } : {}) }),
        firewalls: groups.map((g) => ({
            label: firewallLabel(cluster, g.region, g.name),
            resourceName: `${g.resourceName}-firewall`,
            groups: [g.key],
        })),
        ...(plan.dns
            ? {
                  dns: {
                      domain: plan.dns.domain.toLowerCase(),
                      ...(plan.dns.domainId !== undefined ? { domainId: plan.dns.domainId } : {}),
                      ...(plan.dns.soaEmail !== undefined ? { soaEmail: plan.dns.soaEmail } : {}),
                      ttlSec: plan.dns.ttlSec,
                      records: nodes.map((n) => ({ node: n.name, name: n.dnsName!, type: "A" as const })),
                  },
              }
            : {}),
        ...(bastion ? { bastion } : {}),
        catalog: { source: catalog.source, date: catalog.date },
        ...(plan.template ? { template: plan.template } : {}),
    };
}

function privateNetworkMode(mode: "auto" | "vpc" | "private-ip", capabilities: readonly string[]): PrivateNetworkMode {
    if (mode === "auto") return capabilities.includes(CAP_VPC) ? "vpc" : "private-ip";
    return mode;
}

/** A load balancer's target: a group name in its region, or an explicit `<region>/<group>`. */
export function targetKey(lbRegion: string, group: string): string {
    return group.includes("/") ? group : `${lbRegion}/${group}`;
}

function selects(selector: string, key: string, scope: SelectorScope): boolean {
    const r = resolveSelector(selector, key, scope);
    return r.ok && r.sources.groups.includes(key);
}
