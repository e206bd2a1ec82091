import { formatRange } from "../network/ports";
import type { ResolvedPlan } from "../plan/resolved";

/** The cluster as boxes and arrows: regions containing groups, plus outside sources and load balancers. */
export interface Topology {
    regions: Array<{ id: string; label: string; network: string; groups: Array<{ key: string; label: string }> }>;
    outside: Array<{ id: string; label: string; kind: "internet" | "cidrs" | "load-balancer" }>;
    edges: Array<{ from: string; to: string; label: string }>;
}

export function topology(plan: ResolvedPlan): Topology {
    const outside = new Map<string, Topology["outside"][number]>();
    const edges = new Map<string, Topology["edges"][number]>();
    const addEdge = (from: string, to: string, label: string) => {
        const key = `${from}→${to}`;
        const e = edges.get(key);
        if (e) {
            if (!e.label.split(", ").includes(label)) e.label += `, ${label}`;
        } else edges.set(key, { from, to, label });
    };
    for (const a of plan.access) {
        if (a.purpose === "load-balancer") continue; // drawn from the load balancer below
        const ports = `${a.ports.map(formatRange).join(",")}/${a.protocol}`;
        if (a.sources.world) {
            outside.set("internet", { id: "internet", label: "Internet", kind: "internet" });
            addEdge("internet", a.group, ports);
        }
        if (a.sources.cidrs.length) {
            const id = `cidrs:${a.sources.cidrs.join(",")}`;
            outside.set(id, { id, label: a.sources.cidrs.join(", "), kind: "cidrs" });
            addEdge(id, a.group, ports);
        }
        for (const g of a.sources.groups) if (g !== a.group) addEdge(g, a.group, ports);
    }
    for (const lb of plan.loadBalancers) {
        const id = `lb:${lb.name}`;
        outside.set(id, { id, label: `NodeBalancer ${lb.name} :${lb.listeners.map((l) => l.port).join(",")}`, kind: "load-balancer" });
        outside.set("internet", { id: "internet", label: "Internet", kind: "internet" });
        addEdge("internet", id, lb.listeners.map((l) => `${l.port}/${l.protocol}`).join(","));
        for (const l of lb.listeners) addEdge(id, l.target.group, `${l.target.port}/tcp`);
    }
    return {
        regions: plan.regions.map((r) => ({
            id: r.id,
            label: `${r.id} (${r.label})`,
            network: r.vpc ? `VPC ${r.vpc.subnet}` : "private IPv4",
            groups: r.groups.map((k) => {
                const g = plan.groups.find((x) => x.key === k)!;
                return { key: k, label: `${g.name} ×${g.count} · ${g.type}` };
            }),
        })),
        outside: [...outside.values()],
        edges: [...edges.values()],
    };
}

const mermaidId = (s: string) => s.replace(/[^A-Za-z0-9]/g, "_");
const mermaidText = (s: string) => s.replace(/"/g, "'");

/** Mermaid flowchart (renders on GitHub, in many editors, or with mermaid-cli). */
export function renderMermaid(t: Topology): string {
    const lines = ["flowchart LR"];
    for (const o of t.outside) {
        const open = o.kind === "internet" ? "((" : o.kind === "load-balancer" ? "{{" : "([";
        const close = o.kind === "internet" ? "))" : o.kind === "load-balancer" ? "}}" : "])";
        lines.push(`  ${mermaidId(o.id)}${open}"${mermaidText(o.label)}"${close}`);
    }
    for (const r of t.regions) {
        lines.push(`  subgraph ${mermaidId(`region:${r.id}`)}["${mermaidText(`${r.label} · ${r.network}`)}"]`);
        for (const g of r.groups) lines.push(`    ${mermaidId(g.key)}["${mermaidText(g.label)}"]`);
        lines.push("  end");
    }
    for (const e of t.edges) lines.push(`  ${mermaidId(e.from)} -- "${mermaidText(e.label)}" --> ${mermaidId(e.to)}`);
    return lines.join("\n") + "\n";
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A self-contained SVG: outside sources on the left, one column per region, arrows for access. */
export function renderSvg(t: Topology): string {
    const boxW = 230;
    const boxH = 44;
    const gap = 26;
    const colW = boxW + 120;
    const top = 70;
    const pos = new Map<string, { x: number; y: number }>();
    t.outside.forEach((o, i) => pos.set(o.id, { x: 30, y: top + i * (boxH + gap) }));
    t.regions.forEach((r, ri) => r.groups.forEach((g, gi) => pos.set(g.key, { x: 30 + colW * (ri + 1), y: top + 45 + gi * (boxH + gap) })));
    const height = Math.max(...[...pos.values()].map((p) => p.y)) + boxH + 60;
    const width = 30 + colW * (t.regions.length + 1);
    const parts: string[] = [];
    t.regions.forEach((r, ri) => {
        const x = 30 + colW * (ri + 1) - 15;
        const h = r.groups.length * (boxH + gap) + 60;
        parts.push(`<g class="region" data-region="${esc(r.id)}"><rect x="${x}" y="${top - 10}" width="${boxW + 30}" height="${h}" rx="10" class="region"/>`);
        parts.push(`<text x="${x + 10}" y="${top + 8}" class="region-label">${esc(r.label)}</text>`);
        parts.push(`<text x="${x + 10}" y="${top + 24}" class="region-network">${esc(r.network)}</text></g>`);
    });
    for (const e of t.edges) {
        const a = pos.get(e.from);
        const b = pos.get(e.to);
        if (!a || !b) continue;
        let d: string;
        let lx: number;
        let ly: number;
        if (a.x === b.x) {
            // Same column (groups of one region): an arc on the right of the column.
            const [y1, y2] = [a.y + boxH / 2, b.y + boxH / 2];
            const x = a.x + boxW;
            // Longer arcs bulge further, so arcs between neighbours nest inside them.
            const bulge = 28 + Math.abs(y2 - y1) * 0.3;
            d = `M${x},${y1} C${x + bulge},${y1} ${x + bulge},${y2} ${x},${y2}`;
            lx = x + bulge * 0.75 + 4;
            ly = (y1 + y2) / 2 + 4;
        } else if (b.x > a.x) {
            const [x1, y1, x2, y2] = [a.x + boxW, a.y + boxH / 2, b.x, b.y + boxH / 2];
            d = `M${x1},${y1} C${(x1 + x2) / 2},${y1} ${(x1 + x2) / 2},${y2} ${x2},${y2}`;
            lx = (x1 + x2) / 2;
            ly = (y1 + y2) / 2 - 4;
        } else {
            // Right to left (a later region's group reaching an earlier one): left side to right side.
            const [x1, y1, x2, y2] = [a.x, a.y + boxH / 2, b.x + boxW, b.y + boxH / 2];
            d = `M${x1},${y1} C${x1 - 50},${y1 + 30} ${x2 + 50},${y2 + 30} ${x2},${y2}`;
            lx = (x1 + x2) / 2;
            ly = (y1 + y2) / 2 + 22;
        }
        parts.push(`<path d="${d}" class="edge" marker-end="url(#arrow)"><title>${esc(`${e.from} → ${e.to}: ${e.label}`)}</title></path>`);
        parts.push(`<text x="${lx}" y="${ly}" class="edge-label">${esc(e.label)}</text>`);
    }
    const box = (id: string, label: string, cls: string, title: string) => {
        const p = pos.get(id)!;
        parts.push(`<g class="node ${cls}" data-id="${esc(id)}"><title>${esc(title)}</title>`);
        parts.push(`<rect x="${p.x}" y="${p.y}" width="${boxW}" height="${boxH}" rx="6" class="${cls}"/>`);
        parts.push(`<text x="${p.x + boxW / 2}" y="${p.y + boxH / 2 + 5}" class="box-label">${esc(label)}</text></g>`);
    };
    for (const o of t.outside) box(o.id, o.label, o.kind, o.label);
    for (const r of t.regions) for (const g of r.groups) box(g.key, g.label, "group", `${g.key}: ${g.label}`);
    return [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="13">`,
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>",
        "<style>.region{fill:#f3f6fb;stroke:#8aa4c8}.region-label{font-weight:bold;fill:#2b4a73}.region-network{font-size:11px;fill:#2b4a73}.group{fill:#fff;stroke:#2b4a73}.internet{fill:#fde8e8;stroke:#c0392b}.cidrs{fill:#fff4e0;stroke:#d68910}.load-balancer{fill:#e8f8ef;stroke:#1e8449}.box-label{text-anchor:middle}.edge{fill:none;stroke:#555}.edge-label{font-size:11px;fill:#333}</style>",
        ...parts,
        "</svg>",
    ].join("\n");
}

/** An HTML page a person can open: the picture, and the access list and cost under it. */
export function renderHtml(plan: ResolvedPlan, t: Topology, extra: { matrix: string; cost: string }): string {
    return [
        // Polyglot: valid HTML, and well-formed XML (XHTML) for tools that read it as such.
        "<!DOCTYPE html>",
        `<html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><meta charset="utf-8"/><title>${esc(plan.name)} — LCT topology</title>`,
        "<style>body{font-family:sans-serif;margin:2em}pre{background:#f7f7f7;padding:1em;overflow:auto}</style></head><body>",
        `<h1>${esc(plan.name)}</h1>${plan.description ? `<p>${esc(plan.description)}</p>` : ""}`,
        renderSvg(t),
        "<h2>Who may reach what</h2>",
        `<pre>${esc(extra.matrix)}</pre>`,
        "<h2>Cost</h2>",
        `<pre>${esc(extra.cost)}</pre>`,
        "</body></html>",
        "",
    ].join("\n");
}
