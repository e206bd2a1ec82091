import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matchesFilter } from "../../sdk/inventory/filter";
import {
    compileQuery,
    filterToQuery,
    formatQuery,
    globMatcher,
    parseQuery,
    QUERY_FIELDS,
    type QueryExpr,
    QuerySyntaxError,
    selectorPredicate,
} from "../../sdk/inventory/query";
import { selectInventories, selectNodes } from "../../sdk/inventory/select";
import type { InventoryNode } from "../../sdk/inventory/types";
import { quickstartPlan, testInventory, twoRegionPlan } from "../support/inventories";

function node(over: Partial<InventoryNode>): InventoryNode {
    return {
        name: "n",
        label: "n",
        group: "us-east/kafka",
        groupName: "kafka",
        role: "kafka-broker",
        region: "us-east",
        index: 1,
        type: "g6-standard-2",
        image: "linode/debian12",
        tags: ["lct:cluster=data", "env-prod"],
        hostname: "n",
        volumes: [],
        ...over,
    };
}

const syntaxError = (q: string): QuerySyntaxError => {
    try {
        parseQuery(q);
    } catch (e) {
        if (e instanceof QuerySyntaxError) return e;
        throw e;
    }
    throw new Error(`"${q}" parsed`);
};

describe("query parser", () => {
    it("parses comparisons, and/or/not with precedence not > and > or, and parentheses", () => {
        expect(parseQuery("role=kafka-broker and region=us-east")).toEqual({
            kind: "and",
            items: [
                { kind: "cmp", field: "role", op: "=", value: "kafka-broker" },
                { kind: "cmp", field: "region", op: "=", value: "us-east" },
            ],
        });
        expect(parseQuery("a=1 or role=x and not region=y".replace("a=1", "index=1"))).toEqual({
            kind: "or",
            items: [
                { kind: "cmp", field: "index", op: "=", value: "1" },
                {
                    kind: "and",
                    items: [
                        { kind: "cmp", field: "role", op: "=", value: "x" },
                        { kind: "not", item: { kind: "cmp", field: "region", op: "=", value: "y" } },
                    ],
                },
            ],
        });
        expect(parseQuery("(role=a or role=b) and tag!=c")).toEqual({
            kind: "and",
            items: [
                { kind: "or", items: [{ kind: "cmp", field: "role", op: "=", value: "a" }, { kind: "cmp", field: "role", op: "=", value: "b" }] },
                { kind: "cmp", field: "tag", op: "!=", value: "c" },
            ],
        });
    });

    it("takes tag values with ':' and '=' bare, quoted values with spaces, == and any-case keywords", () => {
        expect(parseQuery("tag=lct:role=kafka-broker")).toEqual({ kind: "cmp", field: "tag", op: "=", value: "lct:role=kafka-broker" });
        expect(parseQuery('tag="team web" AND Label == \'it\\\'s\'')).toEqual({
            kind: "and",
            items: [
                { kind: "cmp", field: "tag", op: "=", value: "team web" },
                { kind: "cmp", field: "label", op: "=", value: "it's" },
            ],
        });
        expect(parseQuery("  NOT(group = us-ord/web)  ")).toEqual({ kind: "not", item: { kind: "cmp", field: "group", op: "=", value: "us-ord/web" } });
        expect(parseQuery("ordering=1".replace("ordering", "index"))).toMatchObject({ field: "index" });
    });

    it.each([
        ["role=", 5, /expected a value after "role="/],
        ["role", 4, /expected "=" or "!=" after "role", found the end of the query/],
        ["rol=web", 0, /unknown field "rol"; did you mean "role"\?/],
        ["colour=red", 0, /unknown field "colour" \(fields: tag, role/],
        ["role=web and", 12, /expected a condition such as "role=web"/],
        ["role=web region=x", 9, /expected "and", "or" or the end of the query, found "region"/],
        ["(role=web", 9, /expected "\)" to close the "\(" at column 1/],
        ["role=web)", 8, /unexpected "\)"/],
        ["and role=web", 0, /found the keyword "and"/],
        ['tag="open', 4, /unterminated double-quoted value/],
        ["index=first", 6, /index takes a whole number/],
        ["", 0, /expected a condition/],
        ["role<web", 4, /expected "=" or "!=" after "role", found "<"/],
        ["not", 3, /expected a condition/],
    ])("reports %j at column %i", (q, position, message) => {
        const e = syntaxError(q);
        expect(e.position).toBe(position);
        expect(e.reason).toMatch(message);
        expect(e.message).toContain(`at column ${position + 1}`);
        // The caret line points under the offending character.
        const lines = e.message.split("\n");
        expect(lines[1]).toBe(`  ${q}`);
        expect(lines[2]).toBe(`  ${" ".repeat(position)}^`);
    });
});

describe("query evaluation", () => {
    const broker = node({ name: "b1", label: "data-us-east-kafka-1" });
    const web = node({ name: "w1", label: "data-us-ord-web-2", role: "web", region: "us-ord", group: "us-ord/web", groupName: "web", index: 2, tags: ["lct:cluster=data", "team-web"], id: "77" });

    it.each([
        ["role=kafka-broker and region=us-east", true, false],
        ["role=web or tag=env-prod", true, true],
        ["not role=web", true, false],
        ["tag!=env-prod", false, true],
        ["group=web", false, true],
        ["group=us-east/kafka", true, false],
        ["label=data-us-*-web-*", false, true],
        ["label=*kafka*", true, false],
        ["index=2", false, true],
        ["id=77", false, true],
        ["id!=77", true, false],
        ["cluster=data", true, true],
        ["cluster=other or type=g6-standard-*", true, true],
        ["image=linode/debian12 and not (role=web or index=1)", false, false],
        ["tag=lct:cluster=data", true, true],
    ])("%s", (q, b, w) => {
        const p = compileQuery(q);
        expect([p(broker), p(web)]).toEqual([b, w]);
    });

    it("takes the cluster from the argument before the node's tag", () => {
        const p = compileQuery("cluster=shop");
        expect(p(broker)).toBe(false);
        expect(p(broker, "shop")).toBe(true);
        expect(compileQuery("cluster=data")(node({ tags: [] }))).toBe(false);
    });

    it("globs match like shell patterns without building a regex per node", () => {
        const cases: Array<[string, string, boolean]> = [
            ["a*", "abc", true],
            ["*c", "abc", true],
            ["a*c", "ac", true],
            ["a*b*c", "aXbYc", true],
            ["a*b*c", "acb", false],
            ["*", "", true],
            ["ab*ab", "ab", false],
            ["x", "x", true],
            ["x", "xx", false],
        ];
        for (const [pattern, value, want] of cases) expect(globMatcher(pattern)(value), `${pattern} ~ ${value}`).toBe(want);
        expect(globMatcher("a*")(undefined)).toBe(false);
    });

    it("selects nodes across inventories and trims groups", () => {
        const quick = testInventory(quickstartPlan());
        const shop = testInventory(twoRegionPlan());
        expect(selectNodes([quick, shop], "role=web and region=eu-central").map((n) => n.label)).toEqual([
            "quickstart-eu-central-web-1",
            "quickstart-eu-central-web-2",
            "shop-eu-central-web-1",
            "shop-eu-central-web-2",
        ]);
        const cut = selectInventories([quick, shop], "cluster=shop and group=db");
        expect(cut).toHaveLength(1);
        expect(cut[0]!.groups.map((g) => [g.key, g.nodes.length])).toEqual([["us-ord/db", 2]]);
        expect(selectNodes(quick, { role: "postgresql" })).toHaveLength(2);
        expect(selectNodes(quick, "")).toHaveLength(quick.nodes.length);
    });
});

// ------------------------------------------------------------------------ property tests

const VALUES = ["web", "db", "kafka-broker", "us-east", "us-ord", "env-prod", "a b", 'q"t', "lct:role=web", "x*", "*-1", "1", "2"];
const valueArb = fc.constantFrom(...VALUES);
const fieldArb = fc.constantFrom(...QUERY_FIELDS);

const exprArb: fc.Arbitrary<QueryExpr> = fc.letrec<{ e: QueryExpr }>((tie) => ({
    e: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.record({
            kind: fc.constant("cmp" as const),
            field: fieldArb,
            op: fc.constantFrom("=" as const, "!=" as const),
            value: valueArb,
        }).map((c) => (c.field === "index" ? { ...c, value: /^\d+$/.test(c.value) ? c.value : "1" } : c)),
        fc.record({ kind: fc.constant("not" as const), item: tie("e") }),
        fc.record({ kind: fc.constant("and" as const), items: fc.array(tie("e"), { minLength: 2, maxLength: 3 }) }),
        fc.record({ kind: fc.constant("or" as const), items: fc.array(tie("e"), { minLength: 2, maxLength: 3 }) }),
    ),
})).e;

const nodeArb: fc.Arbitrary<InventoryNode> = fc
    .record({
        role: fc.constantFrom("web", "db", "kafka-broker"),
        region: fc.constantFrom("us-east", "us-ord"),
        groupName: fc.constantFrom("web", "db", "x"),
        index: fc.integer({ min: 1, max: 3 }),
        tags: fc.subarray(["env-prod", "a b", "lct:role=web", "x-1", "lct:cluster=c1"]),
        id: fc.option(fc.constantFrom("1", "2"), { nil: undefined }),
        type: fc.constantFrom("x", "web", "g6"),
    })
    .map((r) =>
        node({
            ...r,
            group: `${r.region}/${r.groupName}`,
            label: `c-${r.region}-${r.groupName}-${r.index}`,
            name: `c-${r.region}-${r.groupName}-${r.index}`,
            ...(r.id === undefined ? {} : { id: r.id }),
        }),
    );

/** A deliberately naive evaluator: regex globs, no compilation. */
function reference(e: QueryExpr, n: InventoryNode): boolean {
    if (e.kind === "not") return !reference(e.item, n);
    if (e.kind === "and") return e.items.every((i) => reference(i, n));
    if (e.kind === "or") return e.items.some((i) => reference(i, n));
    const re = new RegExp(`^${e.value.split("*").map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
    const m = (v: string | undefined): boolean => v !== undefined && re.test(v);
    const cluster = n.tags.find((t) => t.startsWith("lct:cluster="))?.slice(12);
    const hit = {
        tag: n.tags.some(m),
        role: m(n.role),
        group: m(n.group) || m(n.groupName),
        region: m(n.region),
        label: m(n.label),
        type: m(n.type),
        cluster: m(cluster),
        name: m(n.name),
        image: m(n.image),
        index: n.index === Number(e.value),
        id: m(n.id),
    }[e.field];
    return e.op === "=" ? hit : !hit;
}

describe("query properties", () => {
    it("formatQuery output parses back to the same expression", () => {
        fc.assert(
            fc.property(exprArb, (e) => {
                expect(parseQuery(formatQuery(e))).toEqual(e);
            }),
            { numRuns: 500 },
        );
    });

    it("the compiled predicate agrees with a naive evaluator", () => {
        fc.assert(fc.property(exprArb, fc.array(nodeArb, { minLength: 1, maxLength: 8 }), (e, nodes) => {
            const p = compileQuery(formatQuery(e));
            for (const n of nodes) expect(p(n)).toBe(reference(e, n));
        }), { numRuns: 400 });
    });

    it("not not q ≡ q, and De Morgan holds", () => {
        fc.assert(
            fc.property(exprArb, exprArb, nodeArb, (a, b, n) => {
                const fa = `(${formatQuery(a)})`;
                const fb = `(${formatQuery(b)})`;
                expect(compileQuery(`not not ${fa}`)(n)).toBe(compileQuery(fa)(n));
                expect(compileQuery(`not (${fa} and ${fb})`)(n)).toBe(compileQuery(`not ${fa} or not ${fb}`)(n));
                expect(compileQuery(`not (${fa} or ${fb})`)(n)).toBe(compileQuery(`not ${fa} and not ${fb}`)(n));
            }),
            { numRuns: 300 },
        );
    });

    it("any text either parses or fails with a QuerySyntaxError inside the text", () => {
        const alphabet = fc.constantFrom(..."role=web and or not ( ) \" ' ! tag:x index=1 * ,".split(""));
        fc.assert(
            fc.property(fc.array(alphabet, { maxLength: 40 }).map((cs) => cs.join("")), (text) => {
                try {
                    const e = parseQuery(text);
                    expect(parseQuery(formatQuery(e))).toEqual(e);
                } catch (err) {
                    expect(err).toBeInstanceOf(QuerySyntaxError);
                    const pos = (err as QuerySyntaxError).position;
                    expect(pos).toBeGreaterThanOrEqual(0);
                    expect(pos).toBeLessThanOrEqual(text.length);
                }
            }),
            { numRuns: 2000 },
        );
    });

    it("a structured filter selects what matchesFilter selects", () => {
        const filterArb = fc.record(
            { tag: fc.constantFrom("env-prod", "x-1"), role: fc.constantFrom("web", "db"), group: fc.constantFrom("web", "us-east/db"), region: fc.constantFrom("us-east", "us-ord") },
            { requiredKeys: [] },
        );
        fc.assert(
            fc.property(filterArb, nodeArb, (f, n) => {
                expect(selectorPredicate(f)(n)).toBe(matchesFilter(n, f));
                const q = filterToQuery(f);
                expect(q ? compileQuery(q)(n) : true).toBe(matchesFilter(n, f));
            }),
            { numRuns: 300 },
        );
    });
});
