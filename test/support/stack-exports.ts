/**
 * `pulumi stack export` documents for tests and benchmarks, in the real deployment format
 * (version 3): the root `pulumi:pulumi:Stack` with the stack outputs, default providers, and
 * every resource with urn, custom, id, type, inputs, outputs, parent, provider, dependencies …
 *
 * - `stackExportFromMocks` runs the real root stack program under the mock runtime and turns
 *   what it registered into a deployment (URNs, parents and dependencies as the engine saw
 *   them; outputs as @pulumi/linode 5.1.1 records them, camelCase).
 * - `writeSyntheticStackExport` writes a large export of the same shape without Pulumi (for
 *   the 50,000-resource benchmark), streaming it to a file.
 *
 * Secrets are written the way the CLI writes them: `{"4dabf…": "1b47…", "ciphertext": "…"}`,
 * or with `showSecrets` (what the Automation API's exportStack passes) `"plaintext": "<JSON>"`.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import type { ClusterInventory, InventoryNode } from "../../sdk/inventory/types";
import type { ClusterPlanInput } from "../../sdk/plan/schema";
import { stackProgram } from "../../sdk/stack/program";
import { installMocks, type Registered, settle, valueOf } from "./pulumi-mocks";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const STATE_TIME = "2025-06-02T10:11:12.345678Z";

export const PROVIDER_VERSIONS: Record<string, string> = { linode: "5.1.1", random: "4.21.2", tls: "5.6.1", command: "4.5.0" };

type Obj = Record<string, any>;

/** A secret as `pulumi stack export` writes it. */
export function stateSecret(value: unknown, showSecrets: boolean): Obj {
    if (showSecrets) return { [SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify(value) };
    const ciphertext = "v1:" + createHash("sha256").update(JSON.stringify(value)).digest("base64").slice(0, 16) + ":" + Buffer.from(JSON.stringify(value)).toString("base64");
    return { [SIG_KEY]: SECRET_SIG, ciphertext };
}

/** Runtime values (secrets as `{sig, value}`) to state values (ciphertext or plaintext). */
function toState(v: any, showSecrets: boolean): any {
    if (Array.isArray(v)) return v.map((x) => toState(x, showSecrets));
    if (v && typeof v === "object") {
        if (v[SIG_KEY] === SECRET_SIG) return stateSecret(unwrap(v.value), showSecrets);
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toState(x, showSecrets)]));
    }
    return v;
}

function unwrap(v: any): any {
    if (Array.isArray(v)) return v.map(unwrap);
    if (v && typeof v === "object") {
        if (v[SIG_KEY] === SECRET_SIG) return unwrap(v.value);
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrap(x)]));
    }
    return v;
}

const SHORT_USER_DATA = Buffer.from("#cloud-config\n# user data shortened for the fixture\n").toString("base64");
const TF_META = JSON.stringify({ "e2bfb730-ecaa-11e6-8f88-34363bc7c4c0": { create: 600000000000, delete: 600000000000, update: 3600000000000 } });

/** Outputs of a `linode:index/instance:Instance` as @pulumi/linode 5.1.1 records them. */
export function instanceOutputs(id: string, inputs: Obj, node: Partial<InventoryNode>, opts: { showSecrets: boolean; vcpus?: number }): Obj {
    const publicIp = node.publicIpv4 ?? "";
    const privateIp = node.privateIpv4 ?? "";
    return {
        __meta: TF_META,
        alerts: { cpu: 90 * (opts.vcpus ?? 2), io: 10000, networkIn: 10, networkOut: 10, transferQuota: 80 },
        authorizedKeys: inputs.authorizedKeys ?? [],
        backupId: 0,
        backups: [{ available: false, enabled: false, schedules: [{ day: "", window: "" }] }],
        backupsEnabled: false,
        bootConfigLabel: "My Debian 12 Disk Profile",
        booted: true,
        capabilities: ["Block Storage Encryption", "SMTP Enabled"],
        configs: [],
        diskEncryption: "disabled",
        disks: [],
        firewallId: 0,
        group: "",
        hasUserData: Array.isArray(inputs.metadatas) && inputs.metadatas.length > 0,
        hostUuid: createHash("md5").update(`host-${id}`).digest("hex"),
        id,
        image: inputs.image ?? "",
        interfaces: Array.isArray(inputs.interfaces)
            ? inputs.interfaces.map((i: Obj) => ({
                  ipamAddress: "",
                  ipRanges: [],
                  ipv4: i.purpose === "vpc" ? { nat11: "", vpc: i.ipv4?.vpc ?? node.vpcIpv4 ?? "" } : { nat11: "", vpc: "" },
                  label: "",
                  primary: false,
                  purpose: i.purpose,
                  subnetId: i.subnetId ?? 0,
              }))
            : [],
        ipAddress: publicIp,
        ipv4s: [publicIp, ...(privateIp ? [privateIp] : [])],
        ipv6: node.ipv6 ?? "",
        label: inputs.label,
        lkeClusterId: 0,
        metadatas: inputs.metadatas ?? [],
        migrationType: "cold",
        placementGroup: inputs.placementGroup ? { compliantOnly: false, id: inputs.placementGroup.id, label: "", placementGroupType: "anti_affinity:local" } : null,
        privateIp: !!inputs.privateIp,
        privateIpAddress: privateIp,
        region: inputs.region,
        resizeDisk: false,
        rootPass: inputs.rootPass === undefined ? undefined : stateSecret(unwrap(inputs.rootPass), opts.showSecrets),
        specs: [{ disk: 81920, gpus: 0, memory: 4096, transfer: 4000, vcpus: opts.vcpus ?? 2 }],
        stackscriptData: inputs.stackscriptData === undefined ? undefined : stateSecret(unwrap(inputs.stackscriptData), opts.showSecrets),
        stackscriptId: inputs.stackscriptId ?? 0,
        status: "running",
        swapSize: 512,
        tags: inputs.tags ?? [],
        type: inputs.type,
        watchdogEnabled: true,
    };
}

function providerResources(stack: string, project: string): Record<string, { urn: string; id: string; resource: Obj }> {
    const out: Record<string, { urn: string; id: string; resource: Obj }> = {};
    for (const [pkg, version] of Object.entries(PROVIDER_VERSIONS)) {
        const urn = `urn:pulumi:${stack}::${project}::pulumi:providers:${pkg}::default_${version.replace(/\./g, "_")}`;
        const id = createHash("md5").update(urn).digest("hex").replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, "$1-$2-$3-$4-$5");
        out[pkg] = {
            urn,
            id,
            resource: {
                urn,
                custom: true,
                id,
                type: `pulumi:providers:${pkg}`,
                inputs: { __internal: { pluginDownloadURL: "" }, version },
                outputs: { version },
                created: STATE_TIME,
                modified: STATE_TIME,
            },
        };
    }
    return out;
}

function deployment(resources: Obj[]): Obj {
    return {
        version: 3,
        deployment: {
            manifest: { time: STATE_TIME, magic: createHash("sha256").update("v3.150.0").digest("hex"), version: "v3.150.0" },
            secrets_providers: { type: "passphrase", state: { salt: "v1:GSnb8Iq3MbI=:v1:7dDZ3wD6J9SxPwzp:JPrtNyrxAH8ovP1j+3M7n0mWSmbgZQ==" } },
            resources,
            metadata: {},
        },
    };
}

export interface MockedExport {
    /** The `pulumi stack export` document. */
    doc: Obj;
    /** The inventory the stack exported. */
    inventory: ClusterInventory;
    /** Every secret's plaintext, for checks that no export contains one. */
    secrets: string[];
}

export interface MockedExportOptions {
    /** A plan object or a plan file path. */
    plan: ClusterPlanInput | string;
    /** `--show-secrets`: secrets as plaintext (the Automation API's exportStack). */
    showSecrets?: boolean;
    /** More stack outputs (e.g. a secret-named value to check it is dropped). */
    extraOutputs?: Record<string, unknown>;
}

/**
 * Runs the root stack program (sdk/stack/program.ts) under the mock runtime (project "lct",
 * stack "test") and returns the deployment `pulumi stack export` would print afterwards.
 */
export async function stackExportFromMocks(opts: MockedExportOptions): Promise<MockedExport> {
    let planFile = typeof opts.plan === "string" ? opts.plan : undefined;
    let tmp: string | undefined;
    if (!planFile) {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lct-plan-"));
        planFile = path.join(tmp, "plan.yaml");
        fs.writeFileSync(planFile, stringify(opts.plan));
    }
    try {
        const registered = await installMocks();
        const outputs = stackProgram({ plan: planFile });
        const inventory = await valueOf(outputs.inventory);
        const values: Obj = {
            cluster: outputs.cluster,
            inventory,
            nodesByGroup: await valueOf(outputs.nodesByGroup),
            loadBalancers: await valueOf(outputs.loadBalancers),
            firewallIds: await valueOf(outputs.firewallIds),
            adminPublicKeys: await valueOf(outputs.adminPublicKeys),
            power: outputs.power,
        };
        const privateKey = outputs.adminPrivateKey ? await valueOf(outputs.adminPrivateKey) : undefined;
        await settle(registered);
        return buildDeployment(registered, inventory, values, privateKey, opts);
    } finally {
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    }
}

function buildDeployment(registered: Registered[], inventory: ClusterInventory, values: Obj, privateKey: string | undefined, opts: MockedExportOptions): MockedExport {
    const showSecrets = opts.showSecrets ?? false;
    const secrets: string[] = [];
    const first = registered.find((r) => r.urn)!.urn!;
    const [stack, project] = first.slice("urn:pulumi:".length).split("::") as [string, string];
    const stackUrn = `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
    const providers = providerResources(stack, project);
    const byLabel = new Map(inventory.nodes.map((n) => [n.label, n]));
    const lbByLabel = new Map(inventory.loadBalancers.map((lb) => [lb.label, lb]));
    const collectSecrets = (v: any): void => {
        if (Array.isArray(v)) v.forEach(collectSecrets);
        else if (v && typeof v === "object") {
            // A secret object (a remote command's connection) also holds host, port and user,
            // which exports show anyway; its sensitive parts are the secret-named fields.
            if (v[SIG_KEY] === SECRET_SIG) {
                const inner = unwrap(v.value);
                secrets.push(...(inner && typeof inner === "object" ? secretNamedLeaves(inner) : stringLeaves(inner)));
            }
            else Object.values(v).forEach(collectSecrets);
        }
    };

    const stackOutputs: Obj = { ...values };
    if (privateKey !== undefined) {
        stackOutputs.adminPrivateKey = stateSecret(privateKey, showSecrets);
        secrets.push(privateKey);
    }
    for (const [k, v] of Object.entries(opts.extraOutputs ?? {})) stackOutputs[k] = v;
    const resources: Obj[] = [
        { urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack", outputs: stackOutputs, created: STATE_TIME, modified: STATE_TIME },
    ];
    for (const p of Object.values(providers)) resources.push(p.resource);

    // The mock monitor qualifies a type by its parent's type only; the engine qualifies it by
    // every ancestor's (`lct:index:LinodeCluster$lct:index:NodeGroup$…`). Rebuild real URNs.
    const byUrn = new Map(registered.filter((r) => r.urn).map((r) => [r.urn!, r]));
    const realUrn = new Map<string, string>();
    const qualified = (r: Registered): string => {
        const parent = byUrn.get(r.parent);
        return parent ? `${qualified(parent)}$${r.type}` : r.type;
    };
    for (const r of byUrn.values()) realUrn.set(r.urn!, `urn:pulumi:${stack}::${project}::${qualified(r)}::${r.name}`);
    const fix = (u: string): string => realUrn.get(u) ?? u;

    for (const r of registered) {
        if (!r.urn) continue;
        collectSecrets(r.inputs);
        // Ids as the mocks handed them out (the inventory recorded them), else invented.
        const label = r.plainInputs.label as string | undefined;
        const knownId =
            r.type === "linode:index/instance:Instance"
                ? byLabel.get(label ?? "")?.id
                : r.type === "linode:index/volume:Volume"
                  ? inventory.nodes.flatMap((n) => n.volumes).find((v) => v.label === label)?.id
                  : r.type === "linode:index/nodeBalancer:NodeBalancer"
                    ? lbByLabel.get(label ?? "")?.id
                    : undefined;
        const id = r.custom ? (knownId ?? String(20000 + registered.indexOf(r))) : undefined;
        const inputs = toState(r.inputs, showSecrets);
        const plain = { ...r.plainInputs };
        // A dynamic provider's serialized code (~80 KB, in inputs and outputs) is shortened too.
        if (typeof plain.__provider === "string") {
            plain.__provider = inputs.__provider = "exports.handler = __provider; /* serialized dynamic provider, shortened for the fixture */";
        }
        // User data (~25 KB of cloud-config per node) is shortened to keep fixtures small.
        if (Array.isArray(plain.metadatas) && plain.metadatas.length > 0) {
            plain.metadatas = inputs.metadatas = [{ userData: SHORT_USER_DATA }];
        }
        // The provider schema marks these inputs secret, so state holds them encrypted.
        for (const k of ["rootPass", "stackscriptData"]) {
            if (r.type === "linode:index/instance:Instance" && plain[k] !== undefined && !(inputs[k] && inputs[k][SIG_KEY])) {
                inputs[k] = stateSecret(plain[k], showSecrets);
                if (typeof plain[k] === "string") secrets.push(plain[k]);
            }
        }
        let outputs: Obj;
        switch (r.type) {
            case "linode:index/instance:Instance":
                outputs = instanceOutputs(id!, plain, byLabel.get(plain.label) ?? {}, { showSecrets });
                break;
            case "linode:index/volume:Volume":
                outputs = { ...inputs, id, encryption: "disabled", filesystemPath: `/dev/disk/by-id/scsi-0Linode_Volume_${plain.label}`, status: "active", sourceVolumeId: 0 };
                break;
            case "linode:index/nodeBalancer:NodeBalancer": {
                const lb = lbByLabel.get(plain.label);
                outputs = { ...inputs, id, hostname: lb?.hostname ?? "", ipv4: lb?.ipv4 ?? "", ipv6: lb?.ipv6 ?? "", transfers: [{ in: 0, out: 0, total: 0 }] };
                break;
            }
            case "linode:index/firewall:Firewall":
                outputs = { ...inputs, id, status: "enabled", devices: [], created: STATE_TIME, updated: STATE_TIME };
                break;
            case "random:index/randomPassword:RandomPassword": {
                const pw = `Rnd-${id}-${createHash("sha1").update(r.name).digest("hex").slice(0, 12)}!`;
                secrets.push(pw);
                outputs = { ...inputs, id: "none", result: stateSecret(pw, showSecrets), bcryptHash: stateSecret(`$2a$10$${pw}`, showSecrets) };
                break;
            }
            case "tls:index/privateKey:PrivateKey": {
                const key = privateKey ?? `-----BEGIN OPENSSH PRIVATE KEY-----\nmock\n-----END OPENSSH PRIVATE KEY-----\n`;
                outputs = {
                    ...inputs,
                    id: createHash("sha1").update(r.name).digest("hex"),
                    privateKeyOpenssh: stateSecret(key, showSecrets),
                    privateKeyPem: stateSecret(key.replace("OPENSSH ", ""), showSecrets),
                    privateKeyPemPkcs8: stateSecret(key.replace("OPENSSH ", ""), showSecrets),
                    publicKeyOpenssh: (values.adminPublicKeys as string[])[0] ?? "",
                    publicKeyFingerprintMd5: "00:11:22:33",
                };
                break;
            }
            case "lct:index:LinodeCluster":
                outputs = {
                    inventory: values.inventory,
                    nodesByGroup: values.nodesByGroup,
                    loadBalancerAddresses: values.loadBalancers,
                    firewallIds: values.firewallIds,
                    adminPublicKeys: values.adminPublicKeys,
                    ...(privateKey !== undefined ? { adminPrivateKey: stateSecret(privateKey, showSecrets) } : {}),
                };
                break;
            case "lct:index:SecureNode": {
                const n = inventory.nodes.find((x) => r.name === x.name || r.name.endsWith(`-${x.groupName}-${x.index}`) && r.name.includes(x.region));
                outputs = n ? { instanceId: n.id, publicIpv4: n.publicIpv4, ipv6: n.ipv6, ...(n.privateIpv4 ? { privateIpv4: n.privateIpv4 } : {}) } : {};
                break;
            }
            default:
                outputs = r.custom ? { ...inputs, id } : {};
        }
        const pkg = r.type.split(":")[0]!;
        const provider = r.custom && providers[pkg] ? `${providers[pkg].urn}::${providers[pkg].id}` : undefined;
        resources.push(
            dropUndefined({
                urn: fix(r.urn),
                custom: r.custom,
                id,
                type: r.type,
                inputs: r.custom ? inputs : {},
                outputs: dropUndefined(outputs),
                parent: r.parent ? fix(r.parent) : stackUrn,
                protect: r.protect || undefined,
                retainOnDelete: r.retainOnDelete || undefined,
                dependencies: r.dependencies.length > 0 ? r.dependencies.map(fix) : undefined,
                provider,
                ignoreChanges: r.ignoreChanges.length > 0 ? r.ignoreChanges : undefined,
                created: STATE_TIME,
                modified: STATE_TIME,
            }),
        );
    }
    return { doc: deployment(resources), inventory, secrets: [...new Set(secrets)] };
}

function stringLeaves(v: unknown): string[] {
    if (typeof v === "string") return [v];
    if (Array.isArray(v)) return v.flatMap(stringLeaves);
    if (v && typeof v === "object") return Object.values(v).flatMap(stringLeaves);
    return v === undefined || v === null ? [] : [String(v)];
}

function secretNamedLeaves(v: Obj): string[] {
    return Object.entries(v).flatMap(([k, x]) =>
        /key|pass|token|secret/i.test(k) ? stringLeaves(x) : x && typeof x === "object" && !Array.isArray(x) ? secretNamedLeaves(x) : [],
    );
}

function dropUndefined(o: Obj): Obj {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

// ------------------------------------------------------------------ synthetic big exports

export interface SyntheticOptions {
    /** Total resources to write (the root stack and providers included). */
    resources: number;
    stack?: string;
    project?: string;
    cluster?: string;
    /** Also export the cluster's inventory as a stack output (as LCT stacks do). Default true. */
    inventoryOutput?: boolean;
}

export interface SyntheticSummary {
    resources: number;
    instances: number;
    /** Instance labels per tag (for checking query answers). */
    countsByTag: Record<string, number>;
    bytes: number;
}

const SYNTH_ROLES = [
    { group: "controller", role: "kafka-controller", type: "g6-dedicated-4" },
    { group: "broker", role: "kafka-broker", type: "g6-dedicated-8" },
    { group: "zk", role: "zookeeper", type: "g6-standard-2" },
    { group: "web", role: "web", type: "g6-standard-4" },
    { group: "cache", role: "redis", type: "g6-standard-2" },
];
const SYNTH_REGIONS = ["us-east", "us-ord", "eu-central", "ap-south"];
const SYNTH_TEAMS = ["team-data", "team-web", "team-platform"];

/**
 * Writes a big, realistic stack export: per node a SecureNode component, its Instance, a
 * Volume and a DomainRecord (4 resources), plus per group a NodeGroup, StorageTier,
 * RandomPassword and Firewall, per region a Region, VPC and subnet. Streams to `file`.
 */
export function writeSyntheticStackExport(file: string, opts: SyntheticOptions): SyntheticSummary {
    const stack = opts.stack ?? "prod";
    const project = opts.project ?? "lct";
    const cluster = opts.cluster ?? "fleet";
    const perNode = 4;
    const groupsCount = SYNTH_ROLES.length * SYNTH_REGIONS.length;
    const fixed = 1 + Object.keys(PROVIDER_VERSIONS).length + 1 /* cluster */ + 1 /* domain */ + SYNTH_REGIONS.length * 3 + groupsCount * 4;
    const nodeCount = Math.max(1, Math.floor((opts.resources - fixed) / perNode));
    const fd = fs.openSync(file, "w");
    let bytes = 0;
    const write = (s: string): void => {
        bytes += Buffer.byteLength(s);
        fs.writeSync(fd, s);
    };
    const providers = providerResources(stack, project);
    const prov = (pkg: string): string => `${providers[pkg]!.urn}::${providers[pkg]!.id}`;
    const stackUrn = `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
    const clusterType = "lct:index:LinodeCluster";
    const clusterUrn = `urn:pulumi:${stack}::${project}::${clusterType}::${cluster}`;
    const countsByTag: Record<string, number> = {};
    let written = 0;
    let first = true;
    const emit = (r: Obj): void => {
        write((first ? "" : ",\n") + JSON.stringify(r, null, 4).replace(/^/gm, "            "));
        first = false;
        written++;
    };

    // Nodes are assigned round-robin over groups so every group grows evenly.
    const groups = SYNTH_REGIONS.flatMap((region, ri) => SYNTH_ROLES.map((r, gi) => ({ ...r, region, ri, gi, key: `${region}/${r.group}`, nodes: [] as InventoryNode[] })));
    let nextId = 40_000_000;
    for (let i = 0; i < nodeCount; i++) {
        const g = groups[i % groups.length]!;
        const index = g.nodes.length + 1;
        const label = `${cluster}-${g.region}-${g.group}-${index}`;
        const team = SYNTH_TEAMS[(g.gi + i) % SYNTH_TEAMS.length]!;
        const tags = [`lct:cluster=${cluster}`, `lct:region=${g.region}`, `lct:group=${g.group}`, `lct:role=${g.role}`, `lct:boot-order=${g.gi}`, "env-prod", team];
        const id = String(nextId++);
        const n: InventoryNode = {
            name: label,
            label,
            id,
            group: g.key,
            groupName: g.group,
            role: g.role,
            region: g.region,
            index,
            type: g.type,
            image: "linode/debian12",
            tags,
            hostname: label,
            fqdn: `${g.group}-${index}.${g.region}.fleet.example.com`,
            publicIpv4: `45.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
            vpcIpv4: `10.${g.ri + 1}.${(index >> 8) & 255}.${index & 255}`,
            ipv6: `2600:3c00::${i.toString(16)}/128`,
            volumes: [{ name: `${label}-data`, label: `${label}-data`.slice(0, 32), sizeGb: 100, mountPath: "/var/lib/data", filesystem: "ext4", id: String(90_000_000 + i) }],
        };
        g.nodes.push(n);
        for (const t of tags) countsByTag[t] = (countsByTag[t] ?? 0) + 1;
    }
    const nodes = groups.flatMap((g) => g.nodes);
    const inventory: ClusterInventory = {
        schemaVersion: 1,
        cluster,
        adminUser: "ops",
        groups: groups.map((g) => ({ key: g.key, name: g.group, region: g.region, role: g.role, bootOrder: g.gi, nodes: g.nodes.map((n) => n.name), services: [] })),
        nodes,
        loadBalancers: [],
        dns: { domain: "fleet.example.com" },
    };

    write(`{\n    "version": 3,\n    "deployment": {\n        "manifest": ${JSON.stringify(deployment([]).deployment.manifest)},\n        "secrets_providers": {"type": "passphrase", "state": {"salt": "v1:GSnb8Iq3MbI=:v1:7dDZ3wD6J9SxPwzp:JPrtNyrxAH8ovP1j+3M7n0mWSmbgZQ=="}},\n        "resources": [\n`);
    emit({
        urn: stackUrn,
        custom: false,
        type: "pulumi:pulumi:Stack",
        outputs: {
            cluster,
            ...(opts.inventoryOutput === false ? {} : { inventory }),
            adminPublicKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIsynthetic fleet"],
            adminPrivateKey: stateSecret("-----BEGIN OPENSSH PRIVATE KEY-----\nsynthetic\n-----END OPENSSH PRIVATE KEY-----\n", false),
            power: "running",
        },
    });
    for (const p of Object.values(providers)) emit(p.resource);
    emit({ urn: clusterUrn, custom: false, type: clusterType, outputs: {}, parent: stackUrn });
    const domainUrn = `urn:pulumi:${stack}::${project}::${clusterType}$linode:index/domain:Domain::${cluster}-domain`;
    emit({ urn: domainUrn, custom: true, id: "3000001", type: "linode:index/domain:Domain", inputs: { domain: "fleet.example.com", type: "master" }, outputs: { id: "3000001", domain: "fleet.example.com", type: "master", tags: [`lct:cluster=${cluster}`] }, parent: clusterUrn, provider: prov("linode") });
    for (const [ri, region] of SYNTH_REGIONS.entries()) {
        const regionType = `${clusterType}$lct:index:Region`;
        const regionUrn = `urn:pulumi:${stack}::${project}::${regionType}::${cluster}-${region}`;
        emit({ urn: regionUrn, custom: false, type: "lct:index:Region", outputs: {}, parent: clusterUrn });
        emit({ urn: `urn:pulumi:${stack}::${project}::${regionType}$linode:index/vpc:Vpc::${cluster}-${region}-vpc`, custom: true, id: String(500 + ri), type: "linode:index/vpc:Vpc", inputs: { label: `${cluster}-${region}`, region }, outputs: { id: String(500 + ri), label: `${cluster}-${region}`, region, subnets: [] }, parent: regionUrn, provider: prov("linode") });
        emit({ urn: `urn:pulumi:${stack}::${project}::${regionType}$linode:index/vpcSubnet:VpcSubnet::${cluster}-${region}-subnet`, custom: true, id: String(600 + ri), type: "linode:index/vpcSubnet:VpcSubnet", inputs: { ipv4: `10.${ri + 1}.0.0/16`, label: `${cluster}-${region}-nodes`, vpcId: 500 + ri }, outputs: { id: String(600 + ri), ipv4: `10.${ri + 1}.0.0/16`, label: `${cluster}-${region}-nodes`, vpcId: 500 + ri, linodes: [] }, parent: regionUrn, provider: prov("linode") });
    }
    for (const g of groups) {
        const base = `${cluster}-${g.region}-${g.group}`;
        const groupType = `${clusterType}$lct:index:NodeGroup`;
        const groupUrn = `urn:pulumi:${stack}::${project}::${groupType}::${base}`;
        emit({ urn: groupUrn, custom: false, type: "lct:index:NodeGroup", outputs: { instanceIds: g.nodes.map((n) => Number(n.id)) }, parent: clusterUrn });
        const pwUrn = `urn:pulumi:${stack}::${project}::${groupType}$random:index/randomPassword:RandomPassword::${base}-root-password`;
        emit({ urn: pwUrn, custom: true, id: "none", type: "random:index/randomPassword:RandomPassword", inputs: { length: 32, special: true }, outputs: { id: "none", length: 32, result: stateSecret(`pw-${base}`, false), bcryptHash: stateSecret(`hash-${base}`, false) }, parent: groupUrn, provider: prov("random"), additionalSecretOutputs: ["result"] });
        const tierType = `${groupType}$lct:index:StorageTier`;
        const tierUrn = `urn:pulumi:${stack}::${project}::${tierType}::${base}-storage`;
        emit({ urn: tierUrn, custom: false, type: "lct:index:StorageTier", outputs: {}, parent: groupUrn });
        emit({ urn: `urn:pulumi:${stack}::${project}::${clusterType}$linode:index/firewall:Firewall::${base}-fw`, custom: true, id: String(700_000 + g.ri * 10 + g.gi), type: "linode:index/firewall:Firewall", inputs: { label: `${base}-fw`, inboundPolicy: "DROP", outboundPolicy: "ACCEPT" }, outputs: { id: String(700_000 + g.ri * 10 + g.gi), label: `${base}-fw`, inboundPolicy: "DROP", outboundPolicy: "ACCEPT", status: "enabled", linodes: g.nodes.map((n) => Number(n.id)), tags: [`lct:cluster=${cluster}`] }, parent: clusterUrn, provider: prov("linode") });
        for (const n of g.nodes) {
            const nodeType = `${groupType}$lct:index:SecureNode`;
            const nodeUrn = `urn:pulumi:${stack}::${project}::${nodeType}::${base}-${n.index}`;
            emit({ urn: nodeUrn, custom: false, type: "lct:index:SecureNode", outputs: { instanceId: n.id, publicIpv4: n.publicIpv4, ipv6: n.ipv6 }, parent: groupUrn });
            const inputs = {
                __defaults: [],
                authorizedKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIsynthetic fleet"],
                booted: true,
                image: n.image,
                interfaces: [{ purpose: "public" }, { purpose: "vpc", subnetId: 600 + SYNTH_REGIONS.indexOf(n.region), ipv4: { vpc: n.vpcIpv4 } }],
                label: n.label,
                metadatas: [{ userData: "I2Nsb3VkLWNvbmZpZwo=" }],
                region: n.region,
                rootPass: stateSecret(`pw-${base}`, false),
                tags: n.tags,
                type: n.type,
            };
            const instUrn = `urn:pulumi:${stack}::${project}::${nodeType}$linode:index/instance:Instance::${base}-${n.index}-instance`;
            emit({
                urn: instUrn,
                custom: true,
                id: n.id,
                type: "linode:index/instance:Instance",
                inputs,
                outputs: dropUndefined(instanceOutputs(n.id!, { ...inputs, rootPass: "x" }, n, { showSecrets: false })),
                parent: nodeUrn,
                dependencies: [pwUrn],
                provider: prov("linode"),
                ignoreChanges: ["metadatas", "stackscriptData"],
                created: STATE_TIME,
                modified: STATE_TIME,
            });
            const vol = n.volumes[0]!;
            emit({ urn: `urn:pulumi:${stack}::${project}::${tierType}$linode:index/volume:Volume::${base}-storage-${n.index}-data`, custom: true, id: vol.id, type: "linode:index/volume:Volume", inputs: { label: vol.label, linodeId: Number(n.id), region: n.region, size: 100, tags: n.tags.slice(0, 4) }, outputs: { id: vol.id, label: vol.label, linodeId: Number(n.id), region: n.region, size: 100, tags: n.tags.slice(0, 4), filesystemPath: `/dev/disk/by-id/scsi-0Linode_Volume_${vol.label}`, status: "active", encryption: "disabled" }, parent: tierUrn, protect: true, dependencies: [instUrn], provider: prov("linode") });
            emit({ urn: `urn:pulumi:${stack}::${project}::${clusterType}$linode:index/domainRecord:DomainRecord::${base}-${n.index}-dns`, custom: true, id: String(8_000_000 + Number(n.id) % 1_000_000), type: "linode:index/domainRecord:DomainRecord", inputs: { domainId: 3000001, name: `${n.groupName}-${n.index}.${n.region}`, recordType: "A", target: n.publicIpv4, ttlSec: 300 }, outputs: { id: String(8_000_000 + Number(n.id) % 1_000_000), domainId: 3000001, name: `${n.groupName}-${n.index}.${n.region}`, recordType: "A", target: n.publicIpv4, ttlSec: 300, port: 0, priority: 0, weight: 0 }, parent: clusterUrn, dependencies: [domainUrn, instUrn], provider: prov("linode") });
        }
    }
    // Make the count exact with firewall device attachments (as a firewall-per-node setup has).
    for (let k = 0; written < opts.resources && k < nodes.length; k++) {
        const n = nodes[k]!;
        const base = `${cluster}-${n.region}-${n.groupName}`;
        emit({ urn: `urn:pulumi:${stack}::${project}::${clusterType}$linode:index/firewallDevice:FirewallDevice::${base}-${n.index}-fw-device`, custom: true, id: String(9_000_000 + k), type: "linode:index/firewallDevice:FirewallDevice", inputs: { entityId: Number(n.id), entityType: "linode", firewallId: 700_000 }, outputs: { id: String(9_000_000 + k), entityId: Number(n.id), entityType: "linode", firewallId: 700_000, created: STATE_TIME, updated: STATE_TIME }, parent: clusterUrn, provider: prov("linode") });
    }
    write(`\n        ],\n        "metadata": {}\n    }\n}\n`);
    fs.closeSync(fd);
    return { resources: written, instances: nodes.length, countsByTag, bytes };
}
