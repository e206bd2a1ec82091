import { describe, expect, it } from "vitest";
import { renderGroupStackScript, renderMemberSync, renderNodeBootstrap, stackScriptData } from "../../sdk/hardening";
import { checkPlanValue } from "../../sdk/plan/check";
import type { ResolvedPlan } from "../../sdk/plan/resolved";
import { renderTemplate } from "../../sdk/templates/render";
import { decodeUserData, firewallFactsOf, hostsOf } from "../support/user-data";
import { expectFirewallOfGroup } from "./firewall-oracle";
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
        expectFirewallOfGroup(plan, group.key, nft!.content);
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
