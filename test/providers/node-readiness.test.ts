/**
 * NodeReadiness against the simulator, a fake banner server and a real OpenSSH server on
 * 127.0.0.1: waits for running nodes, for the SSH banner, for the hardening marker, and times
 * out with each node's reason.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeNodeReadinessProvider } from "../../sdk/providers/node-readiness";
import { markerCommand, probeSshBanner, sshArgs } from "../../sdk/providers/ssh-probe";
import type { FaultRule } from "../../sim";
import { simWithCluster, type SeededCluster } from "./helpers";
import { freePort, missingSshBinaries, startSshd, type TestSshd } from "./sshd";

const TOKEN = "readiness-test";
const ENV_KEYS = ["LINODE_TOKEN", "LCT_SSH_PRIVATE_KEY_FILE", "LCT_SSH_PRIVATE_KEY", "LCT_SSH_KNOWN_HOSTS_FILE"] as const;
const savedEnv: Record<string, string | undefined> = {};
beforeAll(() => {
    for (const k of ENV_KEYS) savedEnv[k] = process.env[k];
    for (const k of ENV_KEYS) delete process.env[k];
    process.env.LINODE_TOKEN = TOKEN;
});
afterAll(() => {
    for (const k of ENV_KEYS) {
        if (savedEnv[k] === undefined) delete process.env[k];
        else process.env[k] = savedEnv[k];
    }
});

/** A TCP server that greets every connection with `greeting`. */
async function greeter(greeting: string): Promise<{ port: number; close(): Promise<void> }> {
    const server = net.createServer((s) => {
        s.on("error", () => undefined);
        s.end(greeting);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return { port: (server.address() as net.AddressInfo).port, close: () => new Promise((r) => server.close(() => r())) };
}

async function inputsFor(provider: ReturnType<typeof makeNodeReadinessProvider>, news: Record<string, unknown>) {
    const r = await provider.check!({}, news);
    expect(r.failures).toEqual([]);
    return r.inputs;
}

describe("NodeReadiness: API status", () => {
    let c: SeededCluster;
    beforeAll(async () => {
        c = await simWithCluster("ready", [["db", 1, 2]], "offline", { token: TOKEN, bootMs: 150 });
    });
    afterAll(() => c.sim.close());

    it("times out with each node's reason", async () => {
        const provider = makeNodeReadinessProvider();
        const inputs = await inputsFor(provider, { group: "us-ord/db", linodeIds: c.ids, ssh: { enabled: false }, timeoutSeconds: 0.2, pollIntervalMs: 30, apiUrl: c.sim.url });
        const e = (await provider.create(inputs).catch((x: Error) => x)) as Error;
        expect(e.message).toBe(`group us-ord/db not ready within 0.2 s: Linode ${c.ids[0]} (ready-db-1) is offline; Linode ${c.ids[1]} (ready-db-2) is offline`);
    });

    it("completes once every node is running", async () => {
        const provider = makeNodeReadinessProvider();
        for (const id of c.ids) await fetch(`${c.sim.url}/v4/linode/instances/${id}/boot`, { method: "POST", headers: { Authorization: `Bearer ${TOKEN}` } });
        const inputs = await inputsFor(provider, { group: "us-ord/db", linodeIds: c.ids, ssh: { enabled: false }, timeoutSeconds: 5, pollIntervalMs: 30, apiUrl: c.sim.url });
        const t0 = Date.now();
        const created = await provider.create(inputs);
        expect(Date.now() - t0).toBeGreaterThanOrEqual(80);
        expect(created.outs.nodes).toEqual(c.ids.map((id, i) => ({ id, label: `ready-db-${i + 1}`, address: expect.stringMatching(/^198\.18\./), ssh: "skipped", marker: "skipped" })));
        expect(c.ids.map((id) => c.sim.state.instances.get(id)?.status)).toEqual(["running", "running"]);
    });

    it("refuses a missing node and a marker it cannot check", async () => {
        const provider = makeNodeReadinessProvider();
        const missing = await inputsFor(provider, { group: "g", linodeIds: [424242], ssh: { enabled: false }, pollIntervalMs: 30, apiUrl: c.sim.url });
        await expect(provider.create(missing)).rejects.toThrow("NodeReadiness for group g: Linode 424242 does not exist");
        const needsKey = await inputsFor(provider, { group: "g", linodeIds: c.ids, ssh: { marker: "required" }, pollIntervalMs: 30, apiUrl: c.sim.url });
        await expect(provider.create(needsKey)).rejects.toThrow(/has no SSH key: set LCT_SSH_PRIVATE_KEY_FILE/);
        const bad = await provider.check!({}, { group: "", linodeIds: [1, 0], ssh: { port: 70000, user: "x y", marker: "maybe", addresses: ["a"] } });
        expect(bad.failures!.map((f) => f.property)).toEqual(["group", "linodeIds[1]", "ssh.port", "ssh.user", "ssh.marker", "ssh.addresses"]);
    });
});

describe("NodeReadiness: API faults", () => {
    // Readiness only reads (one filtered list per poll), so every fault lands on a GET.
    const FAULTS: Array<[string, FaultRule[]]> = [
        ["429 with Retry-After", [{ kind: "429", times: 2, retryAfterS: 1 }]],
        ["500 on lists", [{ kind: "500", times: 3, method: "GET", path: "/linode/instances" }]],
        ["503 anywhere", [{ kind: "503", times: 3 }]],
        ['400 "Linode busy."', [{ kind: "busy", times: 2 }]],
        ["dropped connections", [{ kind: "drop", times: 3, method: "GET" }]],
        ["latency", [{ kind: "latency", latencyMs: 40 }]],
    ];

    it.concurrent.each(FAULTS)("converges through %s, retrying each failed answer once", async (_name, faults) => {
        const c = await simWithCluster("gate", [["app", 1, 3]], "running", { token: TOKEN, faults });
        try {
            const provider = makeNodeReadinessProvider();
            const inputs = await inputsFor(provider, { group: "us-ord/app", linodeIds: c.ids, ssh: { enabled: false }, timeoutSeconds: 20, pollIntervalMs: 20, apiUrl: c.sim.url });
            const created = await provider.create(inputs);
            expect(created.outs.nodes.map((n: { id: number }) => n.id)).toEqual(c.ids);
            const stats = c.sim.stats();
            const injected = Object.values(stats.injected).reduce((a, b) => a + b, 0) - (stats.injected.latency ?? 0);
            expect(stats.requests - (stats.byStatus[200] ?? 0)).toBe(injected);
            // Running already: one successful poll is all it takes.
            expect(stats.byStatus[200]).toBe(1);
            expect(c.sim.faults.list().filter((f) => f.kind !== "latency")).toEqual([]);
        } finally {
            await c.sim.close();
        }
    });

    it("gives up on an API that keeps failing, saying what it got", async () => {
        const c = await simWithCluster("down", [["app", 1, 1]], "running", { token: TOKEN, faults: [{ kind: "503", times: 1000 }] });
        try {
            const provider = makeNodeReadinessProvider();
            const inputs = await inputsFor(provider, { group: "us-ord/app", linodeIds: c.ids, ssh: { enabled: false }, timeoutSeconds: 20, pollIntervalMs: 20, apiUrl: c.sim.url });
            const e = (await provider.create(inputs).catch((x: Error) => x)) as Error;
            expect(e.message).toBe("Linode API GET /linode/instances failed with 503: Service Unavailable (after 6 attempts)");
            // Retries are bounded: six attempts, then the error, never a poll loop over failures.
            expect(c.sim.stats().requests).toBe(6);
        } finally {
            await c.sim.close();
        }
    });
});

describe("SSH banner probe", () => {
    it("accepts an SSH identification line, even after other lines", async () => {
        const g = await greeter("hello\r\nSSH-2.0-FakeSSH_1.0\r\n");
        try {
            expect(await probeSshBanner("127.0.0.1", g.port, 1000)).toEqual({ ok: true, banner: "SSH-2.0-FakeSSH_1.0" });
        } finally {
            await g.close();
        }
    });
    it("reports a server that is not SSH, a closed port and silence", async () => {
        const web = await greeter("HTTP/1.1 400 Bad Request\r\n\r\n");
        const closedPort = await freePort();
        const silent = net.createServer(() => undefined);
        await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
        try {
            expect(await probeSshBanner("127.0.0.1", web.port, 1000)).toEqual({ ok: false, why: `127.0.0.1:${web.port} closed the connection before the SSH banner` });
            expect(await probeSshBanner("127.0.0.1", closedPort, 1000)).toEqual({ ok: false, why: `127.0.0.1:${closedPort}: ECONNREFUSED` });
            const port = (silent.address() as net.AddressInfo).port;
            expect(await probeSshBanner("127.0.0.1", port, 150)).toEqual({ ok: false, why: `no SSH banner from 127.0.0.1:${port} within 150 ms` });
        } finally {
            await web.close();
            silent.close();
        }
    });
    it("builds a key-only ssh command that checks the marker file or the journal line", () => {
        const args = sshArgs({ host: "192.0.2.7", port: 2222, user: "admin", privateKeyFile: "/k", markerFile: "/var/lib/lct/it's-done", timeoutMs: 4000 });
        expect(args).toEqual(expect.arrayContaining(["BatchMode=yes", "StrictHostKeyChecking=accept-new", "ConnectTimeout=4", "-i", "/k", "-p", "2222", "admin@192.0.2.7"]));
        expect(args[args.length - 1]).toBe(markerCommand("/var/lib/lct/it's-done"));
        expect(markerCommand("/m")).toBe("test -f '/m' || journalctl -q -t lct 2>/dev/null | grep -q 'LCT-HARDENING-COMPLETE'");
        expect(markerCommand("/a'b")).toContain("'/a'\\''b'");
    });
});

const sshSkip = missingSshBinaries();
if (sshSkip) console.warn(`NodeReadiness SSH tests skipped: ${sshSkip}`);

describe.skipIf(sshSkip !== undefined)("NodeReadiness with a real OpenSSH server", () => {
    let sshd: TestSshd;
    let c: SeededCluster;
    let markerFile: string;
    beforeAll(async () => {
        sshd = await startSshd();
        c = await simWithCluster("sshready", [["web", 1, 2]], "running", { token: TOKEN });
        markerFile = path.join(sshd.dir, "hardening-complete");
    });
    afterAll(async () => {
        await c?.sim.close();
        await sshd?.stop();
        delete process.env.LCT_SSH_PRIVATE_KEY_FILE;
        delete process.env.LCT_SSH_PRIVATE_KEY;
        delete process.env.LCT_SSH_KNOWN_HOSTS_FILE;
    });

    const sshInputs = (extra: Record<string, unknown> = {}) => ({
        group: "us-ord/web",
        linodeIds: c.ids,
        ssh: { port: sshd.port, addresses: ["127.0.0.1", "127.0.0.1"], markerFile, connectTimeoutMs: 3000, ...extra },
        pollIntervalMs: 100,
        apiUrl: c.sim.url,
    });

    it("without a key: ready as soon as SSH answers", async () => {
        const provider = makeNodeReadinessProvider();
        const created = await provider.create(await inputsFor(provider, { ...sshInputs(), timeoutSeconds: 10 }));
        expect(created.outs.nodes.map((n: { ssh: string; marker: string }) => [n.ssh, n.marker])).toEqual([
            ["ok", "skipped"],
            ["ok", "skipped"],
        ]);
    });

    it("with a key: waits for the marker, says it is missing, and completes once it appears", async () => {
        process.env.LCT_SSH_PRIVATE_KEY_FILE = sshd.clientKeyFile;
        process.env.LCT_SSH_KNOWN_HOSTS_FILE = sshd.knownHostsFile;
        const provider = makeNodeReadinessProvider();
        const early = (await provider.create(await inputsFor(provider, { ...sshInputs(), timeoutSeconds: 1.5 })).catch((x: Error) => x)) as Error;
        expect(early.message).toMatch(/^group us-ord\/web not ready within 1\.5 s: Linode \d+ \(sshready-web-1\) hardening completion marker not present yet; Linode \d+ \(sshready-web-2\) hardening completion marker not present yet$/);

        const pending = provider.create(await inputsFor(provider, { ...sshInputs(), timeoutSeconds: 20 }));
        setTimeout(() => fs.writeFileSync(markerFile, "done\n"), 300);
        const created = await pending;
        expect(created.outs.nodes.map((n: { marker: string }) => n.marker)).toEqual(["present", "present"]);
        // The host key was accepted into the known-hosts file we named (Debian hashes the host).
        expect(fs.readFileSync(sshd.knownHostsFile, "utf8")).toMatch(/ ssh-ed25519 AAAA/);
    });

    it("takes the key as text from LCT_SSH_PRIVATE_KEY and removes its temporary copy", async () => {
        delete process.env.LCT_SSH_PRIVATE_KEY_FILE;
        process.env.LCT_SSH_PRIVATE_KEY = fs.readFileSync(sshd.clientKeyFile, "utf8");
        const before = fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith("lct-ssh-"));
        const provider = makeNodeReadinessProvider();
        const created = await provider.create(await inputsFor(provider, { ...sshInputs(), timeoutSeconds: 10 }));
        expect(created.outs.nodes.map((n: { marker: string }) => n.marker)).toEqual(["present", "present"]);
        expect(fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith("lct-ssh-"))).toEqual(before);
    });

    it("through a bastion: checks the marker over ProxyCommand, never probing the node directly", async () => {
        process.env.LCT_SSH_PRIVATE_KEY_FILE = sshd.clientKeyFile;
        process.env.LCT_SSH_KNOWN_HOSTS_FILE = sshd.knownHostsFile;
        fs.writeFileSync(markerFile, "done\n");
        const jump = { host: "127.0.0.1", port: sshd.port, user: "root" };
        const provider = makeNodeReadinessProvider();
        const created = await provider.create(await inputsFor(provider, { ...sshInputs({ jump }), timeoutSeconds: 10 }));
        expect(created.outs.nodes.map((n: { ssh: string; marker: string }) => [n.ssh, n.marker])).toEqual([
            ["ok", "present"],
            ["ok", "present"],
        ]);
        // A bastion that does not answer: the nodes are never ready, and the error says why.
        const dead = await freePort();
        const e = (await provider
            .create(await inputsFor(provider, { ...sshInputs({ jump: { ...jump, port: dead } }), timeoutSeconds: 1.5 }))
            .catch((x: Error) => x)) as Error;
        expect(e.message).toMatch(/^group us-ord\/web not ready within 1\.5 s: Linode \d+ \(sshready-web-1\) ssh root@127\.0\.0\.1:\d+ failed: /);
    });

    it("through a bastion without a key: running is all it can know, and it says so", async () => {
        delete process.env.LCT_SSH_PRIVATE_KEY_FILE;
        delete process.env.LCT_SSH_PRIVATE_KEY;
        const provider = makeNodeReadinessProvider();
        // Unroutable addresses: a direct banner probe would time out.
        const inputs = { ...sshInputs({ jump: { host: "127.0.0.1", port: sshd.port } }), timeoutSeconds: 5 };
        inputs.ssh.addresses = ["192.0.2.1", "192.0.2.2"];
        const created = await provider.create(await inputsFor(provider, inputs));
        expect(created.outs.nodes.map((n: { ssh: string; marker: string }) => [n.ssh, n.marker])).toEqual([
            ["skipped", "skipped"],
            ["skipped", "skipped"],
        ]);
    });

    it("reports an SSH login that is refused", async () => {
        process.env.LCT_SSH_PRIVATE_KEY_FILE = sshd.clientKeyFile;
        const provider = makeNodeReadinessProvider();
        const e = (await provider.create(await inputsFor(provider, { ...sshInputs({ user: "nobody" }), timeoutSeconds: 1.5 })).catch((x: Error) => x)) as Error;
        expect(e.message).toMatch(/SSH nobody@127\.0\.0\.1:\d+ failed: .*Permission denied/i);
    });
});
