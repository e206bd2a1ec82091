/**
 * Is a node's SSH up, and has its hardening finished? Two probes:
 * - `probeSshBanner`: TCP connect and read the `SSH-2.0-…` identification line (no login).
 * - `checkCompletionMarker`: run the system OpenSSH client, key-only (`BatchMode=yes`), to test
 *   for the completion marker file or log line.
 *
 * Node built-ins are `require()`d inside the functions: this code is captured into serialized
 * dynamic providers, where top-level imports of built-ins break (see docs/linode-api.md).
 */
import { COMPLETION_LOG_LINE, COMPLETION_MARKER_FILE } from "../hardening/marker";

export type BannerResult = { ok: true; banner: string } | { ok: false; why: string };

export function probeSshBanner(host: string, port: number, timeoutMs: number): Promise<BannerResult> {
    const net = require("node:net") as typeof import("node:net");
    return new Promise((resolve) => {
        let buffered = "";
        let settled = false;
        // Declared before `finish` uses it (the closure serializer needs that order).
        let timer: ReturnType<typeof setTimeout> | undefined = undefined;
        const socket = net.createConnection({ host, port });
        const finish = (r: BannerResult): void => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            socket.destroy();
            resolve(r);
        };
        timer = setTimeout(() => finish({ ok: false, why: `no SSH banner from ${host}:${port} within ${timeoutMs} ms` }), timeoutMs);
        socket.setEncoding("latin1");
        socket.on("data", (chunk: string) => {
            buffered += chunk;
            // RFC 4253 §4.2: servers may send other lines before the identification string.
            for (const line of buffered.split("\n").slice(0, -1)) {
                if (line.startsWith("SSH-")) return finish({ ok: true, banner: line.trim() });
            }
            if (buffered.length > 8192) finish({ ok: false, why: `${host}:${port} does not speak SSH` });
        });
        socket.on("error", (e: NodeJS.ErrnoException) => finish({ ok: false, why: `${host}:${port}: ${e.code ?? e.message}` }));
        socket.on("close", () => finish({ ok: false, why: `${host}:${port} closed the connection before the SSH banner` }));
    });
}

export interface MarkerCheck {
    host: string;
    port: number;
    user: string;
    privateKeyFile: string;
    knownHostsFile?: string;
    markerFile?: string;
    /** Reach the host through this bastion (OpenSSH ProxyJump, with the same key). */
    jump?: { host: string; user: string; port: number };
    timeoutMs: number;
}

export type MarkerResult = { ok: true } | { ok: false; why: string; retryable: boolean };

/** Single-quotes a string for a POSIX shell. */
export function shellQuote(s: string): string {
    return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The remote command: the marker file, or the completion line in the journal. */
export function markerCommand(markerFile: string = COMPLETION_MARKER_FILE): string {
    return `test -f ${shellQuote(markerFile)} || journalctl -q -t lct 2>/dev/null | grep -q ${shellQuote(COMPLETION_LOG_LINE)}`;
}

export function sshArgs(c: MarkerCheck): string[] {
    const common = [
        "-o", "BatchMode=yes",
        "-o", "StrictHostKeyChecking=accept-new",
        "-o", `ConnectTimeout=${Math.max(1, Math.ceil(c.timeoutMs / 1000))}`,
        "-o", "IdentitiesOnly=yes",
        "-o", "LogLevel=ERROR",
        "-i", c.privateKeyFile,
    ];
    if (c.knownHostsFile) common.push("-o", `UserKnownHostsFile=${c.knownHostsFile}`);
    const args = [...common, "-p", String(c.port)];
    if (c.jump) {
        // ProxyCommand rather than -J: the hop needs the same key and host-key options, which -J does not pass on.
        const hop = ["ssh", ...common, "-p", String(c.jump.port), "-W", "%h:%p", `${c.jump.user}@${c.jump.host}`];
        args.push("-o", `ProxyCommand=${hop.map(shellQuote).join(" ")}`);
    }
    args.push(`${c.user}@${c.host}`, markerCommand(c.markerFile));
    return args;
}

export function checkCompletionMarker(c: MarkerCheck): Promise<MarkerResult> {
    const { execFile } = require("node:child_process") as typeof import("node:child_process");
    return new Promise((resolve) => {
        execFile("ssh", sshArgs(c), { timeout: c.timeoutMs + 2000, encoding: "utf8" }, (err, _stdout, stderr) => {
            if (!err) return resolve({ ok: true });
            const e = err as Error & { code?: number | string; killed?: boolean };
            if (e.code === "ENOENT") return resolve({ ok: false, why: "the ssh client is not installed (Debian: openssh-client)", retryable: false });
            if (e.killed) return resolve({ ok: false, why: `ssh to ${c.host} timed out`, retryable: true });
            const detail = String(stderr ?? "").trim().split("\n").pop() ?? "";
            // 255 is ssh's own failure (connect, auth); anything else is the remote test saying "not yet".
            if (e.code === 255) return resolve({ ok: false, why: `ssh ${c.user}@${c.host}:${c.port} failed: ${detail || "exit 255"}`, retryable: true });
            resolve({ ok: false, why: "hardening completion marker not present yet", retryable: true });
        });
    });
}

/**
 * The private key for marker checks, from the environment only (never a resource input):
 * `LCT_SSH_PRIVATE_KEY_FILE` (a path) or `LCT_SSH_PRIVATE_KEY` (the key text, written to a
 * private temporary file that `cleanup` removes).
 */
export function privateKeyFromEnv(env: Record<string, string | undefined>): { file: string; cleanup(): void } | undefined {
    const path = env.LCT_SSH_PRIVATE_KEY_FILE?.trim();
    if (path) return { file: path, cleanup: () => undefined };
    const text = env.LCT_SSH_PRIVATE_KEY;
    if (!text || !text.trim()) return undefined;
    const fs = require("node:fs") as typeof import("node:fs");
    const os = require("node:os") as typeof import("node:os");
    const p = require("node:path") as typeof import("node:path");
    const dir = fs.mkdtempSync(p.join(os.tmpdir(), "lct-ssh-"));
    const file = p.join(dir, "id");
    fs.writeFileSync(file, text.endsWith("\n") ? text : `${text}\n`, { mode: 0o600 });
    return { file, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
