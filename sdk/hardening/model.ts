import { indexPlan } from "../network/member-addresses";
import type { HardeningProfile, ResolvedPlan } from "../plan/resolved";
import { firstBootHostsText } from "./cluster-hosts";
import { renderFail2banJail, FAIL2BAN_JAIL_PATH } from "./fail2ban";
import { hostFirewall, setElements } from "./host-firewall";
import { CLUSTER_HOSTS_PATH, NODE_HELPER_PATH, renderNodeHelper } from "./node-helper";
import { MODPROBE_PATH, renderModprobeBlacklist } from "./modprobe";
import { NFTABLES_PATH, renderNftables } from "./nftables";
import { hardenedProfile, NONE_WARNING, STRICT_BANNER_TEXT } from "./profiles";
import { renderSshdDropIn, SSH_BANNER_PATH, SSHD_DROPIN_PATH } from "./sshd-config";
import { renderSysctl, SYSCTL_PATH } from "./sysctl";
import { renderUnattendedUpgrades, UNATTENDED_UPGRADES_PATH } from "./unattended-upgrades";
import { filesystemPackages, nodeVolumes } from "./volumes";
import { firstBootExtras } from "./extensions";

/**
 * The step model: what first boot does to a node, independent of the format that carries
 * it. cloud-config and the StackScript are both rendered from this, in the same order:
 * early files → (admin user) → packages → (admin user) → files → commands. cloud-init creates
 * the user before packages, the StackScript after them (it needs sudo installed first).
 *
 * Per-node values are tagged with the StackScript UDF that carries them, so one StackScript
 * per group can serve all its nodes; everything untagged is the same for the whole group.
 */
export type Arg = string | { udf: string; value: string };

export interface ManagedFile {
    path: string;
    content: string;
    /** Octal, e.g. "0600". */
    mode: string;
    /** Written before packages and services start (sshd must never start un-hardened). */
    early?: boolean;
}

export interface BootstrapModel {
    node: string;
    group: string;
    profile: HardeningProfile;
    /** Set for the `none` profile; printed in every output. */
    warning?: string;
    hostname: Arg;
    admin: { user: string; keys: string[] };
    /** apt upgrade at first boot (CIS 1.8: updates installed). */
    upgrade: boolean;
    packages: string[];
    files: ManagedFile[];
    /** Each command is an argv; the first element is the program. */
    commands: Arg[][];
}

export interface RenderOptions {
    /**
     * SSH public keys added to the plan's (`admin.sshKeys`); the component passes the
     * generated key here when the plan has `admin.generateKey`.
     */
    sshKeys?: readonly string[];
}

export const UDF = { node: "lct_node", hostname: "lct_hostname", fqdn: "lct_fqdn", volume: (i: number) => `lct_volume_${i}` } as const;

const HELPER = NODE_HELPER_PATH;

export function buildBootstrapModel(plan: ResolvedPlan, nodeName: string, opts: RenderOptions = {}): BootstrapModel {
    const model = hardeningModel(plan, nodeName, opts);
    const extras = firstBootExtras(plan, nodeName);
    if (extras.files.length === 0 && extras.commands.length === 0) return model;
    return {
        ...model,
        files: [...model.files, ...extras.files],
        commands: [...model.commands, ...extras.commands],
    };
}

function hardeningModel(plan: ResolvedPlan, nodeName: string, opts: RenderOptions): BootstrapModel {
    const index = indexPlan(plan);
    const node = index.node(nodeName);
    if (!node) throw new Error(`no node ${nodeName} in plan ${plan.name}`);
    const group = index.group(node.group)!;
    const keys = [...new Set([...plan.admin.sshKeys, ...(opts.sshKeys ?? [])].map((k) => k.trim()).filter((k) => k.length > 0))];
    if (keys.length === 0) {
        throw new Error(`no SSH key for the admin user of ${plan.name}: pass the generated public key as sshKeys (admin.generateKey is set)`);
    }
    const profileName = group.hardening.profile;
    const profile = hardenedProfile(profileName);
    const volumes = nodeVolumes(plan, nodeName);
    const udf = (name: string, value: string): Arg => ({ udf: name, value });
    const hostname = udf(UDF.hostname, node.hostname);
    const fqdnArgs: Arg[] = node.fqdn ? [udf(UDF.fqdn, node.fqdn)] : [];
    const parts = groupParts(plan, group.key);

    const files: ManagedFile[] = [
        // Early: the StackScript runs its package and user steps through it.
        { path: HELPER, content: renderNodeHelper(), mode: "0755", early: true },
        { path: CLUSTER_HOSTS_PATH, content: parts.hosts, mode: "0644" },
    ];
    const identity: Arg[][] = [
        [HELPER, "hostname", hostname],
        [HELPER, "hosts", hostname, ...fqdnArgs],
        ...volumes.map((v, i): Arg[] => [HELPER, "volume", udf(UDF.volume(i + 1), v.label), v.mountPath, v.filesystem]),
    ];
    const complete: Arg[] = [HELPER, "complete", udf(UDF.node, node.name), profileName];
    const base = { node: node.name, group: group.key, profile: profileName, hostname, admin: { user: plan.admin.user, keys } };

    if (!profile) {
        // sudo: the admin user is useless without it, whatever the profile.
        return { ...base, warning: NONE_WARNING, upgrade: false, packages: ["sudo", ...filesystemPackages(volumes)], files, commands: [...identity, complete] };
    }

    files.unshift({
        path: SSHD_DROPIN_PATH,
        content: renderSshdDropIn(profile, { adminUser: plan.admin.user, tcpForwarding: plan.bastion === group.key ? "local" : "no" }),
        mode: "0600",
        early: true,
    });
    if (profile.sshd.banner) files.unshift({ path: SSH_BANNER_PATH, content: STRICT_BANNER_TEXT, mode: "0644", early: true });
    files.push(
        { path: NFTABLES_PATH, content: parts.nftables(), mode: "0600" },
        { path: SYSCTL_PATH, content: renderSysctl(group.hardening.forwarding), mode: "0644" },
        { path: FAIL2BAN_JAIL_PATH, content: renderFail2banJail(profile), mode: "0644" },
        { path: UNATTENDED_UPGRADES_PATH, content: renderUnattendedUpgrades(), mode: "0644" },
        { path: MODPROBE_PATH, content: renderModprobeBlacklist(), mode: "0644" },
    );
    const packages = [
        "openssh-server",
        "sudo",
        "nftables",
        "fail2ban",
        // fail2ban's systemd backend imports it; without it the sshd jail does not start.
        "python3-systemd",
        "unattended-upgrades",
        ...(profile.auditd ? ["auditd"] : []),
        ...filesystemPackages(volumes),
    ];
    const commands: Arg[][] = [
        [HELPER, "remove-packages", ...profile.removePackages],
        [HELPER, "timesync"],
        [HELPER, "sshd"],
        [HELPER, "sysctl", SYSCTL_PATH],
        [HELPER, "firewall"],
        [HELPER, "enable", "fail2ban"],
        [HELPER, "enable", "unattended-upgrades", "apt-daily.timer", "apt-daily-upgrade.timer"],
        ...(profile.auditd ? [[HELPER, "auditd"]] : []),
        ...identity,
        complete,
    ];
    return { ...base, upgrade: true, packages, files, commands };
}

/**
 * What all nodes of a group share and costs O(cluster size) to compute: the cluster hosts
 * list and the firewall. Memoised per plan object (like indexPlan), so rendering every node
 * of a 1,000-node group does the work once, not a thousand times.
 */
interface GroupParts {
    hosts: string;
    nftables(): string;
}

const partsCache = new WeakMap<ResolvedPlan, Map<string, GroupParts>>();

function groupParts(plan: ResolvedPlan, groupKey: string): GroupParts {
    let byGroup = partsCache.get(plan);
    if (!byGroup) partsCache.set(plan, (byGroup = new Map()));
    const hit = byGroup.get(groupKey);
    if (hit) return hit;
    let nft: string | undefined;
    const parts: GroupParts = {
        hosts: firstBootHostsText(plan, groupKey),
        nftables() {
            if (nft === undefined) {
                const fw = hostFirewall(plan, groupKey);
                const elements = Object.fromEntries(fw.sets.map((s) => [s.name, setElements(plan, groupKey, s)]));
                const profile = plan.groups.find((g) => g.key === groupKey)!.hardening.profile;
                nft = renderNftables(fw, { elements, header: [`LCT host firewall of group ${groupKey}, profile ${profile}. Generated by LCT.`] });
            }
            return nft;
        },
    };
    byGroup.set(groupKey, parts);
    return parts;
}

/** An argv value as it is for this node. */
export function argValue(a: Arg): string {
    return typeof a === "string" ? a : a.value;
}
