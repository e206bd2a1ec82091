/**
 * `~/.ssh/config` blocks: one `Host` per node (alias = its label), `ProxyJump` through the
 * cluster's bastion when the plan names one (the bastion's block is always written then, so
 * the jump resolves). Pure.
 */
import { bastionNode, sshRoute } from "./access";
import { type NodeSelector, selectorPredicate } from "./query";
import type { ClusterInventory, InventoryNode } from "./types";

export interface SshConfigOptions {
    selector?: NodeSelector;
    /** SSH user instead of the inventory's admin user. */
    user?: string;
    /** `IdentityFile` for every host. */
    identityFile?: string;
    /** Prepended to every alias (e.g. `prod-`). */
    aliasPrefix?: string;
}

export interface SshConfigResult {
    text: string;
    warnings: string[];
}

/** Characters ssh_config treats specially in a value (whitespace, quotes, comments). */
function sshValue(v: string): string {
    if (/^[^\s"'#]+$/.test(v)) return v;
    return `"${v.replace(/"/g, "")}"`;
}

export function renderSshConfig(inventories: readonly ClusterInventory[], opts: SshConfigOptions = {}): SshConfigResult {
    const pick = selectorPredicate(opts.selector);
    const prefix = opts.aliasPrefix ?? "";
    const warnings: string[] = [];
    const blocks: string[] = [];
    for (const inv of inventories) {
        const selected = inv.nodes.filter((n) => pick(n, inv.cluster));
        if (selected.length === 0) continue;
        const user = opts.user ?? inv.adminUser;
        const bastion = bastionNode(inv);
        const routes = selected.map((n) => ({ node: n, route: sshRoute(inv, n, bastion) }));
        const needsBastion = routes.some((r) => r.route.jump !== undefined);
        const nodes: InventoryNode[] = needsBastion && bastion && !selected.includes(bastion) ? [bastion, ...selected] : selected;
        const lines = [`# BEGIN lct cluster ${inv.cluster}`];
        for (const n of nodes) {
            const route = sshRoute(inv, n, bastion);
            if (route.address === undefined) {
                warnings.push(`${n.label}: no address yet; its Host block has no HostName`);
            }
            lines.push(`Host ${prefix}${n.label}`);
            if (route.address !== undefined) lines.push(`    HostName ${route.address}`);
            lines.push(`    User ${sshValue(user)}`);
            if (opts.identityFile) lines.push(`    IdentityFile ${sshValue(opts.identityFile)}`);
            if (route.jump) lines.push(`    ProxyJump ${prefix}${route.jump.label}`);
            lines.push(`    # lct: cluster=${inv.cluster} group=${n.group} role=${n.role} index=${n.index}`);
        }
        lines.push(`# END lct cluster ${inv.cluster}`);
        blocks.push(lines.join("\n"));
    }
    return { text: blocks.length > 0 ? blocks.join("\n\n") + "\n" : "", warnings };
}
