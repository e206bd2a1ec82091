import { describe, expect, it } from "vitest";
import { renderGroupStackScript, renderMemberSync, renderNodeBootstrap, stackScriptData } from "../../sdk/hardening";
import { bigIntToIpv4, ipv4ToBigInt, parseCidr } from "../../sdk/network/cidr";
import { formatRange, mergeRanges } from "../../sdk/network/ports";
import { checkPlanValue } from "../../sdk/plan/check";
import type { ResolvedPlan } from "../../sdk/plan/resolved";
import { renderTemplate } from "../../sdk/templates/render";
import { decodeUserData, firewallFactsOf, hostsOf } from "../support/user-data";
import { ALL_PLANS, featureInput, KEY_ED25519, quickstart, resolvePlan } from "./fixtures";

const KEYS = { sshKeys: [KEY_ED25519] };

/** Every cloud-init node's decoded user data (StackScript groups rendered as cloud-config too). */
function decodedNodes(plan: ResolvedPlan) {
    const asCloud: ResolvedPlan = { ...plan, groups: plan.groups.map((g) => ({ ...g, configMethod: "cloud-init" as const })) };
    return plan.nodes.map((n) => {
        const b = renderNodeBootstrap(asCloud, n.name, KEYS);
        if (b.method !== "cloud-init") throw new Error("cloud-init expected");
        return { node: n, decoded: decodeUserData(b.userData) };
    });
}

/** Individual IPv4 addresses of set elements ("a.b.c.d", "a.b.c.d/nn", "a-b" ranges). */
function expand(elements: readonly string[]): Set<string> {
    const out = new Set<string>();
    for (const e of elements) {
        let lo: bigint;
        let hi: bigint;
        if (e.includes("-")) {
            const [a, b] = e.split("-");
            lo = ipv4ToBigInt(a!);
            hi = ipv4ToBigInt(b!);
        } else {
            const n = parseCidr(e)!;
            lo = n.base;
            hi = n.base + (1n << BigInt(32 - n.prefix)) - 1n;
        }
        if (hi - lo > 65536n) throw new Error(`refusing to expand ${e}`);
        for (let x = lo; x <= hi; x++) out.add(bigIntToIpv4(x));
    }
    return out;
}

/**
 * The oracle, straight from plan.access: which addresses a group's host firewall must accept
 * each rule from at first boot (literal networks plus VPC members of the same region).
 */
function expectedSources(plan: ResolvedPlan, groupKey: string, rule: ResolvedPlan["access"][number]) {
    const target = plan.groups.find((g) => g.key === groupKey)!;
    const region = plan.regions.find((r) => r.id === target.region)!;
    const members = plan.nodes.filter((n) => rule.sources.groups.includes(n.group));
    const vpc = region.privateNetwork === "vpc" ? members.filter((m) => m.region === target.region).map((m) => m.vpcIp!) : [];
    const v4 = rule.sources.cidrs.filter((c) => parseCidr(c)!.version === 4);
    const v6 = rule.sources.cidrs.filter((c) => parseCidr(c)!.version === 6);
    return { v4, v6, vpc: new Set(vpc), hasGroups: rule.sources.groups.length > 0 };
}

describe.each(ALL_PLANS)("host firewall of every node matches plan.access (%s)", (_name, make) => {
    const plan = make();
    const nodes = decodedNodes(plan);

    it.each(nodes.map((n) => [n.node.name, n] as const))("%s", (_node, { node, decoded }) => {
        const group = plan.groups.find((g) => g.key === node.group)!;
        const nft = decoded.files.get("/etc/nftables.conf");
        if (group.hardening.profile === "none") {
            expect(nft).toBeUndefined();
            return;
        }
        const fw = firewallFactsOf(nft!.content);
        expect(fw.policies.input).toBe("drop");
        expect(fw.policies.forward).toBe(group.hardening.forwarding ? "accept" : "drop");
        expect(fw.policies.output).toBe(group.hardening.egress.mode === "restricted" ? "drop" : "accept");

        const access = plan.access.filter((a) => a.group === group.key);
        const worldPorts = new Set<string>();
        let expectedRules = 0;
        const used = new Set<object>();
        for (const rule of access) {
            const ports = mergeRanges(rule.ports).map(formatRange);
            const candidates = fw.inputRules.filter((r) => r.protocol === rule.protocol && JSON.stringify(r.ports) === JSON.stringify(ports));
            if (rule.sources.world) {
                expect(candidates.some((r) => r.world), `${rule.purpose} ${rule.name} open to the world`).toBe(true);
                for (const p of ports) worldPorts.add(`${rule.protocol}/${p}`);
                expectedRules++;
                continue;
            }
            const want = expectedSources(plan, group.key, rule);
            // Rules with the same ports (a service and a NodeBalancer listener, say) differ by set.
            const matches = (r: (typeof candidates)[number], family: "ip" | "ip6") => {
                if (r.family !== family || used.has(r)) return false;
                const elements = fw.sets.get(r.set!) ?? [];
                const literal = family === "ip" ? want.v4.map((c) => (c.endsWith("/32") ? c.slice(0, -3) : c)) : want.v6;
                if (!literal.every((c) => elements.includes(c))) return false;
                if (family === "ip6") return elements.length === literal.length;
                const rest = elements.filter((e) => !literal.includes(e));
                return JSON.stringify([...expand(rest)].sort()) === JSON.stringify([...want.vpc].sort());
            };
            if (want.v4.length > 0 || want.hasGroups) {
                const hit = candidates.find((r) => matches(r, "ip"));
                expect(hit, `${rule.purpose} ${rule.name}: IPv4 sources ${[...want.v4, ...want.vpc].join(", ")}`).toBeDefined();
                used.add(hit!);
                expectedRules++;
            }
            if (want.v6.length > 0) {
                const hit = candidates.find((r) => matches(r, "ip6"));
                expect(hit, `${rule.purpose} ${rule.name}: IPv6 sources ${want.v6.join(", ")}`).toBeDefined();
                used.add(hit!);
                expectedRules++;
            }
        }
        // Nothing else is open, and only public (and unrestricted SSH) ports accept everyone.
        expect(fw.inputRules).toHaveLength(expectedRules);
        for (const r of fw.inputRules.filter((x) => x.world)) for (const p of r.ports) expect(worldPorts).toContain(`${r.protocol}/${p}`);
    });
});

describe("membership known late: what first boot contains", () => {
    it("user data of existing nodes does not change when other regions' groups are added or grown", () => {
        const before = resolvePlan(featureInput(false));
        const after = resolvePlan(featureInput(true));
        expect(after.nodes.length).toBeGreaterThan(before.nodes.length);
        for (const n of before.nodes) {
            expect(renderNodeBootstrap(after, n.name, KEYS), n.name).toEqual(renderNodeBootstrap(before, n.name, KEYS));
        }
        for (const g of before.groups.filter((x) => x.configMethod === "stackscript")) {
            expect(renderGroupStackScript(after, g.key, KEYS)).toBe(renderGroupStackScript(before, g.key, KEYS));
            for (const n of g.nodes) expect(stackScriptData(after, n, KEYS)).toEqual(stackScriptData(before, n, KEYS));
        }
    });

    it("growing a VPC group changes same-region nodes only in /etc/lct/hosts and firewall set elements", () => {
        const before = quickstart();
        const grownInput = quickstartInput();
        grownInput.regions[0]!.nodeGroups[2]!.count = 6; // us-ord/web 3 → 6
        const after = resolvePlan(grownInput);
        for (const n of before.nodes) {
            const a = decodeUserData((renderNodeBootstrap(before, n.name, KEYS) as { userData: string }).userData);
            const b = decodeUserData((renderNodeBootstrap(after, n.name, KEYS) as { userData: string }).userData);
            const changed = [...a.files.keys()].filter((p) => a.files.get(p)!.content !== b.files.get(p)!.content);
            if (n.region === "us-ord") {
                expect(changed.sort()).toEqual(["/etc/lct/hosts", ...(n.group === "us-ord/web" || n.group === "us-ord/db" ? ["/etc/nftables.conf"] : [])].sort());
                expect(hostsOf(b.files.get("/etc/lct/hosts")!.content).size).toBe(hostsOf(a.files.get("/etc/lct/hosts")!.content).size + 3);
                // Only set contents moved: the rules are the same.
                expect(firewallFactsOf(b.files.get("/etc/nftables.conf")!.content).inputRules).toEqual(
                    firewallFactsOf(a.files.get("/etc/nftables.conf")!.content).inputRules,
                );
            } else {
                expect(changed).toEqual([]);
            }
            const rest = (d: ReturnType<typeof decodeUserData>) => ({ ...d.config, write_files: undefined });
            expect(rest(b)).toEqual(rest(a));
        }
    });

    it("first boot lists only members whose address is known at plan time", () => {
        const plan = quickstart();
        const d = decodeUserData((renderNodeBootstrap(plan, "quickstart-eu-central-web-1", KEYS) as { userData: string }).userData);
        // eu-central uses private IPv4: no address is known before creation.
        expect(d.files.get("/etc/lct/hosts")!.content).toBe("");
        const fw = firewallFactsOf(d.files.get("/etc/nftables.conf")!.content);
        expect(fw.sets.get("svc_http_tcp_v4")).toEqual([]);
        expect(fw.includes).toEqual(["/etc/lct/members.d/*.nft"]);
    });
});

describe("member sync", () => {
    const plan = quickstart();
    const addresses = {
        "quickstart-eu-central-web-1": { publicIpv4: "198.51.100.7", privateIpv4: "192.168.140.7" },
        "quickstart-eu-central-web-2": { publicIpv4: "198.51.100.8", privateIpv4: "192.168.140.8" },
    };

    it("fills sets with late members as the target sees them (public across regions, private within)", () => {
        const db = renderMemberSync(plan, "quickstart-us-ord-db-1", addresses);
        expect(db).toContain("flush set inet lct svc_postgresql_tcp_v4");
        expect(db).toMatch(/add element inet lct svc_postgresql_tcp_v4 \{ [^}]*198\.51\.100\.7, 198\.51\.100\.8[^}]*\}/);
        expect(db).toMatch(/^198\.51\.100\.7 web-1\.eu-central\.example\.com quickstart-eu-central-web-1$/m);
        const web = renderMemberSync(plan, "quickstart-eu-central-web-2", addresses);
        expect(web).toMatch(/add element inet lct svc_http_tcp_v4 \{ 192\.168\.140\.7, 192\.168\.140\.8 \}/);
        expect(web).toContain("127.0.1.1 web-2.eu-central.example.com quickstart-eu-central-web-2");
        // Same-region VPC members of us-ord are not reachable from eu-central: not listed.
        expect(web).not.toContain("10.31.");
    });

    it("keeps plan-time members and omits members whose address is still unknown", () => {
        const s = renderMemberSync(plan, "quickstart-us-ord-db-1", { "quickstart-eu-central-web-1": { publicIpv4: "198.51.100.7" } });
        expect(s).toMatch(/add element inet lct svc_postgresql_tcp_v4 \{ [^}]*198\.51\.100\.7 \}/);
        expect(s).not.toContain("quickstart-eu-central-web-2");
        expect(s).toContain("10.31.254.10 db-1.us-ord.example.com quickstart-us-ord-db-1");
    });

    it("rejects addresses that are not IPv4", () => {
        expect(() => renderMemberSync(plan, "quickstart-us-ord-db-1", { x: { publicIpv4: "1.2.3.4; rm -rf /" } })).toThrow(/not an IPv4 address/);
    });

    it("is deterministic, so its text can be the remote command's trigger", () => {
        expect(renderMemberSync(plan, "quickstart-us-ord-web-1", addresses)).toBe(renderMemberSync(quickstart(), "quickstart-us-ord-web-1", addresses));
    });

    it("for a none node it manages /etc/hosts only", () => {
        const p = resolvePlan(featureInput(false));
        const s = renderMemberSync(p, "feat-us-ord-lab-1", {});
        expect(s).not.toContain("nft");
        expect(s).toContain("lct_hosts_splice");
    });
});

/** The quickstart template's plan as a value, so a test can grow a group. */
function quickstartInput() {
    return structuredClone(renderTemplate("quickstart").plan) as Parameters<typeof resolvePlan>[0] & {
        regions: Array<{ nodeGroups: Array<{ count: number }> }>;
    };
}

describe("address prefixes in nftables sets", () => {
    it("keeps an IPv6 /32 network and shortens only true host routes", () => {
        const plan = checkPlanValue({
            name: "v6",
            defaults: { sshKeys: [KEY_ED25519] },
            exposure: { adminCidrs: ["203.0.113.7/32", "2001:db8::/32", "2001:db8:1::5/128"] },
            regions: [{ region: "us-ord", nodeGroups: [{ name: "a", count: 1 }] }],
        }).resolved!;
        const script = renderMemberSync(plan, "v6-us-ord-a-1", {});
        expect(script).toContain("add element inet lct ssh_tcp_v4 { 203.0.113.7 }");
        expect(script).toContain("add element inet lct ssh_tcp_v6 { 2001:db8::/32, 2001:db8:1::5 }");
    });
});
