import { Document } from "yaml";
// Plans made from a template with `bootstrap: true` carry per-role first-boot steps.
import "../templates/register-bootstrap";
import { buildBootstrapModel, renderCloudConfig, renderGroupStackScript, renderNodeBootstrap, type BootstrapModel } from "../hardening";
import type { Arg } from "../hardening/model";
import { indexPlan } from "../network/member-addresses";
import type { ResolvedPlan } from "../plan/resolved";

/** How a node gets its first-boot hardening: base64 cloud-init user data, or StackScript data. */
export type NodeBootstrapInputs =
    | { method: "cloud-init"; userDataBase64: string }
    | { method: "stackscript"; data: Record<string, string> };

/** The seam between the hardening renderers and the components. */
export function nodeBootstrapInputs(plan: ResolvedPlan, nodeName: string): NodeBootstrapInputs {
    const text = cloudInitUserData(plan, nodeName);
    if (text !== undefined) return { method: "cloud-init", userDataBase64: Buffer.from(text, "utf8").toString("base64") };
    const b = renderNodeBootstrap(plan, nodeName);
    if (b.method === "cloud-init") userDataRenders.full++;
    return b.method === "cloud-init"
        ? { method: "cloud-init", userDataBase64: Buffer.from(b.userData, "utf8").toString("base64") }
        : { method: "stackscript", data: b.data };
}

export function groupStackScript(plan: ResolvedPlan, groupKey: string): string {
    return renderGroupStackScript(plan, groupKey);
}

/*
 * Rendering cloud-config through the YAML library costs about a millisecond per node — seconds
 * for a 5,000-node cluster, and it was the largest LCT-side cost in bench/. Nodes of a group
 * differ only in their per-node values (the model's UDF-tagged Args: hostname, FQDN, node
 * name, volume labels; and the node name in the header comment); everything else is shared.
 * So each group's user data is rendered once with sentinels in place of those values and cut
 * at the sentinels; a node's user data is that template with its own values put back.
 *
 * This gives exactly renderNodeBootstrap's text when (a) the node's model equals the template's
 * apart from those values, (b) every value renders as the same plain YAML scalar the sentinel
 * did (no quoting, no escaping; lineWidth 0 means no folding), and (c) the template reproduces
 * the group's first node byte for byte — checked against renderNodeBootstrap itself. Anything
 * else falls back to rendering the node in full, so the output never differs.
 *
 * (The proper home for this is sdk/hardening — a per-group render — which would also make its
 * user-data-size plan rule cheap; see bench/README.md.)
 */

interface GroupTemplate {
    /** The model the template was rendered from (per-node values as in its first node). */
    model: BootstrapModel;
    /** Text pieces alternating with the keys of the values that go between them. */
    pieces: string[];
    keys: string[];
}

/** How many nodes' user data came from a group template, and how many were rendered in full. */
export const userDataRenders = { templated: 0, full: 0 };

/** Per plan object (the component renders with one shared plan) and group; null: render in full. */
const templates = new WeakMap<ResolvedPlan, Map<string, GroupTemplate | null>>();

/** A cloud-init node's user data (plain text), or undefined for StackScript groups. */
function cloudInitUserData(plan: ResolvedPlan, nodeName: string): string | undefined {
    const index = indexPlan(plan);
    const node = index.node(nodeName);
    const group = node ? index.group(node.group) : undefined;
    if (!node || !group || group.configMethod !== "cloud-init") return undefined;
    let byGroup = templates.get(plan);
    if (!byGroup) templates.set(plan, (byGroup = new Map()));
    const cached = byGroup.get(group.key);
    if (cached === undefined) {
        // First node of the group: render it for real, and keep a template only if it
        // reproduces that text exactly.
        const reference = renderNodeBootstrap(plan, nodeName);
        if (reference.method !== "cloud-init") return undefined;
        const model = buildBootstrapModel(plan, nodeName);
        const template = makeTemplate(model);
        const values = perNodeValues(model);
        byGroup.set(group.key, template && values && fill(template, values) === reference.userData ? template : null);
        userDataRenders.full++;
        return reference.userData;
    }
    if (cached === null) return undefined;
    const model = buildBootstrapModel(plan, nodeName);
    const values = perNodeValues(model);
    if (!values || !sameApartFromValues(cached.model, model)) return undefined;
    userDataRenders.templated++;
    return fill(cached, values);
}

/** Sentinels: plain YAML scalars that appear nowhere else. */
const SENTINEL = (key: string) => `lctsentinel${key.replace(/[^a-z0-9]/g, "")}z`;
const NODE_KEY = "node";

/** The node's own values by key (UDF name, or "node"), or undefined if one is not plain-safe. */
function perNodeValues(model: BootstrapModel): Map<string, string> | undefined {
    const values = new Map<string, string>([[NODE_KEY, model.node]]);
    for (const a of udfArgs(model)) {
        if (values.has(a.udf) && values.get(a.udf) !== a.value) return undefined;
        values.set(a.udf, a.value);
    }
    for (const v of values.values()) if (!plainSafe(v)) return undefined;
    return values;
}

function udfArgs(model: BootstrapModel): Array<{ udf: string; value: string }> {
    return [model.hostname, ...model.commands.flat()].filter((a): a is { udf: string; value: string } => typeof a !== "string");
}

function makeTemplate(model: BootstrapModel): GroupTemplate | undefined {
    const values = perNodeValues(model);
    if (!values) return undefined;
    const keys = [...values.keys()];
    if (new Set(keys.map(SENTINEL)).size !== keys.length) return undefined;
    const sentinelOf = (a: Arg): Arg => (typeof a === "string" ? a : { udf: a.udf, value: SENTINEL(a.udf) });
    const text = renderCloudConfig({
        ...model,
        node: SENTINEL(NODE_KEY),
        hostname: sentinelOf(model.hostname),
        commands: model.commands.map((c) => c.map(sentinelOf)),
    });
    const bySentinel = new Map(keys.map((k) => [SENTINEL(k), k]));
    const parts = text.split(new RegExp(`(${[...bySentinel.keys()].join("|")})`));
    const pieces: string[] = [];
    const order: string[] = [];
    parts.forEach((p, i) => (i % 2 === 0 ? pieces.push(p) : order.push(bySentinel.get(p)!)));
    return { model, pieces, keys: order };
}

function fill(t: GroupTemplate, values: Map<string, string>): string {
    let out = t.pieces[0]!;
    for (let i = 0; i < t.keys.length; i++) out += values.get(t.keys[i]!)! + t.pieces[i + 1]!;
    return out;
}

/** Whether two models are the same apart from per-node values (strings compare by value; shared ones by reference first). */
function sameApartFromValues(a: BootstrapModel, b: BootstrapModel): boolean {
    return sameValue(a, b, true);
}

function sameValue(a: unknown, b: unknown, top = false): boolean {
    if (a === b) return true;
    if (typeof a !== typeof b || typeof a !== "object" || a === null || b === null) return false;
    if (Array.isArray(a)) {
        if (!Array.isArray(b) || a.length !== b.length) return false;
        for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
        return true;
    }
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    if (isUdfArg(ao) && isUdfArg(bo)) return ao.udf === bo.udf;
    const keys = Object.keys(ao);
    if (keys.length !== Object.keys(bo).length) return false;
    for (const k of keys) {
        if (top && k === NODE_KEY) continue;
        if (!Object.prototype.hasOwnProperty.call(bo, k) || !sameValue(ao[k], bo[k])) return false;
    }
    return true;
}

function isUdfArg(o: Record<string, unknown>): boolean {
    return typeof o.udf === "string" && typeof o.value === "string" && Object.keys(o).length === 2;
}

/**
 * A value that YAML writes as itself (a plain scalar) in block context, as the sentinels are.
 * Conservative characters only; YAML 1.2 core resolves a plain scalar starting with a letter to
 * something other than a string only for null/true/false spellings, which hold no digit or "-"
 * (every generated name does); anything else is asked of the YAML library itself.
 */
function plainSafe(v: string): boolean {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v)) return false;
    if (/^[A-Za-z]/.test(v) && /[-0-9]/.test(v)) return true;
    return new Document(v).toString({ lineWidth: 0 }) === `${v}\n`;
}
