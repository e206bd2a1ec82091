/** `lct validate --json` answers on stdout for every input, unusable input included. */
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { memoryIO } from "../../sdk/cli/io";
import { runCli } from "../../sdk/cli/main";
import { tempDir } from "../plan/helpers";

const ROOT = path.join(__dirname, "..", "..");

async function lct(args: string[], opts: { cwd?: string; stdin?: string } = {}) {
    const io = memoryIO({ cwd: opts.cwd ?? ROOT, env: {}, ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}) });
    const code = await runCli(args, io);
    return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe("lct validate --json", () => {
    const tmp = tempDir();
    afterAll(() => tmp.cleanup());

    it("reports malformed YAML, a missing file and empty stdin as unusable, exit 2", async () => {
        const bad = tmp.file("bad.yaml", "name: [\n");
        const cases: Array<[string[], string | undefined, string, RegExp]> = [
            [["validate", "--json", bad], undefined, bad, /^.*bad\.yaml:2:1: is not valid YAML/],
            [["validate", "--json", path.join(tmp.dir, "missing.yaml")], undefined, path.join(tmp.dir, "missing.yaml"), /missing\.yaml: (no such file|does not exist)/],
            [["validate", "--json", "-"], "", "<stdin>", /^<stdin>: is empty/],
        ];
        for (const [args, stdin, file, error] of cases) {
            const r = await lct(args, stdin === undefined ? {} : { stdin });
            expect(r.code).toBe(2);
            const json = JSON.parse(r.stdout) as { file: string; valid: boolean; usable: boolean; error: string };
            expect([json.file, json.valid, json.usable]).toEqual([file, false, false]);
            expect(json.error).toMatch(error);
            // The person at the terminal still reads it on stderr.
            expect(r.stderr).toBe(`error: ${json.error}\n`);
        }
    });

    it("still answers a usable plan with its issues", async () => {
        const r = await lct(["validate", "--json", "templates/quickstart.yaml"]);
        expect(r.code).toBe(0);
        expect(JSON.parse(r.stdout)).toMatchObject({ file: "templates/quickstart.yaml", valid: true, errors: 0, nodes: 8 });
    });
});
