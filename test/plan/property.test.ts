import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bundledCatalog } from "../../sdk/catalog/load";
import { LABEL_RULES, labelProblem } from "../../sdk/naming/labels";
import { checkPlanText, checkPlanValue } from "../../sdk/plan/check";
import { PlanInputError } from "../../sdk/plan/input-error";
import { normalize } from "../../sdk/plan/normalize/normalize";
import type { PlanCheck } from "../../sdk/plan/check";

/**
 * Property tests: random valid plans normalize deterministically, and random junk — whole values,
 * damaged plans, text and bytes — only ever gives issues, never an exception or an "internal"
 * issue (a rule or normalization crashing).
 */

const CLOUD_INIT_IMAGES = bundledCatalog.images.filter((i) => i.capabilities.includes("cloud-init")).map((i) => i.id);
const TYPES = ["g6-nanode-1", "g6-standard-2", "g6-dedicated-4", "g7-highmem-1", "g7-premium-2"];
const REGIONS = bundledCatalog.regions.map((r) => r.id);
const GROUP_NAMES = ["web", "db", "cache", "api", "worker", "queue", "search", "edge-1"];
const ROLES = ["frontend", "storage", "broker"];

const slug = fc.stringMatching(/^[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,3})?$/);
const tag = fc.stringMatching(/^[a-z][a-z0-9:=_-]{2,20}$/).filter((t) => !t.startsWith("lct:"));
const port = fc.integer({ min: 1000, max: 29_999 });
const portSpec = fc.oneof(port, port.map(String), fc.tuple(port, fc.integer({ min: 0, max: 50 })).map(([p, n]) => `${p}-${p + n}`));
const publicPort = fc.oneof(fc.integer({ min: 30_000, max: 39_999 }), fc.record({ port: fc.integer({ min: 30_000, max: 39_999 }), protocol: fc.constantFrom("tcp", "udp") }));
const cidr = fc.tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 255 }), fc.constantFrom(16, 24, 32)).map(([a, b, p]) => (p === 32 ? `${a}.${b}.7.9` : p === 24 ? `${a}.${b}.7.0/24` : `${a}.${b}.0.0/16`));

/** A plan the validator must accept: every name, selector and limit chosen to be valid. */
const validPlan = fc
    .record({
        name: slug,
        tags: fc.uniqueArray(tag, { maxLength: 2 }),
        adminCidrs: fc.uniqueArray(cidr, { minLength: 1, maxLength: 3 }),
        clientCidrs: fc.uniqueArray(cidr, { maxLength: 2 }),
        defaults: fc.record({ type: fc.constantFrom(...TYPES), image: fc.constantFrom(...CLOUD_INIT_IMAGES), hardening: fc.constantFrom("baseline", "strict") }, { requiredKeys: [] }),
        privateNetwork: fc.constantFrom(undefined, "auto", "private-ip"),
        regions: fc.uniqueArray(
            fc.record({
                region: fc.constantFrom(...REGIONS),
                privateNetwork: fc.constantFrom(undefined, "auto", "private-ip"),
                tags: fc.uniqueArray(tag, { maxLength: 1 }),
                groups: fc.uniqueArray(
                    fc.record({
                        name: fc.constantFrom(...GROUP_NAMES),
                        role: fc.option(fc.constantFrom(...ROLES), { nil: undefined }),
                        type: fc.option(fc.constantFrom(...TYPES), { nil: undefined }),
                        count: fc.integer({ min: 1, max: 12 }),
                        antiAffinity: fc.boolean(),
                        bootOrder: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
                        tags: fc.uniqueArray(tag, { maxLength: 1 }),
                        storage: fc.uniqueArray(fc.record({ name: fc.constantFrom("data", "logs", "wal"), sizeGb: fc.integer({ min: 10, max: 16_384 }), deletionPolicy: fc.constantFrom("protect", "retain") }), {
                            selector: (s) => s.name,
                            maxLength: 2,
                        }),
                        services: fc.array(fc.record({ ports: fc.array(portSpec, { minLength: 1, maxLength: 3 }), protocol: fc.constantFrom("tcp", "udp"), from: fc.array(fc.nat(), { maxLength: 3 }) }), { maxLength: 2 }),
                        publicPorts: fc.array(publicPort, { maxLength: 2 }),
                    }),
                    { selector: (g) => g.name, minLength: 1, maxLength: 3 },
                ),
                loadBalancer: fc.option(fc.record({ ports: fc.uniqueArray(fc.integer({ min: 1, max: 65_535 }), { minLength: 1, maxLength: 2 }), protocol: fc.constantFrom("http", "tcp"), check: fc.boolean() }), { nil: undefined }),
            }),
            { selector: (r) => r.region, minLength: 1, maxLength: 3 },
        ),
        dns: fc.boolean(),
        bastion: fc.nat(),
        useBastion: fc.boolean(),
    })
    .map((a) => {
        const keys = a.regions.flatMap((r) => r.groups.map((g) => `${r.region}/${g.name}`));
        const roles = [...new Set(a.regions.flatMap((r) => r.groups.map((g) => g.role ?? g.name)))];
        const selectors = ["cluster", "self", "world", ...keys, ...keys.map((k) => k.split("/")[1]!), ...roles.map((r) => `role:${r}`), ...a.clientCidrs.slice(0, 1).map(() => "clients"), "10.0.0.0/8"];
        return {
            name: a.name,
            ...(a.tags.length ? { tags: a.tags } : {}),
            defaults: a.defaults,
            ...(a.privateNetwork ? { privateNetwork: a.privateNetwork } : {}),
            exposure: { adminCidrs: a.adminCidrs, ...(a.clientCidrs.length ? { clientCidrs: a.clientCidrs } : {}) },
            ...(a.useBastion ? { bastion: keys[a.bastion % keys.length] } : {}),
            regions: a.regions.map((r) => ({
                region: r.region,
                ...(r.privateNetwork ? { privateNetwork: r.privateNetwork } : {}),
                ...(r.tags.length ? { tags: r.tags } : {}),
                nodeGroups: r.groups.map((g, gi) => ({
                    name: g.name,
                    ...(g.role ? { role: g.role } : {}),
                    ...(g.type ? { type: g.type } : {}),
                    count: g.count,
                    antiAffinity: g.antiAffinity,
                    ...(g.bootOrder !== undefined ? { bootOrder: g.bootOrder } : {}),
                    ...(g.tags.length ? { tags: g.tags } : {}),
                    // Pinned, distinct blocks: two derived blocks may collide, which is a (tested) error.
                    addressBlock: 1 + gi * 2,
                    storage: g.storage.map((s) => ({ ...s, mountPath: `/mnt/${s.name}` })),
                    services: g.services.map((s, si) => ({
                        name: `svc${si}`,
                        ports: s.ports,
                        protocol: s.protocol,
                        ...(s.from.length ? { from: s.from.map((i) => selectors[i % selectors.length]!) } : {}),
                    })),
                    publicPorts: g.publicPorts,
                })),
            })),
            loadBalancers: a.regions.flatMap((r) =>
                r.loadBalancer
                    ? [
                          {
                              name: `lb-${r.region}`.slice(0, 20).replace(/-+$/, ""),
                              region: r.region,
                              listeners: r.loadBalancer.ports.map((p) => ({
                                  port: p,
                                  protocol: r.loadBalancer!.protocol,
                                  ...(r.loadBalancer!.check ? { healthCheck: { type: "http", path: "/health" } } : {}),
                                  target: { group: r.groups[0]!.name, port: 8080 },
                              })),
                          },
                      ]
                    : [],
            ),
            ...(a.dns ? { dns: { domain: "example.com", soaEmail: "hostmaster@example.com" } } : {}),
        };
    });

function describeIssues(c: PlanCheck): string {
    return c.issues.map((i) => `${i.severity} ${i.rule} ${i.path}: ${i.message}`).join("\n");
}

/** Every issue is well-formed, and none says LCT itself broke. */
function expectOnlyIssues(c: PlanCheck): void {
    for (const i of c.issues) {
        expect(["error", "warning"]).toContain(i.severity);
        expect(typeof i.path).toBe("string");
        expect(typeof i.message).toBe("string");
        expect(i.message.length).toBeGreaterThan(0);
    }
    expect(c.issues.filter((i) => i.rule === "internal"), describeIssues(c)).toEqual([]);
}

describe("random valid plans", () => {
    it("validate, and normalize deterministically to JSON-serialisable plans with every node and valid labels", () => {
        fc.assert(
            fc.property(validPlan, (plan) => {
                const c = checkPlanValue(plan);
                expect(c.issues.filter((i) => i.severity === "error"), describeIssues(c)).toEqual([]);
                const r = c.resolved!;
                // Deterministic and pure: the same parsed plan normalizes to a deep-equal result.
                expect(normalize(c.plan!, bundledCatalog)).toEqual(r);
                expect(checkPlanValue(structuredClone(plan)).resolved).toEqual(r);
                expect(JSON.parse(JSON.stringify(r))).toEqual(r);
                // Every node of every group, once, named from the plan.
                const counts = plan.regions.flatMap((x) => x.nodeGroups.map((g) => g.count));
                expect(r.nodes).toHaveLength(counts.reduce((s, n) => s + n, 0));
                expect(new Set(r.nodes.map((n) => n.name)).size).toBe(r.nodes.length);
                expect(r.volumes).toHaveLength(plan.regions.flatMap((x) => x.nodeGroups).reduce((s, g) => s + g.count * g.storage.length, 0));
                for (const n of r.nodes) {
                    expect(n.name).toBe(`${plan.name}-${n.region}-${n.groupName}-${n.index}`);
                    expect(labelProblem(n.label, LABEL_RULES.linode)).toBeUndefined();
                }
                for (const v of r.volumes) expect(labelProblem(v.label, LABEL_RULES.volume)).toBeUndefined();
                for (const f of r.firewalls) expect(labelProblem(f.label, LABEL_RULES.firewall)).toBeUndefined();
                for (const lb of r.loadBalancers) expect(labelProblem(lb.label, LABEL_RULES.nodeBalancer)).toBeUndefined();
                const vpcIps = r.nodes.filter((n) => n.vpcIp).map((n) => `${n.region} ${n.vpcIp}`);
                expect(new Set(vpcIps).size).toBe(vpcIps.length);
            }),
            { numRuns: 60 },
        );
    });
});

describe("random junk gives issues, never an exception", () => {
    it("any value", () => {
        fc.assert(
            fc.property(fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withSparseArray: true }), (value) => {
                const c = checkPlanValue(value);
                expect(c.ok).toBe(false);
                expectOnlyIssues(c);
            }),
            { numRuns: 300 },
        );
    });

    it("valid plans with random parts replaced or removed", () => {
        const mutation = fc.record({ at: fc.nat(), remove: fc.boolean(), value: fc.anything({ maxDepth: 2 }) });
        fc.assert(
            fc.property(validPlan, fc.array(mutation, { minLength: 1, maxLength: 4 }), (plan, mutations) => {
                const damaged: any = structuredClone(plan);
                for (const m of mutations) {
                    const slots = containers(damaged);
                    const [holder, key] = slots[m.at % slots.length]!;
                    if (m.remove && !Array.isArray(holder)) delete holder[key];
                    else holder[key] = m.value;
                }
                expectOnlyIssues(checkPlanValue(damaged));
            }),
            { numRuns: 150 },
        );
    });

    it("any text: a plan check or an input error", () => {
        fc.assert(
            fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), fc.json(), fc.string({ unit: fc.constantFrom("[", "{", "]", "}", ":", "-", " ", "\n", "&a", "*a", "a", ",", "'", '"', "#", "!!"), maxLength: 300 })), (text) => {
                try {
                    expectOnlyIssues(checkPlanText(text, { file: "junk.yaml" }));
                } catch (e) {
                    if (!(e instanceof PlanInputError)) throw e;
                    expect(e.located).toMatch(/^junk\.yaml(:\d+:\d+)?: \S/);
                }
            }),
            { numRuns: 300 },
        );
    });
});

/** Every [object, key] slot inside a value, for mutations. */
function containers(value: any, out: Array<[any, string | number]> = []): Array<[any, string | number]> {
    if (value === null || typeof value !== "object") return out;
    for (const key of Array.isArray(value) ? value.keys() : Object.keys(value)) {
        out.push([value, key]);
        containers(value[key], out);
    }
    return out;
}
