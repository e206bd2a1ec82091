import { Document } from "yaml";
import type { ResolvedGroup, ResolvedNode, ResolvedPlan, ResolvedVolume } from "../plan/resolved";
import { error, type PlanIssue } from "../plan/issues";
import type { PlanRule } from "../plan/rules/rule";
import { renderCloudConfig } from "./cloud-config";
import { firstBootExtras } from "./extensions";
import { buildBootstrapModel, UDF, type Arg, type BootstrapModel, type ManagedFile, type RenderOptions } from "./model";
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

/** The exact size of every node's first-boot data, in plan order. Throws when a group's cannot be rendered. */
export function userDataSizes(plan: ResolvedPlan, opts: RenderOptions = {}): NodeUserDataSize[] {
    const byNode = new Map<string, NodeUserDataSize>();
    for (const g of measureGroups(plan, opts)) {
        if ("error" in g) throw g.error;
        for (const s of g.sizes) byNode.set(s.node, s);
    }
    return plan.nodes.map((n) => byNode.get(n.name)!);
}

/** One error per group whose nodes would not fit, naming the largest node. */
export function userDataIssues(plan: ResolvedPlan): PlanIssue[] {
    const issues: PlanIssue[] = [];
    for (const g of measureGroups(plan, {})) {
        if ("error" in g) {
            // A first-boot extension (e.g. a template's bootstrap) that cannot render for this plan.
            issues.push(error("hardening.user-data-size", g.group.path, `its first-boot configuration cannot be rendered: ${g.error.message}`));
            continue;
        }
        const over = g.sizes.filter((s) => s.size > s.limit);
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
                g.group.path,
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

/*
 * Rendering a node's cloud-config through the YAML library costs milliseconds, and a
 * 10,000-node plan has 10,000 nodes: that was most of `lct validate`. But the nodes of a group
 * get the same document apart from their own values — node name, hostname, FQDN, volume
 * labels (the model's UDF-tagged Args, plus the name in the header comment). So a group is
 * measured once, from its first node's model with sentinels in place of those values, and a
 * node's size is that size with each sentinel's length replaced by its value's.
 *
 * That is exactly the size of the node's own render when (a) its model equals the template's
 * apart from those values, and (b) each value is written as the same plain YAML scalar as the
 * sentinel (no quotes or escapes; lineWidth 0 folds nothing). (b) is checked per value. For
 * (a), building every node's model would cost as much as rendering it, so the values are read
 * from the resolved node (where the model takes them from), and the template serves only nodes
 * whose other per-node inputs are the template node's: FQDN or not, their volumes' mount paths
 * and filesystems, no first-boot extras. Where the verdict is close (a group within
 * EXACT_MARGIN of the limit) the group's last node's model is built too and compared with the
 * first, which catches anything else that differs per node (say, a future addition to the
 * model). Any other node is rendered in full. test/plan/user-data-size.test.ts compares the
 * sizes with full renders on random plans. (components/bootstrap.ts fills in the text per
 * node the same way, for the component.)
 *
 * Groups differ mostly in their files' contents (the hosts list, the firewall), and many
 * contents are the same in every group (the node helper, sysctl, …). So a document is measured
 * in parts: its skeleton — everything but the file contents, which stand in as sentinels too —
 * once per distinct skeleton (groups alike in profile, packages and volumes share one), and
 * every distinct content once per plan, all of them in one document (measureContents). A
 * content renders the same wherever it stands (the same key, indentation and options), so the
 * parts add up to the document.
 */

/** A group measured: every node's size, or why its first-boot data cannot be rendered. */
type GroupMeasure = { group: ResolvedGroup; sizes: NodeUserDataSize[] } | { group: ResolvedGroup; error: Error };

const SENTINEL_PREFIX = "lct0sentinel";
const sentinel = (key: string) => `${SENTINEL_PREFIX}${key.replace(/[^a-z0-9]/g, "")}z`;
/** The key of the node name in the header comment (not a UDF; the same value as lct_node). */
const COMMENT_NODE = "node";
const GROUP_SENTINEL = `${SENTINEL_PREFIX}groupz`;
const contentSentinel = (i: number) => `${SENTINEL_PREFIX}file${i}z`;
/** Closer to the limit than this, a group's last node is checked against the template too. */
const EXACT_MARGIN = 4096;

type Volumes = ReadonlyArray<ResolvedVolume | undefined>;
/** Where a node's value for a key comes from (the resolved node, as the model takes it). */
type ValueOf = (node: ResolvedNode, volumes: Volumes) => string | undefined;

/** A group's document as sizes: its size without the values, and how often each value occurs. */
interface SizeTemplate {
    base: number;
    values: Array<{ count: number; of: ValueOf }>;
}

/** A group's first node and its model, with where the model's values come from (none: measure every node in full). */
interface GroupStart {
    group: ResolvedGroup;
    method: NodeUserDataSize["method"];
    nodes: ResolvedNode[];
    volumes: Volumes;
    model: BootstrapModel;
    sources?: Map<string, ValueOf>;
}

function measureGroups(plan: ResolvedPlan, opts: RenderOptions): GroupMeasure[] {
    const keys = plan.admin.sshKeys.length === 0 && !opts.sshKeys?.length ? { sshKeys: [GENERATED_KEY_PLACEHOLDER] } : opts;
    const starts: Array<GroupStart | GroupMeasure> = plan.groups.map((group) => {
        try {
            return groupStart(plan, group, keys);
        } catch (e) {
            return { group, error: e as Error };
        }
    });
    // Every content the templates need, measured together before any template is made.
    measureContents(sizeCaches(plan), starts.flatMap((s) => ("model" in s && s.sources && s.method === "cloud-init" ? s.model.files : [])));
    return starts.map((s) => {
        if (!("model" in s)) return s;
        try {
            return { group: s.group, sizes: groupSizes(plan, s, keys) };
        } catch (e) {
            return { group: s.group, error: e as Error };
        }
    });
}

function groupStart(plan: ResolvedPlan, group: ResolvedGroup, keys: RenderOptions): GroupStart | GroupMeasure {
    const index = indexPlan(plan);
    const nodes = group.nodes.map((n) => index.node(n)!);
    const first = nodes[0];
    if (!first) return { group, sizes: [] };
    const volumes = volumesOf(plan, first);
    const model = buildBootstrapModel(plan, first.name, keys);
    const sources = hasExtras(plan, first.name) ? undefined : valueSources(model, first, volumes);
    const method = group.configMethod === "stackscript" ? "stackscript" : "cloud-init";
    if (sources && method === "cloud-init" && !templateSafe(model, sources, first, volumes)) return { group, method, nodes, volumes, model };
    return { group, method, nodes, volumes, model, ...(sources ? { sources } : {}) };
}

/** Every node of one group: from the group's template (see above), or a full render for an odd node. */
function groupSizes(plan: ResolvedPlan, s: GroupStart, keys: RenderOptions): NodeUserDataSize[] {
    const { group, method, nodes, sources, model } = s;
    const limit = method === "stackscript" ? STACKSCRIPT_DATA_LIMIT : USER_DATA_LIMIT;
    const first = nodes[0]!;
    let template = sources && (method === "cloud-init" ? cloudConfigTemplate(plan, model, sources) : stackScriptTemplate(plan, first, s.volumes, sources, keys));
    const sized = (n: ResolvedNode): number => {
        const volumes = n === first ? s.volumes : volumesOf(plan, n);
        const alike = template !== undefined && (n === first || (sameShape(first, s.volumes, n, volumes) && !hasExtras(plan, n.name)));
        return (alike ? fromTemplate(template!, n, volumes, method) : undefined) ?? renderedSize(plan, n.name, method, keys);
    };
    let sizes = nodes.map(sized);
    const last = nodes[nodes.length - 1]!;
    if (template && last !== first && sizes.some((size) => size > limit - EXACT_MARGIN)) {
        const lastModel = buildBootstrapModel(plan, last.name, keys);
        const lastSources = valueSources(lastModel, last, volumesOf(plan, last));
        if (!lastSources || lastSources.size !== sources!.size || !sameApartFromValues(model, lastModel)) {
            template = undefined;
            sizes = nodes.map(sized);
        }
    }
    return nodes.map((n, i) => ({ node: n.name, group: group.key, method, size: sizes[i]!, limit }));
}

/** A node's size the slow way: its own render. */
function renderedSize(plan: ResolvedPlan, node: string, method: NodeUserDataSize["method"], opts: RenderOptions): number {
    if (method === "stackscript") return JSON.stringify(stackScriptData(plan, node, opts)).length;
    return Buffer.byteLength(renderCloudConfig(buildBootstrapModel(plan, node, opts)), "utf8");
}

// --- A node's own values -------------------------------------------------------------------

const NAME: ValueOf = (n) => n.name;
const HOSTNAME: ValueOf = (n) => n.hostname;
const FQDN: ValueOf = (n) => n.fqdn;

function valueSource(key: string): ValueOf | undefined {
    if (key === COMMENT_NODE || key === UDF.node) return NAME;
    if (key === UDF.hostname) return HOSTNAME;
    if (key === UDF.fqdn) return FQDN;
    const volume = /^lct_volume_(\d+)$/.exec(key);
    if (volume && key === UDF.volume(Number(volume[1]))) return (_, vs) => vs[Number(volume[1]) - 1]?.label;
    return undefined;
}

function volumesOf(plan: ResolvedPlan, n: ResolvedNode): Volumes {
    const index = indexPlan(plan);
    return n.volumes.length === 0 ? [] : n.volumes.map((v) => index.volume(v));
}

/** The values a model carries, by key: its UDF Args and the comment's node name. */
function modelValues(model: BootstrapModel): Map<string, string> | undefined {
    const values = new Map<string, string>([[COMMENT_NODE, model.node]]);
    for (const a of [model.hostname, ...model.commands.flat()]) {
        if (typeof a === "string") continue;
        if (values.has(a.udf) && values.get(a.udf) !== a.value) return undefined;
        values.set(a.udf, a.value);
    }
    return values;
}

/** Where the model's values come from, if every one comes from the node as the model says. */
function valueSources(model: BootstrapModel, node: ResolvedNode, volumes: Volumes): Map<string, ValueOf> | undefined {
    const values = modelValues(model);
    if (!values) return undefined;
    const sources = new Map<string, ValueOf>();
    for (const [k, v] of values) {
        const of = valueSource(k);
        if (!of || of(node, volumes) !== v) return undefined;
        sources.set(k, of);
    }
    return sources;
}

/** The per-node inputs other than the values: nodes alike in these get the same document around them. */
function sameShape(a: ResolvedNode, av: Volumes, b: ResolvedNode, bv: Volumes): boolean {
    if (!a.fqdn !== !b.fqdn || av.length !== bv.length) return false;
    for (let i = 0; i < av.length; i++) {
        const x = av[i];
        const y = bv[i];
        if (!x || !y || x.mountPath !== y.mountPath || x.filesystem !== y.filesystem) return false;
    }
    return true;
}

function hasExtras(plan: ResolvedPlan, node: string): boolean {
    const x = firstBootExtras(plan, node);
    return x.files.length > 0 || x.commands.length > 0;
}

function fromTemplate(t: SizeTemplate, node: ResolvedNode, volumes: Volumes, method: NodeUserDataSize["method"]): number | undefined {
    let size = t.base;
    let safe: string | undefined;
    for (const { count, of } of t.values) {
        const v = of(node, volumes);
        if (v === undefined) return undefined;
        if (method === "stackscript") size += count * JSON.stringify(v).length;
        // Plain-safe values are ASCII: characters are bytes. (A hostname is usually the name again.)
        else if (v === safe || plainSafe(v)) size += count * (safe = v).length;
        else return undefined;
    }
    return size;
}

/** Whether two models are the same apart from per-node values (Args by their UDF; the node name). */
function sameApartFromValues(a: BootstrapModel, b: BootstrapModel): boolean {
    return sameValue({ ...a, node: "" }, { ...b, node: "" });
}

function sameValue(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    if (isUdfArg(ao) && isUdfArg(bo)) return ao.udf === bo.udf;
    const keys = Object.keys(ao);
    if (keys.length !== Object.keys(bo).length) return false;
    for (const k of keys) if (!Object.prototype.hasOwnProperty.call(bo, k) || !sameValue(ao[k], bo[k])) return false;
    return true;
}

function isUdfArg(o: Record<string, unknown>): boolean {
    return typeof o.udf === "string" && typeof o.value === "string" && Object.keys(o).length === 2;
}

/**
 * A value that YAML writes as itself (a plain scalar) in block context, as the sentinels are.
 * Conservative characters only; a plain scalar starting with a letter and holding a digit or
 * "-" (every generated name) resolves to a string in YAML 1.2 core, anything else is asked of
 * the YAML library itself.
 */
function plainSafe(v: string): boolean {
    // One test per value: this runs for every value of every node.
    if (/^[A-Za-z][A-Za-z._]*[-0-9][A-Za-z0-9._-]*$/.test(v)) return true;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v)) return false;
    return new Document(v).toString({ lineWidth: 0 }) === `${v}\n`;
}

// --- Templates -----------------------------------------------------------------------------

/** Sentinels can stand for a group's values: each is plain-safe, and nothing in the model mentions one. */
function templateSafe(model: BootstrapModel, sources: Map<string, ValueOf>, node: ResolvedNode, volumes: Volumes): boolean {
    const keys = [...sources.keys()];
    if (keys.some((k) => !plainSafe(sources.get(k)!(node, volumes)!))) return false;
    return new Set(keys.map(sentinel)).size === keys.length && !mentions(model, SENTINEL_PREFIX);
}

/** Whether any text of the model contains `part`. */
function mentions(m: BootstrapModel, part: string): boolean {
    const texts = [m.node, m.group, m.profile, m.warning ?? "", m.admin.user, ...m.admin.keys, ...m.packages, ...m.files.flatMap((f) => [f.path, f.content, f.mode])];
    for (const a of [m.hostname, ...m.commands.flat()]) texts.push(typeof a === "string" ? a : a.value);
    return texts.some((t) => t.includes(part));
}

function cloudConfigTemplate(plan: ResolvedPlan, model: BootstrapModel, sources: Map<string, ValueOf>): SizeTemplate | undefined {
    const keys = [...sources.keys()];
    const withSentinel = (a: Arg): Arg => (typeof a === "string" ? a : { udf: a.udf, value: sentinel(a.udf) });
    // The group key is in the header comment, written as it is: a sentinel there lets groups share a skeleton.
    const groupAsSentinel = /^[\x21-\x7e]+$/.test(model.group);
    const skeleton: BootstrapModel = {
        ...model,
        node: sentinel(COMMENT_NODE),
        group: groupAsSentinel ? GROUP_SENTINEL : model.group,
        hostname: withSentinel(model.hostname),
        commands: model.commands.map((c) => c.map(withSentinel)),
        files: model.files.map((f, i) => ({ ...f, content: contentSentinel(i) })),
    };
    const caches = sizeCaches(plan);
    const shape = skeletonSize(caches, skeleton, [...keys.map(sentinel), GROUP_SENTINEL, ...model.files.map((_, i) => contentSentinel(i))]);
    let base = shape.bytes;
    for (let i = 0; i < model.files.length; i++) {
        const bytes = caches.contents.get(contentKey(model.files[i]!));
        if (shape.counts.get(contentSentinel(i)) !== 1 || bytes === undefined) return undefined;
        base += bytes - contentSentinel(i).length;
    }
    base += (shape.counts.get(GROUP_SENTINEL) ?? 0) * (Buffer.byteLength(model.group, "utf8") - GROUP_SENTINEL.length);
    // One entry per source: the comment's name and lct_node are the same value, looked at once per node.
    const values: SizeTemplate["values"] = [];
    for (const key of keys) {
        const count = shape.counts.get(sentinel(key))!;
        base -= count * sentinel(key).length;
        const of = sources.get(key)!;
        const same = values.find((v) => v.of === of);
        if (same) same.count += count;
        else values.push({ count, of });
    }
    return { base, values };
}

function stackScriptTemplate(plan: ResolvedPlan, node: ResolvedNode, volumes: Volumes, sources: Map<string, ValueOf>, opts: RenderOptions): SizeTemplate {
    // stackscript_data is the JSON object of the UDF values: its size changes with each value's JSON length.
    const values = [...sources].filter(([k]) => k !== COMMENT_NODE).map(([, of]) => ({ count: 1, of }));
    const size = JSON.stringify(stackScriptData(plan, node.name, opts)).length;
    return { base: size - values.reduce((sum, v) => sum + JSON.stringify(v.of(node, volumes)).length, 0), values };
}

interface SizeCaches {
    skeletons: Map<string, { bytes: number; counts: Map<string, number> }>;
    /** Bytes each file content takes in cloud-config, by contentKey. */
    contents: Map<string, number>;
}

/** Per plan object, as the rule measures one plan's groups (and forgotten with it). */
const cachesByPlan = new WeakMap<ResolvedPlan, SizeCaches>();
function sizeCaches(plan: ResolvedPlan): SizeCaches {
    let c = cachesByPlan.get(plan);
    if (!c) cachesByPlan.set(plan, (c = { skeletons: new Map(), contents: new Map() }));
    return c;
}

function skeletonSize(caches: SizeCaches, skeleton: BootstrapModel, sentinels: string[]): { bytes: number; counts: Map<string, number> } {
    const key = JSON.stringify(skeleton);
    const hit = caches.skeletons.get(key);
    if (hit) return hit;
    const text = renderCloudConfig(skeleton);
    const out = { bytes: Buffer.byteLength(text, "utf8"), counts: new Map(sentinels.map((s) => [s, occurrences(text, s)])) };
    caches.skeletons.set(key, out);
    return out;
}

/** Path, mode and placement are kept with the content: a file's whole entry is what is measured. */
function contentKey(f: ManagedFile): string {
    return `${f.path}\u0000${f.mode}\u0000${f.early === true}\u0000${f.content}`;
}

/**
 * Bytes each file's content takes in cloud-config, for the files not measured yet: one
 * document holds them all, each under a marker path, then, for each mode and placement, an
 * entry whose content is a sentinel, then a last marker. A file's entry runs from its marker
 * to the next; less a sentinel entry of its kind (and plus the sentinel) that is its content.
 */
function measureContents(caches: SizeCaches, files: readonly ManagedFile[]): void {
    const todo = [...new Map(files.map((f) => [contentKey(f), f])).entries()].filter(([k]) => !caches.contents.has(k));
    if (todo.length === 0) return;
    const kinds = [...new Map(todo.map(([, f]) => [`${f.mode}\u0000${f.early === true}`, f])).entries()];
    // Markers of one length, so that entries differ only in what they hold.
    const marker = (i: number) => `${SENTINEL_PREFIX}p${String(i).padStart(6, "0")}z`;
    const stand = contentSentinel(0);
    const entries: ManagedFile[] = [
        ...todo.map(([, f], i) => ({ ...f, path: marker(i) })),
        ...kinds.map(([, f], j) => ({ ...f, path: marker(todo.length + j), content: stand })),
        { path: marker(todo.length + kinds.length), content: stand, mode: "0644" },
    ];
    const probe: BootstrapModel = { node: "n", group: "g", profile: "baseline", hostname: "h", admin: { user: "u", keys: [] }, upgrade: false, packages: [], files: entries, commands: [] };
    const text = renderCloudConfig(probe);
    const at = entries.map((e) => text.indexOf(e.path));
    if (at.some((p, i) => p < 0 || text.indexOf(entries[i]!.path, p + 1) >= 0 || (i > 0 && p <= at[i - 1]!))) {
        throw new Error("user data size: a measuring document did not come out as expected (a bug in LCT)");
    }
    const entryBytes = (i: number) => Buffer.byteLength(text.slice(at[i]!, at[i + 1]!), "utf8");
    const around = new Map(kinds.map(([k], j) => [k, entryBytes(todo.length + j) - stand.length]));
    todo.forEach(([key, f], i) => caches.contents.set(key, entryBytes(i) - around.get(`${f.mode}\u0000${f.early === true}`)!));
}

function occurrences(text: string, part: string): number {
    let n = 0;
    for (let i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length)) n++;
    return n;
}
