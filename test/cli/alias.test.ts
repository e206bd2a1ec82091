/** `linodetool`, the original tool's name, is the same CLI as `lct`, installed by npm as a bin. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..");

describe("the linodetool alias", () => {
    it("is declared next to lct and points at the same entry point", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { bin: Record<string, string> };
        expect(pkg.bin).toEqual({ lct: "bin/lct.js", linodetool: "bin/lct.js" });
    });

    it("runs as npm installs it (npx resolves the package's own bins)", () => {
        const r = spawnSync("npx", ["--no", "--", "linodetool", "validate", "templates/quickstart.yaml"], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
        expect(r.stderr).not.toMatch(/\n\s+at /);
        expect([r.status, r.stdout]).toEqual([0, "templates/quickstart.yaml: valid — 8 nodes in 4 groups across 2 regions\n"]);
    });
});
