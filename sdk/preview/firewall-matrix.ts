import { formatRange } from "../network/ports";
import type { ResolvedPlan } from "../plan/resolved";
import { sources } from "../cli/render/format";

export interface MatrixRow {
    group: string;
    ports: string;
    purpose: string;
    from: string;
}

/** Who may reach which port on which group (everything else is dropped). */
export function firewallMatrix(plan: ResolvedPlan): MatrixRow[] {
    const all = plan.groups.map((g) => g.key);
    return plan.groups.flatMap((g) =>
        plan.access
            .filter((a) => a.group === g.key)
            .map((a) => ({
                group: g.key,
                ports: `${a.ports.map(formatRange).join(",")}/${a.protocol}`,
                purpose: a.purpose === "service" || a.purpose === "load-balancer" ? `${a.purpose} ${a.name}` : a.purpose,
                from: sources(a.sources, all),
            })),
    );
}

export function renderFirewallMatrix(rows: readonly MatrixRow[]): string {
    const w = (k: keyof MatrixRow) => Math.max(k.length, ...rows.map((r) => r[k].length));
    const line = (r: MatrixRow) =>
        `  ${r.group.padEnd(w("group"))}  ${r.ports.padEnd(w("ports"))}  ${r.purpose.padEnd(w("purpose"))}  ${r.from}`;
    let last = "";
    return [
        line({ group: "target", ports: "port", purpose: "purpose", from: "from" }),
        ...rows.map((r) => {
            const shown = line({ ...r, group: r.group === last ? "" : r.group });
            last = r.group;
            return shown;
        }),
    ].join("\n");
}
