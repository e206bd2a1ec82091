/**
 * LCT's per-user Pulumi project folder (~/.lct/project): written from the package's
 * Pulumi.yaml, re-pointed when the package moves (a reinstall), and never touching the stacks'
 * settings files next to it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureLctProject, lctProjectDir, packageRoot, ProjectError, projectYaml } from "../../sdk/automation/project";
import { REPO } from "./helpers";

let root: string;
let env: NodeJS.ProcessEnv;

/** A package folder as npm would install it: Pulumi.yaml, package.json and the program. */
function fakePackage(name: string, pulumiYaml = "name: lct\nruntime:\n  name: nodejs\n  options: { typescript: false, nodeargs: --import tsx }\nmain: stacks/index.ts\n"): string {
    const dir = path.join(root, name);
    fs.mkdirSync(path.join(dir, "stacks"), { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), pulumiYaml);
    fs.writeFileSync(path.join(dir, "package.json"), "{}\n");
    fs.writeFileSync(path.join(dir, "stacks", "index.ts"), `// ${name}\n`);
    return dir;
}

beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "lct-project-"));
    env = { HOME: path.join(root, "home") };
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("LCT's project folder", () => {
    it("is ~/.lct/project, with the package's Pulumi.yaml whose main goes through a link to the package", () => {
        const dir = ensureLctProject(env, REPO);
        expect(dir).toBe(path.join(root, "home", ".lct", "project"));
        expect(lctProjectDir(env)).toBe(dir);
        expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
        const own = parse(fs.readFileSync(path.join(REPO, "Pulumi.yaml"), "utf8"));
        // pulumi requires main relative and inside the project: the link is inside, the program is the package's.
        expect(parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"))).toEqual({ ...own, main: `package/${own.main}` });
        expect(fs.lstatSync(path.join(dir, "package")).isSymbolicLink()).toBe(true);
        expect(fs.realpathSync(path.join(dir, "package", own.main))).toBe(fs.realpathSync(path.join(REPO, own.main)));
        expect(packageRoot()).toBe(REPO);
    });

    it("survives a reinstall elsewhere: Pulumi.yaml and the link follow the package, stack settings stay as they were", () => {
        const first = fakePackage("v1");
        const dir = ensureLctProject(env, first);
        const settings = path.join(dir, "Pulumi.prod.yaml");
        fs.writeFileSync(settings, "encryptionsalt: v1:abc\nconfig:\n  lct:plan: /plans/prod.yaml\n");
        const yaml = path.join(dir, "Pulumi.yaml");
        const before = fs.statSync(yaml).mtimeMs;
        // Again, same package: nothing is rewritten.
        ensureLctProject(env, first);
        expect(fs.statSync(yaml).mtimeMs).toBe(before);
        const second = fakePackage("v2", "name: lct\nruntime: nodejs\nmain: stacks/index.ts\nconfig:\n  lct:power: { default: running }\n");
        ensureLctProject(env, second);
        expect(fs.readFileSync(path.join(dir, "package", "stacks", "index.ts"), "utf8")).toBe("// v2\n");
        expect(parse(fs.readFileSync(yaml, "utf8"))).toEqual({ name: "lct", runtime: "nodejs", main: "package/stacks/index.ts", config: { "lct:power": { default: "running" } } });
        expect(fs.readFileSync(settings, "utf8")).toBe("encryptionsalt: v1:abc\nconfig:\n  lct:plan: /plans/prod.yaml\n");
        expect(fs.readdirSync(dir).sort()).toEqual(["Pulumi.prod.yaml", "Pulumi.yaml", "package"]);
    });

    it("refuses a package whose main leaves it, and a folder in the link's place (which it does not delete)", () => {
        expect(() => projectYaml(fakePackage("abs", "name: lct\nruntime: nodejs\nmain: /etc/index.ts\n"))).toThrow(ProjectError);
        expect(() => projectYaml(fakePackage("up", "name: lct\nruntime: nodejs\nmain: ../index.ts\n"))).toThrow(/main must be a path inside the package, not \.\.\/index\.ts/);
        const other = { HOME: path.join(root, "home2") };
        fs.mkdirSync(path.join(lctProjectDir(other), "package"), { recursive: true });
        fs.writeFileSync(path.join(lctProjectDir(other), "package", "mine.txt"), "keep me");
        expect(() => ensureLctProject(other, fakePackage("v3"))).toThrow(/package should be a link to LCT's package folder, but is not: move it away/);
        expect(fs.readFileSync(path.join(lctProjectDir(other), "package", "mine.txt"), "utf8")).toBe("keep me");
    });
});
