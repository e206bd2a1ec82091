/**
 * Ansible inventories from cluster inventories: one model, rendered as YAML, INI, the dynamic
 * inventory JSON (`--list` / `--host`) and a self-contained executable inventory script.
 *
 * Groups (all names `[A-Za-z0-9_]`): `cluster_<cluster>`, `region_<region>`, `group_<group
 * name>`, `role_<role>`, `tag_<tag>` (the plan's own tags; LCT's `lct:` tags are the cluster,
 * region, group and role groups already). Combine them with patterns: `cluster_shop:&role_web`.
 *
 * Group vars (on `cluster_<name>`): `ansible_user`, `lct_cluster`, `lct_template`, `lct_bastion`,
 * and each stack's wiring (see ./wiring). Host vars: `ansible_host` (public IPv4, or the
 * address the bastion reaches the node on, with `ansible_ssh_common_args` ProxyJump),
 * addresses, LCT metadata and volume mounts. Pure; no secret is ever read or written.
 */
import { stringify } from "yaml";
import { bareIpv6, clusterAddress, privateAddress } from "./addresses";
import { bastionNode, sshRoute } from "./access";
import { type GroupDimension, GroupNamer } from "./ansible-names";
import { type NodeSelector, selectorPredicate } from "./query";
import type { ClusterInventory, InventoryNode } from "./types";
import { wireInventory } from "./wiring";

export type Vars = Record<string, unknown>;

export interface AnsibleGroup {
    name: string;
    /** Inventory hostnames (node labels), in inventory order. */
    hosts: string[];
    vars: Vars;
}

export interface AnsibleModel {
    groups: AnsibleGroup[];
    /** Host vars by hostname (not including group vars). */
    hostvars: Record<string, Vars>;
    warnings: string[];
}

export interface AnsibleOptions {
    /** Which nodes become hosts; all by default. Wiring still sees the whole cluster. */
    selector?: NodeSelector;
    /** Per-stack wiring vars (default true). */
    wiring?: boolean;
    /** SSH user instead of the inventory's admin user. */
    user?: string;
}

/** Linode's stable device path of a Block Storage volume. */
export function volumeDevice(label: string): string {
    return `/dev/disk/by-id/scsi-0Linode_Volume_${label}`;
}

function nodeVars(inv: ClusterInventory, n: InventoryNode, user: string, bastion: InventoryNode | undefined): Vars {
    const route = sshRoute(inv, n, bastion);
    const v: Vars = {};
    const put = (k: string, x: unknown): void => {
        if (x !== undefined && x !== "") v[k] = x;
    };
    put("ansible_host", route.address);
    if (route.jump?.publicIpv4) put("ansible_ssh_common_args", `-o ProxyJump=${user}@${route.jump.publicIpv4}`);
    put("public_ip", n.publicIpv4);
    put("public_ipv6", bareIpv6(n.ipv6));
    put("private_ip", privateAddress(n));
    put("vpc_ip", n.vpcIpv4);
    put("cluster_ip", clusterAddress(n));
    put("linode_id", n.id);
    put("linode_label", n.label);
    put("linode_type", n.type);
    put("linode_image", n.image);
    put("lct_cluster", inv.cluster);
    put("lct_region", n.region);
    put("lct_group", n.group);
    put("lct_group_name", n.groupName);
    put("lct_role", n.role);
    put("lct_index", n.index);
    put("lct_hostname", n.hostname);
    put("lct_fqdn", n.fqdn);
    v.lct_tags = [...n.tags];
    v.lct_volumes = n.volumes.map((vol) => ({
        name: vol.name,
        label: vol.label,
        mount_path: vol.mountPath,
        filesystem: vol.filesystem,
        size_gb: vol.sizeGb,
        device: volumeDevice(vol.label),
        ...(vol.id ? { id: vol.id } : {}),
    }));
    return v;
}

/** Builds the Ansible model of the selected nodes of one or more clusters. */
export function buildAnsibleModel(inventories: readonly ClusterInventory[], opts: AnsibleOptions = {}): AnsibleModel {
    const pick = selectorPredicate(opts.selector);
    const warnings: string[] = [];
    const hostvars: Record<string, Vars> = {};
    const members = new Map<string, { dimension: GroupDimension; value: string; hosts: string[]; vars: Vars }>();
    const join = (dimension: GroupDimension, value: string, host: string): void => {
        const key = `${dimension}\u0000${value}`;
        let g = members.get(key);
        if (!g) members.set(key, (g = { dimension, value, hosts: [], vars: {} }));
        if (!g.hosts.includes(host)) g.hosts.push(host);
    };
    const clusterVars = new Map<string, Vars>();

    for (const inv of inventories) {
        const selected = inv.nodes.filter((n) => pick(n, inv.cluster));
        if (selected.length === 0) continue;
        const user = opts.user ?? inv.adminUser;
        const bastion = bastionNode(inv);
        const wired = opts.wiring === false ? undefined : wireInventory(inv);
        if (wired) warnings.push(...wired.warnings);
        for (const n of selected) {
            const host = n.label;
            if (hostvars[host]) {
                warnings.push(`host ${host} appears twice (cluster ${inv.cluster}); the first one is kept`);
                continue;
            }
            hostvars[host] = { ...nodeVars(inv, n, user, bastion), ...(wired?.hostVars[n.name] ?? {}) };
            join("cluster", inv.cluster, host);
            join("region", n.region, host);
            if (n.groupName) join("group", n.groupName, host);
            if (n.role) join("role", n.role, host);
            for (const t of n.tags) if (!t.startsWith("lct:")) join("tag", t, host);
        }
        const cv: Vars = { ansible_user: user, lct_cluster: inv.cluster };
        if (inv.template) cv.lct_template = { name: inv.template.name, ...(inv.template.version ? { version: inv.template.version } : {}) };
        if (bastion) cv.lct_bastion = bastion.label;
        if (wired && wired.applied.length > 0) cv.lct_wiring = wired.applied;
        clusterVars.set(inv.cluster, { ...cv, ...(wired?.vars ?? {}) });
    }

    // Names are handed out in a fixed order (dimension, then value) so collisions resolve the same way every time.
    const order: GroupDimension[] = ["cluster", "region", "group", "role", "tag"];
    const sorted = [...members.values()].sort((a, b) => order.indexOf(a.dimension) - order.indexOf(b.dimension) || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    const namer = new GroupNamer();
    const groups = sorted.map((g) => ({
        name: namer.name(g.dimension, g.value),
        hosts: g.hosts,
        vars: g.dimension === "cluster" ? (clusterVars.get(g.value) ?? {}) : {},
    }));
    return { groups, hostvars, warnings: [...warnings, ...namer.warnings] };
}

// ---------------------------------------------------------------------------------- YAML

/** The YAML inventory document: host vars once under `all.hosts`, groups under `all.children`. */
export function ansibleYamlDocument(model: AnsibleModel): Vars {
    const children: Vars = {};
    for (const g of model.groups) {
        children[g.name] = {
            hosts: Object.fromEntries(g.hosts.map((h) => [h, null])),
            ...(Object.keys(g.vars).length > 0 ? { vars: g.vars } : {}),
        };
    }
    return { all: { hosts: model.hostvars, children } };
}

/**
 * YAML 1.1 output: Ansible reads inventories with PyYAML (YAML 1.1), where `yes`, `on` or
 * `1:20` are not strings; the `yaml` package quotes such values when told the version.
 */
export function toAnsibleYaml(value: unknown): string {
    return stringify(value, { version: "1.1", lineWidth: 0, aliasDuplicateObjects: false, nullStr: "" });
}

export function renderAnsibleYaml(model: AnsibleModel, header?: string): string {
    return (header ? comment(header) : "") + toAnsibleYaml(ansibleYamlDocument(model));
}

function comment(text: string): string {
    return text
        .split("\n")
        .map((l) => `# ${l}`.trimEnd())
        .join("\n") + "\n";
}

// ----------------------------------------------------------------------------------- INI

/** A value as a Python literal (Ansible's INI plugin reads values with `ast.literal_eval`). */
export function pythonLiteral(v: unknown): string {
    if (v === null || v === undefined) return "None";
    if (typeof v === "boolean") return v ? "True" : "False";
    if (typeof v === "number") return Number.isFinite(v) ? String(v) : "None";
    if (typeof v === "string") {
        let out = "'";
        for (const ch of v) {
            const c = ch.codePointAt(0)!;
            if (ch === "\\") out += "\\\\";
            else if (ch === "'") out += "\\'";
            else if (ch === "\n") out += "\\n";
            else if (ch === "\r") out += "\\r";
            else if (ch === "\t") out += "\\t";
            else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
            else if (c > 0x7e) out += c > 0xffff ? `\\U${c.toString(16).padStart(8, "0")}` : `\\u${c.toString(16).padStart(4, "0")}`;
            else out += ch;
        }
        return out + "'";
    }
    if (Array.isArray(v)) return `[${v.map(pythonLiteral).join(", ")}]`;
    if (typeof v === "object") {
        return `{${Object.entries(v as Vars)
            .map(([k, x]) => `${pythonLiteral(k)}: ${pythonLiteral(x)}`)
            .join(", ")}}`;
    }
    return pythonLiteral(String(v));
}

/** Quoting for a token of a host line, which Ansible splits with POSIX shlex first. */
function shlexQuote(s: string): string {
    return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export function renderAnsibleIni(model: AnsibleModel, header?: string): string {
    const lines: string[] = header ? [comment(header).trimEnd()] : [];
    const written = new Set<string>();
    for (const g of model.groups) {
        lines.push(`[${g.name}]`);
        for (const h of g.hosts) {
            if (written.has(h)) {
                lines.push(h);
                continue;
            }
            written.add(h);
            const vars = Object.entries(model.hostvars[h] ?? {}).map(([k, v]) => `${k}=${shlexQuote(pythonLiteral(v))}`);
            lines.push([h, ...vars].join(" "));
        }
        lines.push("");
        if (Object.keys(g.vars).length > 0) {
            lines.push(`[${g.name}:vars]`);
            for (const [k, v] of Object.entries(g.vars)) lines.push(`${k}=${pythonLiteral(v)}`);
            lines.push("");
        }
    }
    return lines.join("\n");
}

// ------------------------------------------------------------------ dynamic inventory JSON

/** What a dynamic inventory prints for `--list` (with `_meta.hostvars`, so `--host` is never needed). */
export function ansibleListJson(model: AnsibleModel): Vars {
    const out: Vars = {
        _meta: { hostvars: model.hostvars },
        all: { children: ["ungrouped", ...model.groups.map((g) => g.name)] },
    };
    for (const g of model.groups) out[g.name] = { hosts: [...g.hosts], ...(Object.keys(g.vars).length > 0 ? { vars: g.vars } : {}) };
    return out;
}

/** What a dynamic inventory prints for `--host <name>`: its host vars, `{}` when unknown. */
export function ansibleHostJson(model: AnsibleModel, host: string): Vars {
    return model.hostvars[host] ?? {};
}

/**
 * A self-contained executable dynamic inventory (Python 3, which every Ansible controller has):
 * `--list` and `--host <name>`, the data embedded. `chmod +x` it and pass it to `-i`.
 */
export function renderInventoryScript(model: AnsibleModel, header = "Generated by lct inventory export --format script."): string {
    const data = JSON.stringify(JSON.stringify(ansibleListJson(model)));
    return [
        "#!/usr/bin/env python3",
        `"""Ansible dynamic inventory. ${header.replace(/"""/g, "'''")}`,
        "",
        "Usage: inventory.py --list | --host <hostname>",
        '"""',
        "import json",
        "import sys",
        "",
        `INVENTORY = json.loads(${data})`,
        "",
        "",
        "def main(argv):",
        '    if len(argv) == 2 and argv[1] == "--list":',
        "        json.dump(INVENTORY, sys.stdout, indent=2, sort_keys=True)",
        "        return 0",
        '    if len(argv) == 3 and argv[1] == "--host":',
        '        json.dump(INVENTORY["_meta"]["hostvars"].get(argv[2], {}), sys.stdout, indent=2, sort_keys=True)',
        "        return 0",
        '    sys.stderr.write("usage: %s --list | --host <hostname>\\n" % argv[0])',
        "    return 2",
        "",
        "",
        'if __name__ == "__main__":',
        "    sys.exit(main(sys.argv))",
        "",
    ].join("\n");
}
