import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitLabel, LABEL_RULES, labelProblem, shortHash } from "../../sdk/naming/labels";
import {
    firewallLabel,
    groupResourceName,
    loadBalancerLabel,
    loadBalancerResourceName,
    nodeName,
    placementGroupLabel,
    regionResourceName,
    subnetLabel,
    volumeLabel,
    volumeName,
    vpcLabel,
} from "../../sdk/naming/names";
import { dedupe, lctTag, nodeTags, readLctTag, tagProblem } from "../../sdk/naming/tags";

describe("Linode label rules", () => {
    it("accepts labels that follow each resource's rule", () => {
        expect(labelProblem("web-1.example_a", LABEL_RULES.linode)).toBeUndefined();
        expect(labelProblem("a".repeat(64), LABEL_RULES.linode)).toBeUndefined();
        expect(labelProblem("v", LABEL_RULES.volume)).toBeUndefined();
        expect(labelProblem("a-b_c", LABEL_RULES.nodeBalancer)).toBeUndefined();
    });

    it.each([
        ["ab", LABEL_RULES.linode, 'Linode label "ab" is 2 characters; it must be 3–64'],
        ["a".repeat(65), LABEL_RULES.linode, `Linode label "${"a".repeat(65)}" is 65 characters; it must be 3–64`],
        ["web 1", LABEL_RULES.linode, 'Linode label "web 1" may only contain letters, digits, ".", "_", "-"'],
        ["1web", LABEL_RULES.linode, 'Linode label "1web" must begin with a letter'],
        ["web-", LABEL_RULES.linode, 'Linode label "web-" must end with a letter or digit'],
        ["web--1", LABEL_RULES.linode, 'Linode label "web--1" must not contain "--"'],
        ["web__1", LABEL_RULES.linode, 'Linode label "web__1" must not contain "__"'],
        ["web..1", LABEL_RULES.linode, 'Linode label "web..1" must not contain ".."'],
        ["a.b", LABEL_RULES.volume, 'volume label "a.b" may only contain letters, digits, "_", "-"'],
        ["a".repeat(33), LABEL_RULES.volume, `volume label "${"a".repeat(33)}" is 33 characters; it must be 1–32`],
        ["a--b", LABEL_RULES.vpc, 'VPC label "a--b" must not contain "--"'],
        ["a_b", LABEL_RULES.vpc, 'VPC label "a_b" may only contain letters, digits, "-"'],
        ["fw", LABEL_RULES.firewall, 'firewall label "fw" is 2 characters; it must be 3–32'],
    ])("rejects %j", (label, rule, message) => {
        expect(labelProblem(label, rule)).toBe(message);
    });
});

describe("fitLabel: deterministic shortening", () => {
    it("keeps names that fit", () => {
        expect(fitLabel("demo-us-ord-web", 32)).toBe("demo-us-ord-web");
    });

    it("keeps the readable start and ends with a hash of the whole name", () => {
        const name = "a-rather-long-cluster-us-ord-web-12-data";
        // 25 characters of the name ("-" at the cut trimmed, so no "--"), "-", 6 of the hash.
        expect(fitLabel(name, 32)).toBe(`a-rather-long-cluster-us-${shortHash(name)}`);
        expect(shortHash(name)).toMatch(/^[0-9a-f]{6}$/);
        expect(fitLabel("abcdefghijklmnopqrstuvwxyz0123456789", 32)).toBe(`abcdefghijklmnopqrstuvwxy-${shortHash("abcdefghijklmnopqrstuvwxyz0123456789")}`);
    });

    it("always gives valid labels for LCT-style names, distinct for distinct names (property)", () => {
        const slug = fc.stringMatching(/^[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,8}){0,6}$/);
        fc.assert(
            fc.property(slug, slug, (a, b) => {
                for (const rule of [LABEL_RULES.volume, LABEL_RULES.firewall, LABEL_RULES.nodeBalancer, LABEL_RULES.vpc]) {
                    const la = fitLabel(`${a}-x`, rule.max);
                    expect(labelProblem(la, rule)).toBeUndefined();
                    expect(fitLabel(`${a}-x`, rule.max)).toBe(la);
                    if (a !== b) expect(la).not.toBe(fitLabel(`${b}-x`, rule.max));
                }
            }),
            { numRuns: 200 },
        );
    });
});

describe("names LCT derives", () => {
    it("follow <cluster>-<region>-<group>-<index> and friends", () => {
        expect(regionResourceName("c", "us-ord")).toBe("c-us-ord");
        expect(groupResourceName("c", "us-ord", "web")).toBe("c-us-ord-web");
        expect(nodeName("c", "us-ord", "web", 12)).toBe("c-us-ord-web-12");
        expect(volumeName("c-us-ord-web-12", "data")).toBe("c-us-ord-web-12-data");
        expect(volumeLabel("c-us-ord-web-12", "data")).toBe("c-us-ord-web-12-data");
        expect(firewallLabel("c", "us-ord", "web")).toBe("c-us-ord-web");
        expect(loadBalancerResourceName("c", "front")).toBe("c-lb-front");
        expect(loadBalancerLabel("c", "front")).toBe("c-front");
        expect(vpcLabel("c", "us-ord")).toBe("c-us-ord");
        expect(subnetLabel("c", "us-ord")).toBe("c-us-ord-nodes");
        expect(placementGroupLabel("c", "us-ord", "web", 2)).toBe("c-us-ord-web-pg2");
    });

    it("shorten labels to each resource's limit", () => {
        const cluster = "a".repeat(32);
        expect(volumeLabel(nodeName(cluster, "us-iad-2", "b".repeat(24), 9999), "storage-name-16c").length).toBeLessThanOrEqual(32);
        expect(firewallLabel(cluster, "us-iad-2", "b".repeat(24)).length).toBeLessThanOrEqual(32);
        expect(loadBalancerLabel(cluster, "c".repeat(20)).length).toBeLessThanOrEqual(32);
        expect(placementGroupLabel(cluster, "us-iad-2", "b".repeat(24), 3).length).toBeLessThanOrEqual(64);
    });
});

describe("tags", () => {
    it("writes and reads LCT's own tags", () => {
        expect(lctTag("cluster", "demo")).toBe("lct:cluster=demo");
        expect(readLctTag(["env-x", "lct:role=db", "lct:group=pg"], "role")).toBe("db");
        expect(readLctTag(["env-x"], "role")).toBeUndefined();
    });

    it("tags nodes with LCT's tags first, then the plan's, without duplicates", () => {
        expect(nodeTags({ cluster: "c", region: "us-ord", group: "web", role: "edge", bootOrder: 2, extra: ["env-x", "env-x", "tier"] })).toEqual([
            "lct:cluster=c",
            "lct:region=us-ord",
            "lct:group=web",
            "lct:role=edge",
            "lct:boot-order=2",
            "env-x",
            "tier",
        ]);
        expect(dedupe(["a", "b", "a"])).toEqual(["a", "b"]);
    });

    it("enforces Linode's 3–50 characters and refuses control characters", () => {
        expect([tagProblem("abc"), tagProblem("x".repeat(50))]).toEqual([undefined, undefined]);
        expect(tagProblem("ab")).toBe('tag "ab" is 2 characters; Linode tags are 3–50');
        expect(tagProblem("x".repeat(51))).toBe(`tag "${"x".repeat(51)}" is 51 characters; Linode tags are 3–50`);
        expect(tagProblem("a\u0000b")).toBe('tag "a\\u0000b" contains control characters');
        // A huge tag is quoted by its start only.
        expect(tagProblem("y".repeat(10_000))).toBe(`tag "${"y".repeat(63)}…" is 10000 characters; Linode tags are 3–50`);
    });
});
