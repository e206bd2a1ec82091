/**
 * Reading `pulumi stack export` JSON (deployment format version 3; also the file backend's
 * checkpoint form): LCT's inventory outputs (from `LinodeCluster` components and the stack's
 * outputs) together with every `linode.Instance`'s outputs (label, region, type, tags,
 * addresses). Secret values — `{"4dabf…": "1b47…", "ciphertext"|"plaintext": …}` — are never
 * read: only known non-secret fields are copied.
 *
 * Built for big states: one JSON.parse, one pass over the resources switching on the type
 * string, no regular expressions per resource.
 */
import { type AssembleOptions, assembleInventories, type InstanceFacts, type VolumeFacts } from "./instances";
import { isSecretValue } from "./secrets";
import { isInventoryLike, readInventory, UNKNOWN_VALUE } from "./shape";
import type { ClusterInventory } from "./types";

export const DEPLOYMENT_VERSION = 3;
export const TYPE_STACK = "pulumi:pulumi:Stack";
export const TYPE_CLUSTER = "lct:index:LinodeCluster";
export const TYPE_INSTANCE = "linode:index/instance:Instance";
export const TYPE_VOLUME = "linode:index/volume:Volume";

export class StackExportError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackExportError";
    }
}

export interface StackExportResult {
    stack?: string;
    project?: string;
    inventories: ClusterInventory[];
    /** Resources in the deployment, and how many were Linode instances. */
    resources: number;
    instances: number;
    warnings: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" && v !== UNKNOWN_VALUE ? v : undefined);

/** The resources array of any accepted document shape, or a StackExportError. */
export function deploymentResources(doc: unknown, source: string): { resources: unknown[]; version?: number } {
    if (!isObj(doc)) throw new StackExportError(`${source}: not a stack export (expected a JSON object)`);
    const version = typeof doc.version === "number" ? doc.version : undefined;
    if (version !== undefined && version > DEPLOYMENT_VERSION) {
        throw new StackExportError(`${source}: deployment version ${version} is newer than LCT reads (${DEPLOYMENT_VERSION}); export with a matching Pulumi CLI`);
    }
    const deployment = isObj(doc.deployment) ? doc.deployment : isObj(doc.checkpoint) && isObj(doc.checkpoint.latest) ? doc.checkpoint.latest : isObj(doc.manifest) ? doc : undefined;
    if (!deployment) {
        throw new StackExportError(`${source}: not a \`pulumi stack export\` document (no "deployment" with "manifest" and "resources")`);
    }
    const resources = deployment.resources ?? [];
    if (!Array.isArray(resources)) throw new StackExportError(`${source}: "deployment.resources" is not a list`);
    return { resources, ...(version !== undefined ? { version } : {}) };
}

function instanceFacts(r: Obj, o: Obj): InstanceFacts | undefined {
    const label = str(o.label);
    if (!label) return undefined;
    const f: InstanceFacts = { label, region: str(o.region) ?? "", tags: Array.isArray(o.tags) ? o.tags.filter((t): t is string => typeof t === "string") : [] };
    const id = str(r.id) ?? str(o.id);
    if (id) f.id = id;
    const type = str(o.type);
    if (type) f.type = type;
    const image = str(o.image);
    if (image) f.image = image;
    const pub = str(o.ipAddress);
    if (pub) f.publicIpv4 = pub;
    const priv = str(o.privateIpAddress);
    if (priv) f.privateIpv4 = priv;
    const v6 = str(o.ipv6);
    if (v6) f.ipv6 = v6;
    if (Array.isArray(o.interfaces)) {
        for (const i of o.interfaces) {
            if (isObj(i) && i.purpose === "vpc" && isObj(i.ipv4)) {
                const vpc = str(i.ipv4.vpc);
                if (vpc) f.vpcIpv4 = vpc;
            }
        }
    }
    return f;
}

function volumeFacts(r: Obj, o: Obj): VolumeFacts | undefined {
    const label = str(o.label);
    if (!label) return undefined;
    const f: VolumeFacts = { label, sizeGb: typeof o.size === "number" ? o.size : 0 };
    const id = str(r.id) ?? str(o.id);
    if (id) f.id = id;
    const linodeId = typeof o.linodeId === "number" ? String(o.linodeId) : str(o.linodeId);
    if (linodeId && linodeId !== "0") f.linodeId = linodeId;
    return f;
}

/** Inventories among a stack's outputs: at the top level, or one level down (maps and lists). */
function collectInventories(outputs: Obj, into: (v: unknown) => void): void {
    for (const v of Object.values(outputs)) {
        if (isSecretValue(v)) continue;
        if (isInventoryLike(v)) into(v);
        else if (Array.isArray(v)) v.forEach((x) => isInventoryLike(x) && into(x));
        else if (isObj(v)) for (const x of Object.values(v)) if (isInventoryLike(x)) into(x);
    }
}

/** Reads a parsed stack export. */
export function readStackExport(doc: unknown, opts: { source?: string; defaultUser?: string } = {}): StackExportResult {
    const source = opts.source ?? "stack export";
    const { resources } = deploymentResources(doc, source);
    const warnings: string[] = [];
    const instances: InstanceFacts[] = [];
    const volumes: VolumeFacts[] = [];
    const found = new Map<string, ClusterInventory>();
    const addInventory = (v: unknown): void => {
        const cluster = (v as Obj).cluster as string;
        if (found.has(cluster)) return;
        const inv = readInventory(v);
        if (inv) found.set(cluster, inv);
    };
    let stack: string | undefined;
    let project: string | undefined;
    let instanceCount = 0;
    for (const r of resources) {
        if (!isObj(r)) continue;
        const type = r.type;
        if (stack === undefined && typeof r.urn === "string" && r.urn.startsWith("urn:pulumi:")) {
            const parts = r.urn.slice("urn:pulumi:".length).split("::");
            stack = parts[0];
            project = parts[1];
        }
        if (r.delete === true) continue; // an old copy waiting for deletion
        const o = r.outputs;
        if (!isObj(o)) continue;
        if (type === TYPE_INSTANCE) {
            instanceCount++;
            const f = instanceFacts(r, o);
            if (f) instances.push(f);
        } else if (type === TYPE_VOLUME) {
            const f = volumeFacts(r, o);
            if (f) volumes.push(f);
        } else if (type === TYPE_CLUSTER) {
            if (isInventoryLike(o.inventory)) addInventory(o.inventory);
        } else if (type === TYPE_STACK) {
            collectInventories(o, addInventory);
        }
    }
    if (resources.length === 0) warnings.push(`${source}: the stack has no resources`);
    const assemble: AssembleOptions = { fallbackCluster: stack ?? "stack", ...(opts.defaultUser ? { defaultUser: opts.defaultUser } : {}) };
    const inventories = assembleInventories([...found.values()], instances, volumes, assemble);
    if (found.size === 0 && instances.length > 0) {
        warnings.push(`${source}: no LCT inventory output found; nodes come from the Linode instances' tags alone (no volume mounts, DNS names or plan metadata)`);
    }
    return { ...(stack ? { stack } : {}), ...(project ? { project } : {}), inventories, resources: resources.length, instances: instanceCount, warnings };
}

/** Parses and reads stack export text (a file's or stdin's content). */
export function parseStackExport(text: string, opts: { source?: string; defaultUser?: string } = {}): StackExportResult {
    const source = opts.source ?? "stack export";
    if (text.trim() === "") throw new StackExportError(`${source}: empty input (expected \`pulumi stack export\` JSON)`);
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        throw new StackExportError(`${source}: not JSON (${(e as Error).message}); expected \`pulumi stack export\` output`);
    }
    return readStackExport(doc, opts);
}
