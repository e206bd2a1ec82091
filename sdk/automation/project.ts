/**
 * LCT's Pulumi project folder, per user: `~/.lct/project/`. Pulumi writes a stack's settings
 * (`Pulumi.<stack>.yaml`: its config, and the passphrase's encryption salt) next to the
 * project's Pulumi.yaml. With the package's own Pulumi.yaml as the project, those files would
 * land in the installed package: a read-only (global) install could not deploy, a reinstall
 * would lose every stack's config and salt, and a git checkout would see `lct up dev` rewrite
 * the committed Pulumi.dev.yaml. So the workspace is this folder instead:
 *
 *   ~/.lct/project/Pulumi.yaml          written by LCT from the package's Pulumi.yaml
 *   ~/.lct/project/package -> <package> a link to the installed package (re-pointed when it moves)
 *   ~/.lct/project/Pulumi.<stack>.yaml  written by pulumi: the user's, never touched by LCT
 *
 * Why a link: pulumi requires `main` to be a relative path inside the project folder ("project
 * 'main' must be a relative path", "… must be a subfolder"), so `main` is
 * `package/stacks/index.ts`. Through the link the program runs from the package's own folder
 * (node resolves the real path), where `--import tsx`, `@pulumi/pulumi` (which the nodejs
 * language host looks up from the program's folder) and the provider packages resolve from the
 * package's node_modules, as they did when the package folder was the project.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as yamlParse, stringify as yamlStringify } from "yaml";
import { lctHome } from "./backend";

/** The link's name inside the project folder (the start of `main`). */
export const PACKAGE_LINK = "package";

export class ProjectError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ProjectError";
    }
}

/** The folder holding LCT's package Pulumi.yaml: the package root, found upwards from this file. */
export function packageRoot(from = __dirname): string {
    let dir = from;
    for (;;) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml")) && fs.existsSync(path.join(dir, "package.json"))) return dir;
        const up = path.dirname(dir);
        if (up === dir) throw new Error(`cannot find LCT's Pulumi.yaml above ${from}`);
        dir = up;
    }
}

/** `~/.lct/project`: where the root stack's workspace (and its stack settings) lives. */
export function lctProjectDir(env: NodeJS.ProcessEnv): string {
    return path.join(lctHome(env), "project");
}

/**
 * The per-user Pulumi.yaml: the package's, with `main` through the link. Everything else —
 * name (stacks of a file backend are stored per project name), runtime options (`nodeargs:
 * --import tsx`, `typescript: false`), config defaults — stays the package's.
 */
export function projectYaml(root: string): string {
    const source = path.join(root, "Pulumi.yaml");
    let doc: Record<string, unknown>;
    try {
        doc = (yamlParse(fs.readFileSync(source, "utf8")) ?? {}) as Record<string, unknown>;
    } catch (e) {
        throw new ProjectError(`cannot read LCT's ${source}: ${(e as Error).message}`);
    }
    const main = typeof doc.main === "string" ? doc.main : "index.ts";
    if (path.isAbsolute(main) || path.normalize(main).startsWith("..")) throw new ProjectError(`${source}: main must be a path inside the package, not ${main}`);
    const linked = path.posix.join(PACKAGE_LINK, main.split(path.sep).join("/"));
    return (
        `# Written by lct from ${source}; rewritten when LCT is installed elsewhere.\n` +
        "# The Pulumi.<stack>.yaml files next to it are the stacks' settings (config, encryption salt): keep them.\n" +
        yamlStringify({ ...doc, main: linked })
    );
}

/**
 * Creates or updates the project folder for the package at `root` and returns it. Idempotent
 * and safe with several `lct` processes at once: each change is a rename into place. Stack
 * settings already there are never read or changed.
 */
export function ensureLctProject(env: NodeJS.ProcessEnv, root: string = packageRoot()): string {
    const dir = lctProjectDir(env);
    const wanted = projectYaml(root);
    try {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        ensureLink(path.join(dir, PACKAGE_LINK), path.resolve(root));
        const file = path.join(dir, "Pulumi.yaml");
        if (readOrUndefined(file) !== wanted) {
            const tmp = `${file}.${process.pid}.tmp`;
            fs.writeFileSync(tmp, wanted, { mode: 0o644 });
            fs.renameSync(tmp, file);
        }
    } catch (e) {
        if (e instanceof ProjectError) throw e;
        const err = e as NodeJS.ErrnoException;
        throw new ProjectError(`cannot prepare LCT's project folder ${dir}: ${err.code ? `${err.code} ${err.path ?? ""}`.trim() : err.message}`);
    }
    return dir;
}

function ensureLink(link: string, target: string): void {
    let current: string | undefined;
    try {
        current = fs.readlinkSync(link);
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // EINVAL: something that is not a link is in the way; say so rather than delete it.
        if (code === "EINVAL") throw new ProjectError(`${link} should be a link to LCT's package folder, but is not: move it away`);
        if (code !== "ENOENT") throw e;
    }
    if (current !== undefined && path.resolve(path.dirname(link), current) === target) return;
    const tmp = `${link}.${process.pid}.tmp`;
    fs.rmSync(tmp, { force: true });
    // A junction on Windows: directory symlinks there need a privilege junctions do not.
    fs.symlinkSync(target, tmp, process.platform === "win32" ? "junction" : "dir");
    fs.renameSync(tmp, link);
}

function readOrUndefined(file: string): string | undefined {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        return undefined;
    }
}
