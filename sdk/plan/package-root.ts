import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Files that ship with LCT (package.json, templates/, schema/, Pulumi.yaml) sit at the package
 * root. Code reaches them from three depths: the sources (sdk/<area>/), tsc output
 * (dist/sdk/<area>/) and the CLI bundle (dist/cli/) — so no fixed "../.." works for all of
 * them. The root is found instead: the nearest folder upwards holding LCT's own package.json
 * (by name, so that a package.json inside dist/ or a consumer's project is never taken for it).
 */
export const PACKAGE_NAME = "linode-cluster-toolkit";

let root: string | undefined;
let manifest: { name: string; version: string } | undefined;

/** The folder holding LCT's package.json; `from` (a folder inside the package) is for tests. */
export function packageRoot(from: string = __dirname): string {
    if (from === __dirname && root !== undefined) return root;
    let dir = from;
    for (;;) {
        const found = readManifest(path.join(dir, "package.json"));
        if (found?.name === PACKAGE_NAME) {
            if (from === __dirname) [root, manifest] = [dir, found];
            return dir;
        }
        const up = path.dirname(dir);
        if (up === dir) throw new Error(`cannot find the package.json of ${PACKAGE_NAME} above ${from}`);
        dir = up;
    }
}

/** A path inside the package: `packagePath("templates")`, `packagePath("schema", "x.json")`. */
export function packagePath(...segments: string[]): string {
    return path.join(packageRoot(), ...segments);
}

/** LCT's version, from its package.json. */
export function packageVersion(): string {
    packageRoot();
    return manifest!.version;
}

function readManifest(file: string): { name: string; version: string } | undefined {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        return undefined;
    }
    try {
        const json = JSON.parse(text) as { name?: unknown; version?: unknown };
        return typeof json.name === "string" ? { name: json.name, version: typeof json.version === "string" ? json.version : "0.0.0" } : undefined;
    } catch {
        return undefined;
    }
}
