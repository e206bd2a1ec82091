import * as fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { checkPlanFile, checkPlanText } from "../../sdk/plan/check";
import { PlanInputError } from "../../sdk/plan/input-error";
import { parsePlanText } from "../../sdk/plan/parse-text";
import { decodePlanBytes, firstInvalidUtf8, MAX_PLAN_BYTES, readPlanFile } from "../../sdk/plan/read-source";
import { errorsOf, tempDir } from "./helpers";

/** The PlanInputError a function throws (failing the test when it throws nothing or something else). */
function inputError(fn: () => unknown): PlanInputError {
    try {
        fn();
    } catch (e) {
        if (e instanceof PlanInputError) return e;
        throw new Error(`expected a PlanInputError, got ${String(e)}`);
    }
    throw new Error("expected a PlanInputError, nothing was thrown");
}

const VALID = "name: demo\nexposure: { adminCidrs: [203.0.113.0/24] }\nregions:\n  - region: us-ord\n    nodeGroups: [{ name: web, count: 1 }]\n";

describe("reading plan files", () => {
    const tmp = tempDir();
    afterAll(() => tmp.cleanup());

    it("reads UTF-8, with or without a byte-order mark", () => {
        expect(readPlanFile(tmp.file("plain.yaml", VALID))).toBe(VALID);
        expect(readPlanFile(tmp.file("bom.yaml", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(VALID)])))).toBe(VALID);
    });

    it("names the file as the user gave it", () => {
        const e = inputError(() => readPlanFile(`${tmp.dir}/missing.yaml`, "missing.yaml"));
        expect(e.located).toBe("missing.yaml: no such file");
    });

    it("refuses a missing file, a directory and a device, each with its reason", () => {
        expect(inputError(() => readPlanFile(`${tmp.dir}/nope.yaml`)).message).toBe("no such file");
        expect(inputError(() => readPlanFile(tmp.dir)).message).toBe("is a directory, not a plan file");
        expect(inputError(() => readPlanFile("/dev/null")).message).toBe("is not a regular file");
    });

    it("refuses a 100 MB file from its size, without reading it", () => {
        const big = `${tmp.dir}/big.yaml`;
        fs.writeFileSync(big, "");
        fs.truncateSync(big, 100 * 1024 * 1024); // sparse: no 100 MB written
        // The message carries the size from stat; reading would have failed on the NUL bytes instead.
        expect(inputError(() => readPlanFile(big)).message).toBe("is 100.0 MB; plans are limited to 5 MB");
    });

    it("refuses UTF-16, binary data, invalid UTF-8, and files with nothing but comments", () => {
        const cases: Array<[string, Uint8Array | string, string]> = [
            ["utf16le.yaml", Buffer.from("\ufeffname: x\n", "utf16le"), "is UTF-16 encoded; save it as UTF-8"],
            ["utf16be.yaml", Buffer.from([0xfe, 0xff, 0x00, 0x6e]), "is UTF-16 encoded; save it as UTF-8"],
            ["utf16-no-bom.yaml", Buffer.from("name: x\nregions: []\n", "utf16le"), "is UTF-16 encoded; save it as UTF-8"],
            ["utf16be-no-bom.yaml", Buffer.from("name: x\nregions: []\n", "utf16le").swap16(), "is UTF-16 encoded; save it as UTF-8"],
            ["utf32le.yaml", Buffer.from([0xff, 0xfe, 0, 0, 0x6e, 0, 0, 0]), "is UTF-32 encoded; save it as UTF-8"],
            ["utf32-no-bom.yaml", Buffer.from([..."name: x\n"].flatMap((ch) => [ch.charCodeAt(0), 0, 0, 0])), "is UTF-32 encoded; save it as UTF-8"],
            ["binary.yaml", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00]), "contains a NUL byte at offset 7: this looks like a binary file, not YAML or JSON"],
            ["latin1.yaml", Buffer.from("name: caf\xe9\n", "latin1"), "is not valid UTF-8 text (at byte 9); save it as UTF-8"],
            ["empty.yaml", "", "is empty: a plan needs at least a name and one region"],
            ["blank.yaml", "  \n\t\n", "is empty: a plan needs at least a name and one region"],
            ["comments.yaml", "# a plan, one day\n   # indented comment\n\n", "is empty: a plan needs at least a name and one region"],
        ];
        for (const [name, content, message] of cases) {
            expect(inputError(() => readPlanFile(tmp.file(name, content))).message, name).toBe(message);
        }
    });

    it("reads a plan that starts with many comment lines (the old check backtracked exponentially)", () => {
        const text = "# comment line\n".repeat(200) + VALID;
        expect(readPlanFile(tmp.file("commented.yaml", text))).toBe(text);
    });

    it("finds an invalid byte at the end of a large file in one pass (the old scan was quadratic)", () => {
        const bytes = Buffer.alloc(MAX_PLAN_BYTES - 10, 0x61);
        bytes[bytes.length - 1] = 0xe9;
        expect(inputError(() => decodePlanBytes(bytes)).message).toBe(`is not valid UTF-8 text (at byte ${bytes.length - 1}); save it as UTF-8`);
    });

    it("refuses more than 5 MB of bytes (standard input has no size to stat)", () => {
        expect(inputError(() => decodePlanBytes(Buffer.alloc(MAX_PLAN_BYTES + 1, 0x61))).message).toBe("is larger than 5 MB; plans are small");
    });
});

describe("firstInvalidUtf8", () => {
    it("agrees with the platform's strict decoder on well-formed and malformed sequences", () => {
        const cases: number[][] = [
            [0x61, 0x62],
            [0xc3, 0xa9], // é
            [0xe2, 0x82, 0xac], // €
            [0xf0, 0x9f, 0x98, 0x80], // 😀
            [0xc0, 0xaf], // overlong /
            [0xe0, 0x80, 0xaf], // overlong
            [0xed, 0xa0, 0x80], // surrogate
            [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
            [0xf5, 0x80, 0x80, 0x80],
            [0x61, 0xe2, 0x82], // truncated at the end
            [0x80],
            [0x61, 0xc3, 0x28],
        ];
        for (const bytes of cases) {
            const b = Uint8Array.from(bytes);
            let valid = true;
            try {
                new TextDecoder("utf-8", { fatal: true }).decode(b);
            } catch {
                valid = false;
            }
            const at = firstInvalidUtf8(b);
            expect(at === b.length, JSON.stringify(bytes)).toBe(valid);
            // Everything before the reported offset decodes.
            expect(() => new TextDecoder("utf-8", { fatal: true }).decode(b.subarray(0, at))).not.toThrow();
        }
    });
});

describe("parsing plan text", () => {
    it("reads YAML and JSON to the same value", () => {
        const fromYaml = parsePlanText(VALID).value;
        const fromJson = parsePlanText(JSON.stringify(fromYaml)).value;
        expect(fromJson).toEqual(fromYaml);
    });

    it("reports malformed YAML with its line and column", () => {
        const e = inputError(() => parsePlanText("name: x\nregions: [\n  - a: b\n", "plan.yaml"));
        expect([e.line, e.column]).toEqual([3, 3]);
        expect(e.located).toBe("plan.yaml:3:3: is not valid YAML: Block collections are not allowed within flow collections");
    });

    it("reports malformed JSON with its position", () => {
        const e = inputError(() => parsePlanText('{"name": "x", "regions": [}', "plan.json"));
        expect(e.located).toMatch(/^plan\.json:1:27: is not valid YAML: /);
    });

    it("refuses duplicate keys and tabs as indentation", () => {
        expect(inputError(() => parsePlanText("name: x\nname: y\n")).message).toBe("is not valid YAML: Map keys must be unique");
        expect(inputError(() => parsePlanText("name: x\nregions:\n\t- a\n")).message).toMatch(/^is not valid YAML: Tabs are not allowed/);
    });

    it("refuses a YAML alias bomb without expanding it", () => {
        const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
        for (let i = 1; i < 9; i++) {
            const prev = String.fromCharCode(96 + i);
            const cur = String.fromCharCode(97 + i);
            lines.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(",")}]`);
        }
        const e = inputError(() => parsePlanText(lines.join("\n"), "bomb.yaml"));
        expect(e.located).toBe("bomb.yaml: uses too many YAML aliases (an alias bomb?); expand them or simplify the file");
    });

    it("accepts a few aliases (anchors are legitimate YAML)", () => {
        const text = "name: demo\nx-web: &web { name: web, count: 1 }\nregions:\n  - region: us-ord\n    nodeGroups: [*web]\n";
        expect((parsePlanText(text).value as any).regions[0].nodeGroups[0]).toEqual({ name: "web", count: 1 });
    });

    it("accepts an anchor reused in hundreds of groups, and merge keys", () => {
        const groups = Array.from({ length: 300 }, (_, i) => `      - { name: g${i}, type: *t, count: 1 }`);
        const text = ["name: demo", "x-type: &t g6-standard-2", "regions:", "  - region: us-ord", "    nodeGroups:", ...groups, ""].join("\n");
        const value = parsePlanText(text).value as any;
        expect(value.regions[0].nodeGroups).toHaveLength(300);
        expect(value.regions[0].nodeGroups[299].type).toBe("g6-standard-2");
        const merged = "name: demo\nx-base: &base { count: 2, type: g6-standard-2 }\nregions:\n  - region: us-ord\n    nodeGroups:\n      - { <<: *base, name: web }\n      - { <<: *base, name: db, count: 3 }\n";
        expect((parsePlanText(merged).value as any).regions[0].nodeGroups).toEqual([
            { count: 2, type: "g6-standard-2", name: "web" },
            { count: 3, type: "g6-standard-2", name: "db" },
        ]);
    });

    it("refuses deeply nested junk", () => {
        expect(inputError(() => parsePlanText("[".repeat(100_000))).message).toBe("the document is nested too deeply to be a plan");
        expect(inputError(() => parsePlanText(`a: ${"{".repeat(50_000)}`)).message).toBe("the document is nested too deeply to be a plan");
    });

    it("refuses several documents, and a top level that is not a mapping", () => {
        expect(inputError(() => parsePlanText("name: a\n---\nname: b\n")).message).toBe("holds several YAML documents; a plan is one document");
        expect(inputError(() => parsePlanText("- a\n- b\n")).message).toBe("must hold a mapping (name, regions, …) at the top, found a list");
        expect(inputError(() => parsePlanText("just words\n")).message).toBe("must hold a mapping (name, regions, …) at the top, found a string");
        expect(inputError(() => parsePlanText("42\n")).message).toBe("must hold a mapping (name, regions, …) at the top, found a number");
        expect(inputError(() => parsePlanText("---\n")).message).toBe("must hold a mapping (name, regions, …) at the top, found nothing");
    });

    it("reports a mapping used as a key as an unknown key, without a process warning on stderr", async () => {
        const warnings: string[] = [];
        const listener = (w: Error) => warnings.push(w.message);
        process.on("warning", listener);
        try {
            const c = checkPlanText(`? [a]\n: x\n${VALID}`, { file: "p.yaml" });
            expect(errorsOf(c)).toEqual([{ rule: "schema.unknown-key", path: '["[ a ]"]', message: 'unknown key "[ a ]"', line: 1, column: 1 }]);
            await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
        } finally {
            process.off("warning", listener);
        }
        expect(warnings).toEqual([]);
    });

    it("keeps a __proto__ key as data (reported as unknown), never as a prototype", () => {
        const c = checkPlanText(`__proto__: { polluted: true }\n${VALID}`, { file: "p.yaml" });
        expect(({} as any).polluted).toBeUndefined();
        expect(errorsOf(c)).toEqual([{ rule: "schema.unknown-key", path: "__proto__", message: 'unknown key "__proto__"', line: 1, column: 1 }]);
    });
});

describe("issue positions in files", () => {
    const tmp = tempDir();
    afterAll(() => tmp.cleanup());

    it("gives line:column of the offending value, and of the key for unknown keys", () => {
        const text = [
            "name: demo", // 1
            "exposure: { adminCidrs: [203.0.113.0/24] }", // 2
            "regions:", // 3
            "  - region: us-ordd", // 4
            "    nodeGroups:", // 5
            "      - name: web", // 6
            "        count: 0", // 7
            "        colour: blue", // 8
        ].join("\n");
        const c = checkPlanFile(tmp.file("located.yaml", text));
        expect(errorsOf(c)).toEqual([
            { rule: "catalog.region", path: "regions[0].region", message: 'unknown region "us-ordd" (did you mean "us-ord"?)', line: 4, column: 13 },
            { rule: "schema", path: "regions[0].nodeGroups[0].count", message: "must be at least 1", line: 7, column: 16 },
            { rule: "schema.unknown-key", path: "regions[0].nodeGroups[0].colour", message: 'unknown key "colour"', line: 8, column: 9 },
        ]);
    });

    it("points at the nearest existing node for a missing key", () => {
        const c = checkPlanText("name: demo\nregions:\n  - region: us-ord\n", { file: "p.yaml" });
        expect(errorsOf(c)).toEqual([{ rule: "schema", path: "regions[0].nodeGroups", message: "is required", line: 3, column: 5 }]);
    });

    it("locates issues in JSON files too", () => {
        const c = checkPlanText('{\n  "name": "demo",\n  "regions": [\n    { "region": "us-ord", "nodeGroups": [ { "name": "web", "count": -1 } ] }\n  ]\n}\n', { file: "p.json" });
        expect(errorsOf(c)).toEqual([{ rule: "schema", path: "regions[0].nodeGroups[0].count", message: "must be at least 1", line: 4, column: 69 }]);
    });
});
