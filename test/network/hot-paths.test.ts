import { describe, expect, it } from "vitest";
import { aggregateIpv4 } from "../../sdk/network/cidr";
import { groupFirewallRules } from "../../sdk/network/firewall-rules";
import { indexPlan } from "../../sdk/network/member-addresses";
import { dnsRecordName, dnsRecordNamer } from "../../sdk/plan/normalize/dns-names";
import { resolvePlan } from "../../sdk/plan/resolve-plan";
import { fixturePlan } from "../support/plans";
import { bigPlan } from "../../bench/lib/plans";
import { hostFirewall, setElements } from "../../sdk/hardening/host-firewall";

/** The BigInt implementation aggregateIpv4 had before it moved to numbers: the reference. */
function aggregateWithBigInt(addresses: readonly string[]): string[] {
    const toBig = (ip: string) => ip.split(".").reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
    const fromBig = (n: bigint) => [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join(".");
    const values = [...new Set(addresses.map(toBig))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const out: string[] = [];
    let i = 0;
    while (i < values.length) {
        let start = values[i]!;
        let end = start;
        while (i + 1 < values.length && values[i + 1] === end + 1n) end = values[++i]!;
        i++;
        while (start <= end) {
            let size = 1n;
            let prefix = 32;
            while (prefix > 0 && start % (size * 2n) === 0n && start + size * 2n - 1n <= end) {
                size *= 2n;
                prefix--;
            }
            out.push(`${fromBig(start)}/${prefix}`);
            start += size;
        }
    }
    return out;
}

describe("hot paths keep their results", () => {
    it("aggregateIpv4 on numbers gives what the BigInt version gave, edges of the address space included", () => {
        let seed = 11;
        const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
        const ip = (v: number) => [Math.floor(v / 16777216) % 256, Math.floor(v / 65536) % 256, Math.floor(v / 256) % 256, v % 256].join(".");
        for (let t = 0; t < 300; t++) {
            const base = Math.floor(rnd() * 2 ** 32);
            const spread = rnd() < 0.5 ? 600 : 2 ** 20;
            const addrs = Array.from({ length: Math.floor(rnd() * 400) }, () => ip((base + Math.floor(rnd() * spread)) % 2 ** 32));
            if (t % 5 === 0) addrs.push("0.0.0.0", "0.0.0.1", "255.255.255.255", "255.255.255.254", "128.0.0.0");
            expect(aggregateIpv4(addrs)).toEqual(aggregateWithBigInt(addrs));
        }
        expect(aggregateIpv4(["10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3"])).toEqual(["10.0.0.0/30"]);
        expect(aggregateIpv4(Array.from({ length: 256 }, (_, i) => `0.0.0.${i}`).concat(Array.from({ length: 256 }, (_, i) => `255.255.255.${i}`)))).toEqual([
            "0.0.0.0/24",
            "255.255.255.0/24",
        ]);
    });

    it("dnsRecordNamer names every index as dnsRecordName does", () => {
        const vars = { cluster: "Shop", region: "us-ord", group: "Web", role: "Edge" };
        for (const pattern of ["{group}-{index}.{region}", "{cluster}-{role}-{index}", "n{index}x{index}", "{index}", "{unknown}-{index}", "{constructor}-{index}", "plain", "{Index}-{index}"]) {
            const name = dnsRecordNamer(pattern, vars);
            for (const index of [1, 2, 10, 999]) expect(name(index)).toBe(dnsRecordName(pattern, { ...vars, index }));
        }
    });

    it("firewall rules are computed once per plan and group, and frozen since callers share them", () => {
        const resolved = resolvePlan(fixturePlan("two-region")).resolved;
        const first = groupFirewallRules(resolved, "us-ord/db");
        expect(groupFirewallRules(resolved, "us-ord/db")).toBe(first);
        expect(Object.isFrozen(first) && first.every((r) => Object.isFrozen(r) && Object.isFrozen(r.ipv4))).toBe(true);
        // Another plan object gets its own.
        expect(groupFirewallRules({ ...resolved }, "us-ord/db")).not.toBe(first);
        expect(groupFirewallRules({ ...resolved }, "us-ord/db")).toEqual(first);
    });

    it("membersOf hands out a new array each time", () => {
        const resolved = resolvePlan(fixturePlan("two-region")).resolved;
        const index = indexPlan(resolved);
        const a = index.membersOf(["us-ord/web"]);
        a.pop();
        expect(index.membersOf(["us-ord/web"])).toHaveLength(3);
        expect(index.membersOf(["us-ord/web", "us-ord/db"]).map((n) => n.name)).toEqual([
            "shop-us-ord-web-1",
            "shop-us-ord-web-2",
            "shop-us-ord-web-3",
            "shop-us-ord-db-1",
            "shop-us-ord-db-2",
        ]);
    });

    it("first-boot set elements, which skip groups without VPC addresses whole, equal the member-by-member answer with no addresses known", () => {
        for (const resolved of [resolvePlan(bigPlan(400)).resolved, resolvePlan(fixturePlan("two-region")).resolved]) {
            let vpcElements = 0;
            for (const g of resolved.groups) {
                for (const set of hostFirewall(resolved, g.key).sets) {
                    const firstBoot = setElements(resolved, g.key, set);
                    expect(firstBoot, `${g.key} ${set.name}`).toEqual(setElements(resolved, g.key, set, {}));
                    vpcElements += firstBoot.length - set.cidrs.length;
                }
            }
            // The plans have VPC members to list (bigPlan: two VPC regions, two private-IPv4 ones).
            if (resolved.regions.some((r) => r.privateNetwork === "vpc")) expect(vpcElements).toBeGreaterThan(0);
        }
    });
});
