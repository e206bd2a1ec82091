import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { registerFirstBootExtension, renderNodeBootstrap, userDataIssues, userDataSizes, type NodeUserDataSize, type RenderOptions } from "../../sdk/hardening";
import { GENERATED_KEY_PLACEHOLDER } from "../../sdk/hardening/user-data-size";
import { checkPlanValue } from "../../sdk/plan/check";
import type { ResolvedPlan } from "../../sdk/plan/resolved";
import { renderTemplate } from "../../sdk/templates/render";
import "../../sdk/templates/register-bootstrap";

/**
 * The user-data size rule renders each group once, with sentinels for the nodes' own values,
 * and shares file contents and skeletons between groups (sdk/hardening/user-data-size.ts). Its
 * sizes must be exactly those of each node's own full render — checked here node by node
 * against renderNodeBootstrap on random plans.
 */
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBmKzMDrUq5q4KXq8n0x3Qx3m6K0dO6f1rJr0Zq9kYh1 ops@example";

/** Every node's size from its own render: bytes of cloud-config, characters of stackscript_data. */
function fullSizes(plan: ResolvedPlan, opts: RenderOptions = {}): number[] {
    const keys = plan.admin.sshKeys.length === 0 && !opts.sshKeys?.length ? { sshKeys: [GENERATED_KEY_PLACEHOLDER] } : opts;
    return plan.nodes.map((n) => {
        const b = renderNodeBootstrap(plan, n.name, keys);
        return b.method === "cloud-init" ? Buffer.byteLength(b.userData, "utf8") : JSON.stringify(b.data).length;
    });
}

function resolved(plan: unknown): ResolvedPlan {
    const c = checkPlanValue(plan, { rules: [] });
    if (!c.resolved) throw new Error(c.issues.map((i) => `${i.path}: ${i.message}`).join("\n"));
    return c.resolved;
}

function expectExact(plan: ResolvedPlan, opts: RenderOptions = {}): NodeUserDataSize[] {
    const sizes = userDataSizes(plan, opts);
    expect(sizes.map((s) => s.node)).toEqual(plan.nodes.map((n) => n.name));
    expect(sizes.map((s) => s.size)).toEqual(fullSizes(plan, opts));
    return sizes;
}

const GROUPS = ["web", "db", "cache-tier", "w", "search-and-analytics"];
const REGIONS = ["us-ord", "de-fra-2", "us-east", "eu-central"];

/**
 * Plans varying everything a node's user data depends on: name lengths (cluster, group, index
 * digits 9 → 10 → 100), VPC or private IPv4, DNS names (and patterns whose names start with a
 * digit), volumes (count, mount paths, filesystems), profiles, StackScript groups, a bastion,
 * a generated key, services between groups.
 */
const randomPlan = fc
    .record({
        name: fc.stringMatching(/^[a-z][a-z0-9]{0,14}$/),
        key: fc.boolean(),
        user: fc.constantFrom(undefined, "admin", "deploy_user"),
        dns: fc.constantFrom(undefined, "{group}-{index}.{region}", "{cluster}-{region}-{role}-{index}", "{index}-{group}.{region}"),
        bastion: fc.boolean(),
        regions: fc.uniqueArray(
            fc.record({
                region: fc.constantFrom(...REGIONS),
                privateIp: fc.boolean(),
                groups: fc.uniqueArray(
                    fc.record({
                        name: fc.constantFrom(...GROUPS),
                        count: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 95, max: 102 })),
                        profile: fc.constantFrom(undefined, "baseline", "strict", "none"),
                        stackscript: fc.boolean(),
                        forwarding: fc.boolean(),
                        storage: fc.uniqueArray(fc.record({ name: fc.constantFrom("data", "wal", "a"), mount: fc.constantFrom("/data", "/var/lib/x", "/srv/long/mount/path/for/volume"), xfs: fc.boolean() }), { selector: (s) => s.name, maxLength: 3 }),
                        from: fc.array(fc.nat(), { maxLength: 3 }),
                    }),
                    { selector: (g) => g.name, minLength: 1, maxLength: 3 },
                ),
            }),
            { selector: (r) => r.region, minLength: 1, maxLength: 2 },
        ),
    })
    .map((a) => {
        const keys = a.regions.flatMap((r) => r.groups.map((g) => `${r.region}/${g.name}`));
        return {
            name: a.name,
            defaults: { ...(a.key ? { sshKeys: [KEY] } : {}), ...(a.user ? { adminUser: a.user } : {}) },
            exposure: { adminCidrs: ["203.0.113.0/24"] },
            ...(a.bastion ? { bastion: keys[0] } : {}),
            ...(a.dns ? { dns: { domain: "example.com", soaEmail: "hostmaster@example.com", hostnamePattern: a.dns } } : {}),
            regions: a.regions.map((r) => ({
                region: r.region,
                ...(r.privateIp ? { privateNetwork: "private-ip" } : {}),
                nodeGroups: r.groups.map((g, gi) => ({
                    name: g.name,
                    count: g.count,
                    addressBlock: 1 + gi * 2,
                    ...(g.stackscript ? { configMethod: "stackscript" } : {}),
                    hardening: { ...(g.profile ? { profile: g.profile } : {}), forwarding: g.forwarding },
                    storage: g.storage.map((s) => ({ name: s.name, sizeGb: 10, mountPath: `${s.mount}/${s.name}`, filesystem: s.xfs ? "xfs" : "ext4" })),
                    services: [{ name: "svc", ports: [7000 + gi], ...(g.from.length ? { from: g.from.map((i) => keys[i % keys.length]!) } : {}) }],
                })),
            })),
        };
    });

describe("user data sizes without a render per node", () => {
    it("are every node's full-render size, on random plans", () => {
        fc.assert(
            fc.property(randomPlan, (p) => {
                expectExact(resolved(p));
            }),
            { numRuns: 40 },
        );
    }, 120_000);

    it("count the generated key placeholder, or the key passed instead", () => {
        const plan = resolved({ name: "nokey", exposure: { adminCidrs: ["203.0.113.0/24"] }, regions: [{ region: "us-ord", nodeGroups: [{ name: "web", count: 12 }] }] });
        const placeholder = expectExact(plan);
        const given = expectExact(plan, { sshKeys: [KEY] });
        expect(placeholder[0]!.size - given[0]!.size).toBe(GENERATED_KEY_PLACEHOLDER.length - KEY.length);
    });

    it("are exact for template plans whose bootstrap adds per-node first-boot steps", () => {
        for (const [template, params] of [
            ["kafka", { bootstrap: true }],
            ["zookeeper", { bootstrap: true }],
        ] as const) {
            const c = checkPlanValue(renderTemplate(template, params).plan, { rules: [] });
            expect(c.resolved, template).toBeDefined();
            expectExact(c.resolved!);
        }
    });

    it("are exact when an extension gives some nodes steps of their own (those are rendered in full)", () => {
        registerFirstBootExtension((plan, node) => {
            if (plan.name !== "extended" || !/[02468]$/.test(node)) return undefined;
            // Per-node content, with multi-byte characters: sizes are bytes.
            return { files: [{ path: "/etc/lct/extra", content: `node ${node} — é ✓\n`.repeat(node.length), mode: "0644" }], commands: [["/bin/true", node]] };
        });
        expectExact(resolved({ name: "extended", defaults: { sshKeys: [KEY] }, exposure: { adminCidrs: ["203.0.113.0/24"] }, regions: [{ region: "us-ord", nodeGroups: [{ name: "web", count: 15, storage: [{ name: "data", sizeGb: 10, mountPath: "/data" }] }] }] }));
    });

    it("near the limit: exact for the nodes measured in full, and the issue names the largest node", () => {
        // 4,800 VPC members with long DNS names: first-boot hosts lists put every group near or over 65,535 bytes.
        const plan = resolved({
            name: "huge",
            defaults: { sshKeys: [KEY] },
            exposure: { adminCidrs: ["203.0.113.0/24"] },
            dns: { domain: "a-rather-long-domain-name-for-hosts.example.com", soaEmail: "hostmaster@example.com" },
            regions: [{ region: "us-ord", nodeGroups: [{ name: "workers", count: 4000, addressBlock: 1 }, { name: "db", count: 800, addressBlock: 40, storage: [{ name: "data", sizeGb: 10, mountPath: "/data" }] }] }],
        });
        const sizes = userDataSizes(plan);
        const sample = plan.nodes.filter((n) => [1, 2, 9, 10, 99, 100, 101, 800, 999, 1000, 3999, 4000].includes(n.index));
        for (const n of sample) {
            const b = renderNodeBootstrap(plan, n.name) as { userData: string };
            expect(sizes.find((s) => s.node === n.name)!.size, n.name).toBe(Buffer.byteLength(b.userData, "utf8"));
        }
        const issues = userDataIssues(plan);
        expect(issues.map((i) => i.path)).toEqual(["regions[0].nodeGroups[0]", "regions[0].nodeGroups[1]"]);
        for (const [gi, group] of ["us-ord/workers", "us-ord/db"].entries()) {
            const inGroup = sizes.filter((s) => s.group === group);
            const worst = inGroup.reduce((a, b) => (b.size > a.size ? b : a));
            expect(issues[gi]!.message).toContain(`of ${inGroup.filter((s) => s.size > s.limit).length} node(s) exceeds Linode's limit: ${worst.node} needs ${worst.size} bytes`);
        }
    }, 60_000);
});
