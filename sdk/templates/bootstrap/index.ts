import { buildInventory } from "../../inventory/build";
import { wireInventory } from "../../inventory/wiring";
import type { ResolvedPlan } from "../../plan/resolved";
import { etcdBootstrap } from "./etcd";
import { haproxyBootstrap } from "./haproxy";
import { kafkaBrokerBootstrap, kafkaControllerBootstrap } from "./kafka";
import { memcachedBootstrap } from "./memcached";
import { BOOTSTRAP_SCRIPT_PATH, renderBootstrapScript } from "./script";
import type { BootstrapContext, RoleBootstrap } from "./types";
import { zookeeperBootstrap } from "./zookeeper";

/**
 * Per-role bootstrap: the roles whose software LCT installs and configures at first boot when a
 * template's `bootstrap` parameter is true. Roles Debian 12 packages (zookeeperd, etcd-server,
 * memcached, haproxy), and Kafka from a pinned Apache release with its published SHA-512
 * (releases.ts); only roles that need no cluster secrets: a role needing a password shared by
 * its members (PostgreSQL replication, Galera SST, WordPress) cannot put it in user data.
 */
export const ROLE_BOOTSTRAPS: ReadonlyMap<string, RoleBootstrap> = new Map(
    [zookeeperBootstrap, etcdBootstrap, memcachedBootstrap, haproxyBootstrap, kafkaControllerBootstrap, kafkaBrokerBootstrap].map((b) => [b.role, b]),
);

export function roleBootstrap(role: string): RoleBootstrap | undefined {
    return ROLE_BOOTSTRAPS.get(role);
}

/**
 * The bootstrap a template (by its parameter names) or a rendered plan (by its parameter
 * values) offers for a role: the role's, unless it installs a pinned upstream release and
 * there is no parameter choosing the version — which version is downloaded is the user's
 * choice, made visibly (iot-pipeline has no `kafkaVersion`: its brokers span regions, whose
 * public addresses are unknown at plan time).
 */
export function offeredBootstrap(parameters: Readonly<Record<string, unknown>> | undefined, role: string): RoleBootstrap | undefined {
    const b = ROLE_BOOTSTRAPS.get(role);
    if (!b) return undefined;
    if (b.versionParameter !== undefined && (parameters === undefined || !(b.versionParameter in parameters))) return undefined;
    return b;
}

/** The plan asks for bootstrap: it came from a template rendered with `bootstrap: true`. */
export function bootstrapRequested(plan: ResolvedPlan): boolean {
    return plan.template?.parameters?.bootstrap === true;
}

export interface NodeBootstrapScript {
    node: string;
    role: string;
    script: string;
}

/** Wiring of the planned inventory (VPC addresses only), computed once per plan. */
const wiringCache = new WeakMap<ResolvedPlan, ReturnType<typeof wireInventory>>();
function plannedWiring(plan: ResolvedPlan): ReturnType<typeof wireInventory> {
    let w = wiringCache.get(plan);
    if (!w) wiringCache.set(plan, (w = wireInventory(buildInventory(plan, { nodes: {}, volumes: {}, loadBalancers: {} }))));
    return w;
}

/**
 * The bootstrap script of one node, or undefined when its role has none. Does not look at the
 * `bootstrap` parameter: `lct templates bootstrap` renders scripts on request. Throws
 * BootstrapError when the plan cannot support the role's bootstrap.
 */
export function nodeBootstrapScript(plan: ResolvedPlan, nodeName: string): NodeBootstrapScript | undefined {
    const node = plan.nodes.find((n) => n.name === nodeName);
    if (!node) throw new Error(`no node ${nodeName} in plan ${plan.name}`);
    const role = offeredBootstrap(plan.template?.parameters, node.role);
    if (!role) return undefined;
    const wiring = plannedWiring(plan);
    const ctx: BootstrapContext = {
        plan,
        node,
        group: plan.groups.find((g) => g.key === node.group)!,
        vars: wiring.vars,
        hostVars: wiring.hostVars[node.name] ?? {},
    };
    const template = plan.template ? `${plan.template.name}${plan.template.version ? ` ${plan.template.version}` : ""}` : undefined;
    return { node: node.name, role: node.role, script: renderBootstrapScript(role.steps(ctx), { node: node.name, role: node.role, ...(template ? { template } : {}) }) };
}

/** Every node's bootstrap script (nodes whose role has none are left out). */
export function bootstrapScripts(plan: ResolvedPlan): NodeBootstrapScript[] {
    return plan.nodes.map((n) => nodeBootstrapScript(plan, n.name)).filter((s): s is NodeBootstrapScript => s !== undefined);
}

/**
 * What first boot should add for a node, in the shape of the hardening step model (a file and
 * a command), when the plan requested bootstrap and the node's role has one; else undefined.
 *
 * This is the extension the hardening renderer needs to call (see docs/templates.md,
 * "Bootstrap"): the file written with the other deferred files, the command run after the
 * hardening completion step, in both the cloud-config and the StackScript renderers.
 */
export interface BootstrapExtension {
    files: Array<{ path: string; content: string; mode: string }>;
    /** Each an argv, run after the hardening's own steps. */
    commands: string[][];
}

export function bootstrapExtension(plan: ResolvedPlan, nodeName: string): BootstrapExtension | undefined {
    if (!bootstrapRequested(plan)) return undefined;
    const s = nodeBootstrapScript(plan, nodeName);
    if (!s) return undefined;
    return { files: [{ path: BOOTSTRAP_SCRIPT_PATH, content: s.script, mode: "0700" }], commands: [[BOOTSTRAP_SCRIPT_PATH]] };
}

export { BOOTSTRAP_LOG_LINE, BOOTSTRAP_MARKER_FILE, BOOTSTRAP_SCRIPT_PATH, renderBootstrapScript } from "./script";
export { FETCH_RELEASE_FUNCTION } from "./fetch";
export { KAFKA_VERSION_PARAMETER, kafkaClusterId } from "./kafka";
export { findRelease, releasesOf, UPSTREAM_RELEASES, type UpstreamRelease } from "./releases";
export { BootstrapError, type BootstrapContext, type BootstrapSteps, type ReleaseStep, type RoleBootstrap } from "./types";
