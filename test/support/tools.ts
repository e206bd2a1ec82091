import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/**
 * Real-tool tests: in CI (LCT_REQUIRE_TOOLS=1) a missing tool is a failure naming the Debian
 * package to install; elsewhere the test is skipped with that reason shown.
 */

const SBIN = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

/** Absolute path of an executable on PATH (plus the sbin directories), or undefined. */
export function findTool(name: string): string | undefined {
    const dirs = [...(process.env.PATH ?? "").split(delimiter), ...SBIN].filter((d) => d.length > 0);
    for (const dir of dirs) {
        const path = join(dir, name);
        try {
            accessSync(path, constants.X_OK);
            return path;
        } catch {
            // keep looking
        }
    }
    return undefined;
}

export const toolsRequired = (): boolean => process.env.LCT_REQUIRE_TOOLS === "1";

export interface ToolCheck {
    /** Path of the tool, when found. */
    path?: string;
    /** Why tests using it are skipped (undefined when it is there). */
    skip?: string;
}

/**
 * Looks a tool up. Throws (failing the test file) when it is missing and tools are required;
 * otherwise returns a skip reason to hand to `describe.skipIf` / `it.skipIf`.
 */
export function requireTool(name: string, debianPackage: string): ToolCheck {
    const path = findTool(name);
    if (path) return { path };
    const message = `${name} not found: install the Debian package "${debianPackage}" (listed in .ci/apt-packages.txt)`;
    if (toolsRequired()) throw new Error(message);
    return { skip: message };
}

/** Checks a capability (e.g. "can create a network namespace") the same way as a tool. */
export function requireCapability(what: string, probe: () => boolean, hint: string): ToolCheck {
    if (probe()) return {};
    const message = `${what} is not available here: ${hint}`;
    if (toolsRequired()) throw new Error(message);
    return { skip: message };
}

/** Whether this process may create network namespaces (root or CAP_SYS_ADMIN). */
export function canUnshareNet(): boolean {
    const unshare = findTool("unshare");
    if (!unshare) return false;
    return spawnSync(unshare, ["-n", "true"], { stdio: "ignore" }).status === 0;
}

export interface RunResult {
    status: number;
    stdout: string;
    stderr: string;
}

/** Runs a command and returns its output; never throws on a non-zero exit. */
export function run(cmd: string, args: readonly string[], opts: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): RunResult {
    const r = spawnSync(cmd, args, {
        encoding: "utf8",
        input: opts.input,
        cwd: opts.cwd,
        env: opts.env ?? process.env,
        timeout: opts.timeoutMs ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
    });
    if (r.error) return { status: -1, stdout: r.stdout ?? "", stderr: `${String(r.error)}\n${r.stderr ?? ""}` };
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Logs a skip reason once so it shows in the test output, not only as a skipped count. */
export function announceSkip(check: ToolCheck): void {
    if (check.skip) console.warn(`[skipped] ${check.skip}`);
}
