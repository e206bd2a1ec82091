/** `lct sim` as a user runs it: one command, a URL to point tools at, Ctrl+C to stop. */
import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { memoryIO } from "../../sdk/cli/io";
import { runCli } from "../../sdk/cli/main";
import { startSimulator } from "../../sim";

const BIN = path.resolve(__dirname, "../../bin/lct.js");

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<{ match: RegExpMatchArray; all: () => string }> {
    let text = "";
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; got:\n${text}`)), timeoutMs);
        child.stdout?.on("data", (d: Buffer) => {
            text += d.toString();
            const m = text.match(pattern);
            if (m) {
                clearTimeout(timer);
                resolve({ match: m, all: () => text });
            }
        });
        child.once("exit", (code) => reject(new Error(`lct sim exited with ${code}:\n${text}`)));
    });
}

describe("lct sim", () => {
    it("starts with one command, serves a demo cluster that lct cluster can start, and stops on SIGINT", async () => {
        const child = spawn(process.execPath, [BIN, "sim", "--port", "0", "--demo", "demo", "--boot-ms", "50", "--shutdown-ms", "30"], { stdio: ["ignore", "pipe", "pipe"] });
        try {
            const { match, all } = await waitForLine(child, /Press Ctrl\+C to stop\./, 20_000);
            expect(match).toBeTruthy();
            const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(all())?.[1] as string;
            expect(all()).toContain(`export LINODE_URL=${url} LINODE_TOKEN=anything`);
            const list = (await fetch(`${url}/v4/linode/instances`, { headers: { Authorization: "Bearer anything" } }).then((r) => r.json())) as { results: number };
            expect(list.results).toBe(7);
            const io = memoryIO({ env: { LINODE_URL: url, LINODE_TOKEN: "anything" } });
            expect(await runCli(["cluster", "start", "demo", "--poll", "20"], io)).toBe(0);
            const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
            child.kill("SIGINT");
            expect(await exited).toBe(0);
            expect(all()).toMatch(/Simulator stopped after \d+ requests \(0 answered 429\)\./);
        } finally {
            if (child.exitCode === null) child.kill("SIGKILL");
        }
    });

    it("refuses bad options and a busy port with exit 2", async () => {
        const io = memoryIO();
        expect(await runCli(["sim", "--fault", "teapot"], io)).toBe(2);
        expect(io.stderr()).toContain('error: unknown fault "teapot"');
        const io2 = memoryIO();
        expect(await runCli(["sim", "--boot-ms", "-5"], io2)).toBe(2);
        const taken = await startSimulator();
        try {
            const io3 = memoryIO();
            expect(await runCli(["sim", "--port", String(taken.port)], io3)).toBe(2);
            expect(io3.stderr()).toContain(`port ${taken.port} is in use`);
        } finally {
            await taken.close();
        }
    });
});
