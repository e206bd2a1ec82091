/**
 * Parameters and rendering: overrides outside the allowed ranges are refused with a message
 * naming the parameter and what it allows (checked for every parameter of every template),
 * `--set` values are typed by the declared type, and the structured substitution keeps types.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expand, ExpansionError } from "../../sdk/templates/expand";
import { loadTemplate, readTemplateFile, TemplateFormatError, UnknownTemplateError } from "../../sdk/templates/load";
import { coerceParameter, TemplateParameterError } from "../../sdk/templates/parameters";
import { renderTemplate } from "../../sdk/templates/render";
import { parseSetArguments, SetArgumentError } from "../../sdk/templates/set-arguments";
import { TEMPLATE_NAMES } from "./support";

/** The issues of a refused rendering (fails the test when the rendering is accepted). */
function refused(name: string, overrides: Record<string, unknown>): Array<{ parameter: string; message: string }> {
    try {
        renderTemplate(name, overrides);
    } catch (e) {
        if (e instanceof TemplateParameterError) return [...e.issues];
        throw e;
    }
    throw new Error(`${name} accepted ${JSON.stringify(overrides)}`);
}

describe.each(TEMPLATE_NAMES)("parameters of %s", (name) => {
    const t = loadTemplate(name);

    it("refuses every integer below its minimum and above its maximum, naming the range", () => {
        for (const [p, spec] of Object.entries(t.parameters)) {
            if (spec.type !== "integer") continue;
            const range = new RegExp(`allowed: ${spec.min}–${spec.max}`);
            expect(refused(name, { [p]: spec.min - 1 })).toEqual([{ parameter: p, message: expect.stringMatching(new RegExp(`must be at least ${spec.min} .*${range.source}.*got ${spec.min - 1}$`)) }]);
            expect(refused(name, { [p]: spec.max + 1 })).toEqual([{ parameter: p, message: expect.stringMatching(new RegExp(`must be at most ${spec.max} .*got ${spec.max + 1}$`)) }]);
            // From the command line: text that is not a whole number.
            expect(refused(name, { [p]: "three" })[0]!.message).toMatch(/must be a whole number .*got "three"/);
            expect(refused(name, { [p]: 2.5 })[0]!.message).toMatch(/must be a whole number/);
        }
    });

    it("refuses an even size for every quorum parameter, and sizes off a required multiple", () => {
        for (const [p, spec] of Object.entries(t.parameters)) {
            if (spec.type !== "integer") continue;
            if (spec.odd) expect(refused(name, { [p]: spec.min + 1 })).toEqual([{ parameter: p, message: expect.stringMatching(/^must be odd \(allowed: .*odd/) }]);
            if (spec.multipleOf) expect(refused(name, { [p]: spec.min + 1 })).toEqual([{ parameter: p, message: expect.stringMatching(new RegExp(`must be a multiple of ${spec.multipleOf}`)) }]);
        }
    });

    it("refuses unknown types, regions and images, wrong types, and unknown parameters", () => {
        const issues = refused(name, { bogusParameter: 1 });
        expect(issues).toEqual([{ parameter: "bogusParameter", message: expect.stringMatching(new RegExp(`^unknown parameter; ${name} takes: `)) }]);
        for (const [p, spec] of Object.entries(t.parameters)) {
            const one = (v: unknown) => refused(name, { [p]: v });
            switch (spec.type) {
                case "linode-type":
                    expect(one("g6-standrd-2")).toEqual([{ parameter: p, message: expect.stringMatching(/^unknown Linode type "g6-standrd-2".*lct catalog types$/) }]);
                    break;
                case "region":
                    expect(one("xx-nowhere")).toEqual([{ parameter: p, message: expect.stringMatching(/^unknown region "xx-nowhere".*lct catalog regions$/) }]);
                    break;
                case "regions":
                    expect(one(["us-ord", "xx-nowhere"])[0]!.message).toMatch(/^item 2: unknown region "xx-nowhere"/);
                    expect(one("us-ord,us-ord")[0]!.message).toMatch(/lists a region twice/);
                    expect(one(42)[0]!.message).toMatch(/must be a list of regions/);
                    break;
                case "image":
                    expect(one("linode/debain12")[0]!.message).toMatch(/^unknown image "linode\/debain12" \(did you mean "linode\/debian12"\?\)/);
                    break;
                case "boolean":
                    expect(one("maybe")).toEqual([{ parameter: p, message: 'must be true or false, got "maybe"' }]);
                    break;
                case "cidrs":
                    expect(one("10.0.0.0/8,not-a-network")[0]!.message).toMatch(/item 2: "not-a-network" is not a network/);
                    break;
                case "enum":
                    expect(one(`${spec.values[0]}x`)[0]!.message).toMatch(new RegExp(`must be one of ${spec.values.join(", ")}, got`));
                    break;
                case "string":
                    if (spec.pattern) expect(one("Not Valid!")[0]!.message).toMatch(/^must be /);
                    break;
                case "integer":
                    break;
            }
        }
    });

    it("reports every problem at once", () => {
        const ints = Object.entries(t.parameters).filter(([, s]) => s.type === "integer");
        const overrides = Object.fromEntries(ints.map(([p, s]) => [p, s.type === "integer" ? s.max + 1 : 0]));
        expect(refused(name, { ...overrides, nope: true }).map((i) => i.parameter).sort()).toEqual([...ints.map(([p]) => p), "nope"].sort());
    });
});

describe("quorum minimums of hardening-and-stacks.md §9", () => {
    it("refuses a Redis Cluster below 3 primaries with one replica each (6 nodes)", () => {
        expect(refused("redis", { clusterNodes: 5 })).toEqual([
            { parameter: "clusterNodes", message: "must be at least 6 (allowed: 6–1000; a Redis Cluster needs at least three primaries, and with one replica each (--cluster-replicas 1) that is six nodes), got 5" },
        ]);
        expect(refused("redis", { clusterNodes: 3 })[0]!.message).toMatch(/^must be at least 6 /);
        expect(renderTemplate("redis", { clusterNodes: 6 }).parameters.clusterNodes).toBe(6);
        // Sentinel mode keeps its own odd 3–9 range.
        expect(renderTemplate("redis", { mode: "sentinel", sentinelNodes: 3 }).parameters.sentinelNodes).toBe(3);
    });

    it.each(["patroni", "iot-pipeline"])("%s: refuses fewer than 3 PostgreSQL/Patroni nodes", (name) => {
        expect(refused(name, { postgresNodes: 2 })).toEqual([
            { parameter: "postgresNodes", message: "must be at least 3 (allowed: 3–9; Patroni's HA minimum is three PostgreSQL nodes, so a failover still leaves a replica), got 2" },
        ]);
        expect(renderTemplate(name, { postgresNodes: 3 }).parameters.postgresNodes).toBe(3);
    });
});

describe("regions the template needs", () => {
    it("refuses a region without the capabilities the template needs, listing the regions that have them", () => {
        const [issue] = refused("kafka", { region: "eu-central" });
        expect(issue).toEqual({ parameter: "region", message: expect.stringMatching(/^region eu-central has no VPCs, which this template needs; regions that have: .*us-ord/) });
    });

    it("refuses a type of the wrong class where the role needs one (high memory)", () => {
        expect(refused("iot-pipeline", { workerType: "g6-standard-2" })).toEqual([
            { parameter: "workerType", message: expect.stringMatching(/^g6-standard-2 is a standard type; this role needs a catalogue type of class highmem: g7-highmem-1/) },
        ]);
    });

    it("holds a quorum role spread over groups to an odd total", () => {
        // A template whose quorum role spans regions: caught after expansion.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lct-tpl-"));
        try {
            fs.writeFileSync(
                path.join(dir, "spread.yaml"),
                [
                    "name: spread",
                    "title: Spread",
                    "version: 0.1.0",
                    "description: a quorum in every region",
                    "roles: { zookeeper: { title: zk, description: zk, quorum: majority } }",
                    "parameters:",
                    "  regions: { type: regions, description: where, default: [us-ord, us-iad], minItems: 1 }",
                    "plan:",
                    "  name: spread",
                    "  regions:",
                    "    - $each: regions",
                    "      as: r",
                    "      do: { region: '${r}', nodeGroups: [{ name: zk, role: zookeeper, count: 3 }] }",
                ].join("\n"),
            );
            expect(() => renderTemplate("spread", {}, { dir })).toThrow(/role zookeeper would have 6 node\(s\); its quorum needs a majority, so an odd number of at least 3/);
            expect(renderTemplate("spread", { regions: "us-ord" }, { dir }).plan.regions).toHaveLength(1);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("values from the command line and Pulumi config", () => {
    it("parses --set key=value, keeping everything after the first =", () => {
        expect(parseSetArguments(["brokers=5", "regions=us-ord,us-iad", "name=a=b", "clientCidrs="])).toEqual({ brokers: "5", regions: "us-ord,us-iad", name: "a=b", clientCidrs: "" });
        expect(() => parseSetArguments(["brokers"])).toThrow(SetArgumentError);
        expect(() => parseSetArguments(["=5"])).toThrow(/expected key=value/);
        expect(() => parseSetArguments(["a-b=1"])).toThrow(/not a parameter name/);
        expect(() => parseSetArguments(["brokers=3", "brokers=5"])).toThrow(/given twice/);
    });

    it("types strings by the declared type, and leaves typed values alone", () => {
        const t = loadTemplate("cassandra");
        expect(coerceParameter(t.parameters.nodesPerRack!, "4")).toBe(4);
        expect(coerceParameter(t.parameters.nodesPerRack!, " 4 ")).toBe(4);
        expect(coerceParameter(t.parameters.nodesPerRack!, "4x")).toBe("4x");
        expect(coerceParameter(t.parameters.regions!, "us-ord, us-iad")).toEqual(["us-ord", "us-iad"]);
        expect(coerceParameter(t.parameters.regions!, ["us-ord"])).toEqual(["us-ord"]);
        expect(coerceParameter(loadTemplate("spark").parameters.ha!, "true")).toBe(true);
        expect(coerceParameter(loadTemplate("spark").parameters.ha!, "yes")).toBe("yes");
        expect(renderTemplate("cassandra", { nodesPerRack: "2", regions: "us-ord,us-iad" }).parameters).toMatchObject({ nodesPerRack: 2, regions: ["us-ord", "us-iad"] });
    });

    it("names the unknown template and suggests the closest", () => {
        expect(() => renderTemplate("kafak")).toThrow(UnknownTemplateError);
        expect(() => renderTemplate("kafak")).toThrow(/unknown template "kafak" \(did you mean "kafka"\?\); bundled templates: .*quickstart/);
        expect(() => renderTemplate("../etc/passwd")).toThrow(/unknown template/);
    });
});

describe("structured substitution", () => {
    const scope = { n: 3, on: true, off: false, mode: "a", regions: ["us-ord", "us-iad"], name: "x" };

    it("keeps the type of whole references and interpolates scalars into text", () => {
        expect(expand({ count: "${n}", flag: "${on}", list: "${regions}", label: "${name}-${n}", lit: "$${n}" }, scope)).toEqual({
            count: 3,
            flag: true,
            list: ["us-ord", "us-iad"],
            label: "x-3",
            lit: "${n}",
        });
    });

    it("never lets a value change the structure (no text templating)", () => {
        const tricky = { ...scope, name: "a\nb: c\n- d" };
        expect(expand({ description: "${name}" }, tricky)).toEqual({ description: "a\nb: c\n- d" });
    });

    it("drops or keeps conditional mappings and values, and expands $each", () => {
        const body = {
            items: [
                { $if: "on", a: 1 },
                { $if: "off", b: 2 },
                { $if: "not off", c: 3 },
                { $if: "mode == a", d: 4 },
                { $if: "mode != a", e: 5 },
                { $if: "off", then: "x" },
                { $if: "on", then: "y", else: "z" },
                { $each: "regions", as: "r", do: { region: "${r}", g: "${r}/web" } },
            ],
            count: { $if: "on", then: 2, else: 1 },
            gone: { $if: "off", then: 1 },
        };
        expect(expand(body, scope)).toEqual({
            items: [{ a: 1 }, { c: 3 }, { d: 4 }, "y", { region: "us-ord", g: "us-ord/web" }, { region: "us-iad", g: "us-iad/web" }],
            count: 2,
        });
    });

    it("refuses what it cannot expand, with the place in the body", () => {
        expect(() => expand({ a: ["${nope}"] }, scope)).toThrow(new ExpansionError("a[0]", "${nope} names no parameter (known: n, on, off, mode, regions, name)"));
        expect(() => expand({ a: "x-${regions}" }, scope)).toThrow(/is a list: use it as the whole value/);
        expect(() => expand({ a: { $if: "n" } }, scope)).toThrow(/n is not a boolean parameter/);
        expect(() => expand({ a: { $each: "regions" } }, scope)).toThrow(/\$each is only allowed as a list element/);
        expect(() => expand({ a: [{ $each: "n", as: "r", do: 1 }] }, scope)).toThrow(/needs the name of a list parameter/);
        expect(() => expand({ $unknown: 1 }, scope)).toThrow(/unknown construct \$unknown/);
    });
});

describe("template files", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lct-tpl-bad-"));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, lines: string[]): string => {
        const file = path.join(dir, `${name}.yaml`);
        fs.writeFileSync(file, lines.join("\n"));
        return file;
    };
    const head = (name: string) => [`name: ${name}`, "title: T", "version: 1.0.0", "description: d", "roles: {}"];

    it("are checked on load: format, name, defaults, references and conditions on every branch", () => {
        const file = write("broken", [
            ...head("wrong-name"),
            "parameters:",
            "  count: { type: integer, description: c, default: 4, min: 3, max: 9, odd: true }",
            "  mode: { type: enum, description: m, values: [a, b], default: a }",
            "  flag: { type: boolean, description: f, default: false }",
            "plan:",
            "  name: x",
            "  regions:",
            "    - region: us-ord",
            "      nodeGroups:",
            "        - { $if: flag, name: g, count: '${typo}' }",
            "        - { $if: mode == c, name: h, count: 1 }",
            "        - { $if: count, name: i, count: 1 }",
        ]);
        let error: TemplateFormatError | undefined;
        try {
            readTemplateFile(file);
        } catch (e) {
            error = e as TemplateFormatError;
        }
        expect(error).toBeInstanceOf(TemplateFormatError);
        expect(error!.problems).toEqual([
            'name: "wrong-name" must match the file name "broken"',
            "parameters.count.default: must be odd (allowed: 3–9, odd), got 4",
            "plan.regions[0].nodeGroups[0].count: ${typo} names no parameter",
            "plan.regions[0].nodeGroups[1].$if: mode is never c (values: a, b)",
            "plan.regions[0].nodeGroups[2].$if: count is not a boolean parameter",
        ]);
    });

    it("refuse unknown keys and bad parameter definitions", () => {
        const file = write("shape", [...head("shape"), "parameters:", "  Bad-Name: { type: integer, description: x, default: 1, min: 1, max: 2 }", "  n: { type: number, description: x, default: 1 }", "plan: { name: x }", "extra: 1"]);
        expect(() => readTemplateFile(file)).toThrow(TemplateFormatError);
        expect(() => readTemplateFile(file)).toThrow(/parameters\.Bad-Name: a parameter name is camelCase/);
        expect(() => readTemplateFile(file)).toThrow(/parameter type is one of integer, boolean/);
        expect(() => readTemplateFile(file)).toThrow(/Unrecognized key: "extra"/);
    });
});
