/**
 * Finding the `pulumi` CLI, which the Automation API shells out to for everything. Light: no
 * Pulumi packages are loaded here, so commands can check for the CLI before paying for them.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const PULUMI_INSTALL_URL = "https://www.pulumi.com/docs/install/";

export const PULUMI_INSTALL_HINT =
    `install the Pulumi CLI (curl -fsSL https://get.pulumi.com | sh, or see ${PULUMI_INSTALL_URL}) and make sure \`pulumi\` is on PATH; ` +
    "deploying also needs the Linode resource plugin, which `pulumi up` fetches on first use or `pulumi plugin install resource linode` installs ahead";

export class PulumiCliMissingError extends Error {
    constructor(what: string) {
        super(`${what} needs the Pulumi CLI, and no \`pulumi\` was found on PATH: ${PULUMI_INSTALL_HINT}`);
        this.name = "PulumiCliMissingError";
    }
}

/** The first executable `pulumi` on the PATH of `env`, or undefined. */
export function findPulumiCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
    for (const dir of (env.PATH ?? "").split(path.delimiter)) {
        if (!dir) continue;
        const candidate = path.join(dir, process.platform === "win32" ? "pulumi.exe" : "pulumi");
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            if (fs.statSync(candidate).isFile()) return candidate;
        } catch {
            // not here
        }
    }
    return undefined;
}
