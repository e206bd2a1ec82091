import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyXFilter, compileXFilter, fieldValue, FilterError } from "../../sim/filter";

const FIELDS = ["id", "label", "tags", "memory", "created", "entity.id", "entity.type", "region"];
const items = [
    { id: 1, label: "web-1", tags: ["lct:cluster=a", "web"], memory: 1024, created: "2026-01-01T00:00:01", entity: { id: 10, type: "linode" }, region: "us-ord" },
    { id: 2, label: "web-2", tags: ["lct:cluster=a"], memory: 4096, created: "2026-01-01T00:00:02", entity: { id: 11, type: "linode" }, region: "us-ord" },
    { id: 3, label: "db-1", tags: ["lct:cluster=b"], memory: 8192, created: "2026-01-01T00:00:03", entity: { id: 10, type: "volume" }, region: "de-fra-2" },
];
const ids = (filter: unknown) => applyXFilter(items, compileXFilter(filter, FIELDS)).map((i) => i.id);

describe("X-Filter semantics", () => {
    it("ANDs keys; equality on an array field means contains", () => {
        expect(ids({ tags: "lct:cluster=a" })).toEqual([1, 2]);
        expect(ids({ tags: "lct:cluster=a", label: "web-2" })).toEqual([2]);
    });
    it("nests +and / +or", () => {
        expect(ids({ "+or": [{ label: "db-1" }, { "+and": [{ tags: "web" }, { region: "us-ord" }] }] })).toEqual([1, 3]);
    });
    it("compares numbers and timestamp strings", () => {
        expect(ids({ memory: { "+gte": 4096 } })).toEqual([2, 3]);
        expect(ids({ memory: { "+gt": 1024, "+lt": 8192 } })).toEqual([2]);
        expect(ids({ created: { "+gte": "2026-01-01T00:00:02" } })).toEqual([2, 3]);
        expect(ids({ memory: { "+lte": "4096" } })).toEqual([]);
    });
    it("supports +contains and +neq", () => {
        expect(ids({ label: { "+contains": "web" } })).toEqual([1, 2]);
        expect(ids({ tags: { "+contains": "cluster=b" } })).toEqual([3]);
        expect(ids({ region: { "+neq": "us-ord" } })).toEqual([3]);
    });
    it("reads dotted keys, as event pollers send them", () => {
        expect(ids({ "entity.id": 10, "entity.type": "linode" })).toEqual([1]);
        expect(fieldValue(items[0], "entity.type")).toBe("linode");
        expect(fieldValue(items[0], "entity.nope.deeper")).toBeUndefined();
    });
    it("orders by +order_by / +order", () => {
        expect(ids({ "+order_by": "memory", "+order": "desc" })).toEqual([3, 2, 1]);
        expect(ids({ "+order_by": "label" })).toEqual([3, 1, 2]);
    });
    it("refuses fields that are not filterable, with the API's words", () => {
        expect(() => compileXFilter({ foo: 1 }, FIELDS)).toThrow("Cannot filter on foo");
        expect(() => compileXFilter({ "+or": [{ status: "running" }] }, FIELDS)).toThrow("Cannot filter on status");
        expect(() => compileXFilter({ "+order_by": "status" }, FIELDS)).toThrow("Cannot filter on status");
        try {
            compileXFilter({ foo: 1 }, FIELDS);
        } catch (e) {
            expect((e as FilterError).field).toBe("X-Filter");
        }
    });
    it("refuses malformed filters", () => {
        expect(() => compileXFilter([], FIELDS)).toThrow(/JSON object/);
        expect(() => compileXFilter({ "+or": {} }, FIELDS)).toThrow(/array/);
        expect(() => compileXFilter({ memory: { "+between": [1, 2] } }, FIELDS)).toThrow(/Unknown filter operator \+between/);
        expect(() => compileXFilter({ label: { "+contains": 3 } }, FIELDS)).toThrow(/needs a string/);
        expect(() => compileXFilter({ "+order": "sideways" }, FIELDS)).toThrow(/asc/);
    });
});

describe("X-Filter properties", () => {
    const records = fc.array(fc.record({ id: fc.integer({ min: 1, max: 50 }), tags: fc.array(fc.constantFrom("a", "b", "c"), { maxLength: 3 }) }), { maxLength: 30 });
    it("+or over ids keeps exactly the listed ids", () => {
        fc.assert(
            fc.property(records, fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 10 }), (rs, wanted) => {
                const got = applyXFilter(rs, compileXFilter({ "+or": wanted.map((id) => ({ id })) }, ["id"]));
                return got.length === rs.filter((r) => wanted.includes(r.id)).length && got.every((r) => wanted.includes(r.id));
            }),
        );
    });
    it("a tag and its +neq split a collection in two", () => {
        fc.assert(
            fc.property(records, fc.constantFrom("a", "b", "c"), (rs, tag) => {
                const yes = applyXFilter(rs, compileXFilter({ tags: tag }, ["tags"]));
                const no = applyXFilter(rs, compileXFilter({ tags: { "+neq": tag } }, ["tags"]));
                return yes.length + no.length === rs.length && yes.every((r) => r.tags.includes(tag)) && no.every((r) => !r.tags.includes(tag));
            }),
        );
    });
    it("+and of two filters is their intersection", () => {
        fc.assert(
            fc.property(records, fc.constantFrom("a", "b"), fc.integer({ min: 1, max: 50 }), (rs, tag, min) => {
                const f1 = { tags: tag };
                const f2 = { id: { "+gte": min } };
                const both = applyXFilter(rs, compileXFilter({ "+and": [f1, f2] }, ["tags", "id"]));
                const one = applyXFilter(rs, compileXFilter(f1, ["tags", "id"]));
                const two = applyXFilter(rs, compileXFilter(f2, ["tags", "id"]));
                return both.length === one.filter((r) => two.includes(r)).length;
            }),
        );
    });
});
