import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderMemberSync, renderNodeBootstrap } from "../../sdk/hardening";
import type { ResolvedPlan } from "../../sdk/plan/resolved";
import { announceSkip, canUnshareNet, requireCapability, requireTool, run } from "../support/tools";
import { decodeUserData } from "../support/user-data";
import { ALL_PLANS, KEY_ED25519, quickstart } from "./fixtures";

/**
 * nftables 1.0.6 (Debian 12): every rendered ruleset passes `nft -c -f`, and loaded for real
 * into a fresh network namespace its JSON shows default-drop and member-only service ports.
 */
const nft = requireTool("nft", "nftables");
const unshare = requireTool("unshare", "util-linux");
const netns = nft.skip || unshare.skip ? {} : requireCapability("network namespaces", canUnshareNet, "run as root (CI does)");
for (const t of [nft, unshare, netns]) announceSkip(t);
const skip = [nft, unshare, netns].some((t) => t.skip !== undefined);

const dir = mkdtempSync(join(tmpdir(), "lct-nft-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Json = Record<string, unknown>;
interface Rule {
    chain: string;
    expr: Json[];
}

/** Loads files in order into a new network namespace and returns `nft -j list ruleset`. */
function loadInNetns(files: string[]): { chains: Json[]; rules: Rule[]; sets: Map<string, unknown[]> } {
    const script = [...files.map((f) => `${nft.path!} -f ${f}`), `${nft.path!} -j list ruleset`].join(" && ");
    const r = run(unshare.path!, ["--net", "sh", "-c", script]);
    if (r.status !== 0) throw new Error(`nft in a network namespace failed:\n${r.stderr}`);
    const items = (JSON.parse(r.stdout) as { nftables: Json[] }).nftables;
    const chains = items.flatMap((i) => (i.chain ? [i.chain as Json] : []));
    const rules = items.flatMap((i) => (i.rule ? [i.rule as Rule] : []));
    const sets = new Map(items.flatMap((i) => (i.set ? [[(i.set as Json).name as string, ((i.set as Json).elem as unknown[]) ?? []] as const] : [])));
    return { chains, rules, sets };
}

function dport(rule: Rule): { protocol: string; ports: unknown } | undefined {
    for (const e of rule.expr) {
        const m = e.match as { left?: { payload?: { protocol: string; field: string } }; right?: unknown } | undefined;
        if (m?.left?.payload?.field === "dport") return { protocol: m.left.payload.protocol, ports: m.right };
    }
    return undefined;
}

function saddrSet(rule: Rule): string | undefined {
    for (const e of rule.expr) {
        const m = e.match as { left?: { payload?: { field: string } }; right?: unknown } | undefined;
        if (m?.left?.payload?.field === "saddr" && typeof m.right === "string" && m.right.startsWith("@")) return m.right.slice(1);
    }
    return undefined;
}

const accepts = (r: Rule) => r.expr.some((e) => "accept" in e);
const portList = (p: unknown): number[] =>
    typeof p === "number" ? [p] : Array.isArray((p as Json)?.set) ? ((p as Json).set as unknown[]).flatMap(portList) : (p as Json)?.range ? [((p as Json).range as number[])[0]!] : [];

function rulesetOf(plan: ResolvedPlan, node: string): string {
    const asCloud: ResolvedPlan = { ...plan, groups: plan.groups.map((g) => ({ ...g, configMethod: "cloud-init" as const })) };
    const b = renderNodeBootstrap(asCloud, node, { sshKeys: [KEY_ED25519] });
    if (b.method !== "cloud-init") throw new Error("cloud-init expected");
    return decodeUserData(b.userData).files.get("/etc/nftables.conf")!.content;
}

describe.skipIf(skip)("nftables rulesets (nft 1.0.6)", () => {
    it("nft -c rejects a broken ruleset (the check can fail)", () => {
        const bad = join(dir, "bad.nft");
        writeFileSync(bad, "table inet lct {\n\tchain input {\n\t\ttype filter hook input priority filter; policy maybe;\n\t}\n}\n");
        expect(run(nft.path!, ["-c", "-f", bad]).status).not.toBe(0);
    });

    for (const [name, make] of ALL_PLANS) {
        const plan = make();
        describe(`${name} plan`, () => {
            for (const g of plan.groups.filter((x) => x.hardening.profile !== "none")) {
                it(`${g.key}: valid, default-drop, member-only service ports`, () => {
                    const file = join(dir, `${name}-${g.key.replace("/", "_")}.nft`);
                    writeFileSync(file, rulesetOf(plan, g.nodes[0]!));
                    const check = run(nft.path!, ["-c", "-f", file]);
                    expect(check.status, check.stderr).toBe(0);

                    const { chains, rules } = loadInNetns([file]);
                    const policy = (hook: string) => chains.find((c) => c.hook === hook)?.policy;
                    expect(policy("input")).toBe("drop");
                    expect(policy("forward")).toBe(g.hardening.forwarding ? "accept" : "drop");
                    expect(policy("output")).toBe(g.hardening.egress.mode === "restricted" ? "drop" : "accept");

                    const access = plan.access.filter((a) => a.group === g.key);
                    const worldPorts = new Set(access.filter((a) => a.sources.world).flatMap((a) => a.ports.map((p) => `${a.protocol}/${p.from}`)));
                    const input = rules.filter((r) => r.chain === "input" && accepts(r) && dport(r));
                    for (const r of input) {
                        const d = dport(r)!;
                        // Accepted from anywhere only if the plan says world for that port.
                        if (!saddrSet(r)) for (const p of portList(d.ports)) expect(worldPorts, `${d.protocol}/${p} open to all`).toContain(`${d.protocol}/${p}`);
                    }
                    for (const svc of access.filter((a) => a.purpose === "service" && !a.sources.world)) {
                        const port = svc.ports[0]!.from;
                        const hits = input.filter((r) => dport(r)!.protocol === svc.protocol && portList(dport(r)!.ports).includes(port));
                        expect(hits.length, `${svc.name} ${port}/${svc.protocol} has a rule`).toBeGreaterThan(0);
                        for (const h of hits) if (!worldPorts.has(`${svc.protocol}/${port}`)) expect(saddrSet(h), `${svc.name} only from a member set`).toBeDefined();
                    }
                });
            }
        });
    }

    it("member sync fills the sets in place, and the ruleset reloads with them", () => {
        const plan = quickstart();
        const ruleset = join(dir, "qs-db.nft");
        writeFileSync(ruleset, rulesetOf(plan, "quickstart-us-ord-db-1"));
        const sync = renderMemberSync(plan, "quickstart-us-ord-db-1", { "quickstart-eu-central-web-1": { publicIpv4: "198.51.100.7" } });
        const members = join(dir, "qs-db-members.nft");
        writeFileSync(members, /<<'LCT_SETS'\n([\s\S]*?)\nLCT_SETS\n/.exec(sync)![1]! + "\n");
        const before = loadInNetns([ruleset]).sets.get("svc_postgresql_tcp_v4");
        const after = loadInNetns([ruleset, members, ruleset, members]).sets.get("svc_postgresql_tcp_v4");
        expect(JSON.stringify(before)).not.toContain("198.51.100.7");
        expect(JSON.stringify(after)).toContain("198.51.100.7");
        // The plan-time members are still there.
        expect(JSON.stringify(after)).toContain("10.31.254.10");
    });
});
