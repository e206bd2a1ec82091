import * as pulumi from "@pulumi/pulumi";
import type { Catalog } from "../catalog/types";
import { buildInventory } from "../inventory/build";
import { matchesFilter, NodeFilter } from "../inventory/filter";
import { selectorPredicate } from "../inventory/query";
import type { ClusterInventory, InventoryNode, ObservedLoadBalancer } from "../inventory/types";
import type { ResolvedPlan } from "../plan/resolved";
import { PlanSource, resolvePlan } from "../plan/resolve-plan";
import { createAdminKey } from "./admin-key";
import { reportProgress } from "./batching";
import { createDns } from "./dns";
import { createFirewalls } from "./firewalls";
import { createLoadBalancers } from "./load-balancers";
import { createMemberSync } from "./member-sync";
import { hasLateMembers } from "../network/member-addresses";
import { type BastionRoute, bastionRoutes } from "./bastion-route";
import { childNamer } from "./names";
import { observe } from "./observed";
import { NodeGroup } from "./node-group";
import { Region } from "./region";
import type { SecureNode } from "./secure-node";
import { TYPES } from "./types";
import { ClusterPower } from "../providers/cluster-power";
import { NodeReadiness } from "../providers/node-readiness";

export interface LinodeClusterArgs {
    /**
     * The cluster plan: an object, a path to a YAML/JSON plan file, or a resolved plan. It decides
     * which resources exist, so it must be known when the program runs (not an Output).
     */
    plan: PlanSource;
    /** Catalogue to validate against; the bundled one by default. */
    catalog?: Catalog;
    /** More admin public keys (e.g. from stack config), added to the plan's. */
    adminPublicKeys?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * The admin private key (a secret), for pushing membership to running nodes when the plan
     * gives its own public keys. Not needed when LCT generates the key.
     */
    adminPrivateKey?: pulumi.Input<string>;
    /**
     * "auto" (default): push membership known only after creation (private IPv4s, other regions'
     * addresses) to running nodes over SSH. "off": leave that to your own tooling — host
     * firewalls then admit only members known at plan time.
     */
    memberSync?: "auto" | "off";
    /**
     * Desired power state of every node (root stack: `lct:power`). When set, a ClusterPower
     * resource starts groups in boot order, or stops them in reverse, waiting for each.
     */
    power?: pulumi.Input<"running" | "stopped">;
    /**
     * Wait for each group's nodes to be running — and, where SSH reaches them, hardened (the
     * completion marker) — before creating groups later in boot order and attaching nodes to
     * NodeBalancers (NodeReadiness). Default: off.
     */
    readiness?: { sshUser?: string; timeoutSeconds?: number; marker?: "auto" | "required" | "skip" } | boolean;
    /**
     * The Linode API that ClusterPower and NodeReadiness call (they are dynamic resources, so a
     * custom `linode.Provider` in the options does not reach them): host root URL and version.
     * Unset: `LINODE_URL` / `LINODE_API_VERSION`, then the stack's `linode:url` / `linode:apiVersion`.
     * Their token always comes from `LINODE_TOKEN` or `linode:token` at run time, never an input.
     */
    api?: { url?: pulumi.Input<string>; apiVersion?: pulumi.Input<string> };
}

/**
 * A secure Linode cluster from a ClusterPlan: Region → NodeGroup → SecureNode (+ StorageTier),
 * with per-group Cloud Firewalls, NodeBalancers, DNS and an admin key when the plan has none.
 */
export class LinodeCluster extends pulumi.ComponentResource {
    /** The validated, fully resolved plan this cluster was built from. */
    public readonly plan: ResolvedPlan;
    /** Every node with ids, addresses, tags and volumes. */
    public readonly inventory: pulumi.Output<ClusterInventory>;
    /** Inventory nodes by group key. */
    public readonly nodesByGroup: pulumi.Output<Record<string, InventoryNode[]>>;
    public readonly loadBalancerAddresses: pulumi.Output<Record<string, ObservedLoadBalancer>>;
    /** Cloud Firewall id by group key. */
    public readonly firewallIds: pulumi.Output<Record<string, string>>;
    /** Admin public keys installed on every node. */
    public readonly adminPublicKeys: pulumi.Output<string[]>;
    /** The generated admin private key (secret), when the plan gave no key. */
    public readonly adminPrivateKey?: pulumi.Output<string>;
    /** Resolves once every child resource has been registered. */
    public readonly built: Promise<void>;

    constructor(name: string, args: LinodeClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validate before registering anything: an invalid plan throws PlanValidationError
        // naming every plan path, and leaves nothing half-created behind.
        const { resolved } = resolvePlan(args.plan, args.catalog ? { catalog: args.catalog } : {});
        // Nodes learn members created after their first boot by member sync, which needs SSH.
        const keyAvailable = resolved.admin.generateKey || args.adminPrivateKey !== undefined;
        const lateGroups = args.memberSync === "off" ? [] : resolved.groups.filter((g) => hasLateMembers(resolved, g.key));
        if (lateGroups.length > 0 && !keyAvailable) {
            throw new Error(
                `LinodeCluster ${name}: groups ${lateGroups.map((g) => g.key).join(", ")} see members whose addresses are known only after creation ` +
                    "(private IPv4s or other regions); LCT pushes them to running nodes over SSH and needs the admin private key. " +
                    "Pass adminPrivateKey (a secret, e.g. `pulumi config set --secret lct:adminPrivateKey < ~/.ssh/id_ed25519`), " +
                    'remove defaults.sshKeys so that LCT generates a key, or set memberSync: "off".',
            );
        }
        super(TYPES.cluster, name, {}, opts);
        this.plan = resolved;
        const memberSync = args.memberSync !== "off" && keyAvailable;
        if (args.memberSync !== "off" && !keyAvailable) {
            void pulumi.log.warn(
                "no admin private key: nodes will not learn about members added when the cluster grows (pass adminPrivateKey, or let LCT generate the key)",
                this,
            );
        }
        const nameOf = childNamer(name, resolved);

        const generated = resolved.admin.generateKey ? createAdminKey(`${name}-admin-key`, this) : undefined;
        this.adminPrivateKey = generated?.privateKey;
        const adminKeys = pulumi
            .all([resolved.admin.sshKeys, args.adminPublicKeys ?? [], generated?.publicKey])
            .apply(([plan, extra, gen]) => [...new Set([...plan, ...extra, ...(gen ? [gen] : [])])]);
        this.adminPublicKeys = adminKeys;
        // User data renders the plan with every admin key; built once, shared by every node.
        const renderPlan = adminKeys.apply((keys) => ({ ...resolved, admin: { ...resolved.admin, sshKeys: keys } }));

        const regions = new Map(
            resolved.regions.map((r) => [
                r.id,
                new Region(nameOf(r.resourceName), { region: r, groups: resolved.groups.filter((g) => g.region === r.id) }, { parent: this }),
            ]),
        );
        const nodes = new Map<string, SecureNode>();
        const readiness = args.readiness === true ? {} : args.readiness || undefined;
        const groups: NodeGroup[] = [];
        const build = (async () => {
                let done = 0;
                const ready = new Map<string, NodeReadiness>();
                // Groups are built one after another (in boot order) so that batching bounds the
                // pending work and readiness can order them; the bastion first, as others are
                // reached through it.
                const buildOrder = [...resolved.groups].sort(
                    (a, b) => Number(b.key === resolved.bastion) - Number(a.key === resolved.bastion) || a.bootOrder - b.bootOrder,
                );
                for (const g of buildOrder) {
                    const earlier = resolved.groups.filter((x) => x.bootOrder < g.bootOrder && ready.has(x.key)).map((x) => ready.get(x.key)!);
                    const group = new NodeGroup(
                        nameOf(g.resourceName),
                        { plan: resolved, groupKey: g.key, renderPlan, adminKeys, region: regions.get(g.region)!, after: earlier },
                        { parent: this },
                    );
                    await group.built;
                    groups.push(group);
                    for (const [n, node] of group.nodes) nodes.set(n, node);
                    if (readiness) ready.set(g.key, createReadiness(group, resolved, readiness, bastionRoutes(resolved, nodes), args.api));
                    reportProgress("groups", ++done, resolved.groups.length);
                }
                const fws = createFirewalls({ plan: resolved, nodes, nameOf, parent: this });
                const lbs = createLoadBalancers({ plan: resolved, nodes, nameOf, parent: this, readyGroups: ready });
                createDns({ plan: resolved, nodes, componentName: name, parent: this });
                if (memberSync) {
                    await createMemberSync({ plan: resolved, nodes, firewalls: fws, privateKey: args.adminPrivateKey ?? generated!.privateKey });
                }
                if (args.power !== undefined) {
                    new ClusterPower(
                        `${name}-power`,
                        {
                            cluster: resolved.name,
                            power: args.power,
                            groups: groups.map((grp) => ({ name: grp.group.key, bootOrder: grp.group.bootOrder, linodeIds: grp.instanceIds })),
                            ...apiInputs(args.api),
                        },
                        { parent: this, dependsOn: [...ready.values()] },
                    );
                }
                return { fws, lbs };
            })();
        this.built = build.then(() => undefined);
        const firewalls = pulumi.output(build);

        const observed = firewalls.apply(({ lbs }) => observe(nodes, groups, lbs));
        this.inventory = observed.apply((o) => buildInventory(resolved, o));
        this.nodesByGroup = this.inventory.apply((inv) =>
            Object.fromEntries(resolved.groups.map((g) => [g.key, inv.nodes.filter((n) => n.group === g.key)])),
        );
        this.loadBalancerAddresses = observed.apply((o) => o.loadBalancers);
        this.firewallIds = firewalls.apply(({ fws }) => pulumi.all(Object.fromEntries(Object.entries(fws).map(([k, fw]) => [k, fw.id]))));
        this.registerOutputs({
            inventory: this.inventory,
            nodesByGroup: this.nodesByGroup,
            loadBalancerAddresses: this.loadBalancerAddresses,
            firewallIds: this.firewallIds,
            adminPublicKeys: this.adminPublicKeys,
            adminPrivateKey: this.adminPrivateKey,
        });
    }

    /**
     * Nodes matching a filter (tag, role, group, region, label, type) or a query string such as
     * `"role=kafka-broker and region=us-east"` (see docs/inventory.md). A malformed query throws
     * here, while the program runs.
     */
    nodes(filter: NodeFilter | string = {}): pulumi.Output<InventoryNode[]> {
        if (typeof filter === "string") {
            const match = selectorPredicate(filter);
            return this.inventory.apply((inv) => inv.nodes.filter((n) => match(n, inv.cluster)));
        }
        return this.inventory.apply((inv) => inv.nodes.filter((n) => matchesFilter(n, filter)));
    }
}

/**
 * Waits for a group's nodes (running, SSH answering, hardening marker when a key is available).
 * Nodes behind the bastion refuse SSH from anywhere else, so they are checked through it.
 */
function createReadiness(
    group: NodeGroup,
    plan: ResolvedPlan,
    opts: { sshUser?: string; timeoutSeconds?: number; marker?: "auto" | "required" | "skip" },
    routeTo: (nodeName: string) => BastionRoute | undefined,
    api: LinodeClusterArgs["api"],
): NodeReadiness {
    const user = opts.sshUser ?? plan.admin.user;
    const routes = group.group.nodes.map(routeTo);
    const nodes = group.group.nodes.map((n) => group.nodes.get(n)!);
    const viaBastion = routes[0];
    return new NodeReadiness(
        `${group.logicalName}-readiness`,
        {
            group: group.group.key,
            linodeIds: group.instanceIds,
            ssh: {
                user,
                addresses: viaBastion ? routes.map((r) => r!.host) : nodes.map((n) => n.publicIpv4),
                marker: opts.marker ?? "auto",
                ...(viaBastion ? { jump: { host: viaBastion.bastion, user: plan.admin.user } } : {}),
            },
            ...(opts.timeoutSeconds !== undefined ? { timeoutSeconds: opts.timeoutSeconds } : {}),
            ...apiInputs(api),
        },
        { parent: group },
    );
}

/** The dynamic resources' API inputs, only those given. */
function apiInputs(api: LinodeClusterArgs["api"]): { apiUrl?: pulumi.Input<string>; apiVersion?: pulumi.Input<string> } {
    return {
        ...(api?.url !== undefined ? { apiUrl: api.url } : {}),
        ...(api?.apiVersion !== undefined ? { apiVersion: api.apiVersion } : {}),
    };
}
