import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PACKAGE_NAME, packagePath, packageRoot, packageVersion } from "../../sdk/plan/package-root";
import { TEMPLATES_DIR } from "../../sdk/templates/load";

const ROOT = path.resolve(__dirname, "../..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lct-root-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("the package root", () => {
    it("is the checkout from the sources, with its version, templates and schema", () => {
        expect(packageRoot()).toBe(ROOT);
        expect(packageVersion()).toBe((JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version);
        expect(TEMPLATES_DIR).toBe(path.join(ROOT, "templates"));
        expect(fs.existsSync(packagePath("schema", "cluster-plan.schema.json"))).toBe(true);
    });

    it("is found from the depths compiled code runs at (dist/sdk/<area>, dist/cli), past a package.json of another name", () => {
        const pkg = path.join(tmp, "pkg");
        fs.mkdirSync(path.join(pkg, "dist", "sdk", "plan"), { recursive: true });
        fs.mkdirSync(path.join(pkg, "dist", "cli"), { recursive: true });
        fs.writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ name: PACKAGE_NAME, version: "9.9.9" }));
        // e.g. {"type": "commonjs"} next to compiled output, or a broken file.
        fs.writeFileSync(path.join(pkg, "dist", "package.json"), JSON.stringify({ type: "commonjs" }));
        fs.writeFileSync(path.join(pkg, "dist", "sdk", "package.json"), "{ not json");
        expect(packageRoot(path.join(pkg, "dist", "sdk", "plan"))).toBe(pkg);
        expect(packageRoot(path.join(pkg, "dist", "cli"))).toBe(pkg);
    });

    it("is an error outside any LCT package", () => {
        const elsewhere = path.join(tmp, "elsewhere", "deep");
        fs.mkdirSync(elsewhere, { recursive: true });
        expect(() => packageRoot(elsewhere)).toThrow(`cannot find the package.json of ${PACKAGE_NAME} above ${elsewhere}`);
    });
});
