/**
 * Wiring registry: per-stack group and host vars computed from a cluster's inventory.
 *
 * Which wirings apply to a cluster: the ones bound to the plan's `template.name` (a wiring's
 * own name binds to itself; `bindTemplate` adds more), together with every wiring one of
 * whose roles a node of the cluster plays. Each wiring reads only its own roles, so applying
 * several is safe; when two set the same variable, the later registration wins and a warning
 * says so.
 */
import type { ClusterInventory } from "../types";
import { cassandraWiring } from "./cassandra";
import { consulWiring, nomadWiring } from "./hashicorp";
import { hadoopWiring } from "./hadoop";
import { kafkaWiring } from "./kafka";
import { opensearchWiring } from "./opensearch";
import { patroniWiring } from "./patroni";
import { postgresqlWiring } from "./postgresql";
import { redisWiring } from "./redis";
import { sparkWiring } from "./spark";
import type { Wiring, WiringOutput } from "./types";
import { wordpressWiring } from "./wordpress";
import { zookeeperWiring } from "./zookeeper";

export type { Wiring, WiringOutput } from "./types";

const registry = new Map<string, Wiring>();
const templateBindings = new Map<string, string[]>();

/** Adds (or replaces) a wiring under its name. */
export function registerWiring(w: Wiring): void {
    registry.set(w.name, w);
}

/** Makes a template (by `template.name`) use these wirings, whatever roles its nodes play. */
export function bindTemplate(templateName: string, wiringNames: readonly string[]): void {
    templateBindings.set(templateName, [...wiringNames]);
}

export function listWirings(): Wiring[] {
    return [...registry.values()];
}

export function getWiring(name: string): Wiring | undefined {
    return registry.get(name);
}

/** The wirings that apply to a cluster (see the module comment). */
export function wiringsFor(inv: ClusterInventory): Wiring[] {
    const names = new Set<string>();
    const template = inv.template?.name;
    if (template !== undefined) {
        for (const n of templateBindings.get(template) ?? (registry.has(template) ? [template] : [])) names.add(n);
    }
    const roles = new Set(inv.nodes.map((n) => n.role));
    for (const w of registry.values()) if (w.roles.some((r) => roles.has(r))) names.add(w.name);
    return [...registry.values()].filter((w) => names.has(w.name));
}

const dropUndefined = (o: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** Every applicable wiring's vars, merged (group vars, host vars by node name, warnings). */
export function wireInventory(inv: ClusterInventory): WiringOutput & { applied: string[] } {
    const merged: WiringOutput & { applied: string[] } = { vars: {}, hostVars: {}, warnings: [], applied: [] };
    for (const w of wiringsFor(inv)) {
        const out = w.wire(inv);
        merged.applied.push(w.name);
        for (const [k, v] of Object.entries(dropUndefined(out.vars))) {
            if (k in merged.vars) merged.warnings.push(`wiring ${w.name} overrides ${k}`);
            merged.vars[k] = v;
        }
        for (const [node, vars] of Object.entries(out.hostVars)) Object.assign((merged.hostVars[node] ??= {}), dropUndefined(vars));
        merged.warnings.push(...out.warnings.map((m) => `cluster ${inv.cluster}: ${m}`));
    }
    return merged;
}

for (const w of [
    kafkaWiring,
    zookeeperWiring,
    cassandraWiring,
    sparkWiring,
    patroniWiring,
    postgresqlWiring,
    redisWiring,
    opensearchWiring,
    hadoopWiring,
    nomadWiring,
    consulWiring,
    wordpressWiring,
]) {
    registerWiring(w);
}
// Templates that bundle several stacks under one name.
bindTemplate("nomad", ["nomad", "consul"]);
bindTemplate("hashistack", ["nomad", "consul"]);
bindTemplate("kafka-zookeeper", ["kafka", "zookeeper"]);
bindTemplate("patroni", ["postgresql-patroni"]);

export {
    cassandraWiring,
    consulWiring,
    hadoopWiring,
    kafkaWiring,
    nomadWiring,
    opensearchWiring,
    patroniWiring,
    postgresqlWiring,
    redisWiring,
    sparkWiring,
    wordpressWiring,
    zookeeperWiring,
};
