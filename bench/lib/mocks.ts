import * as pulumi from "@pulumi/pulumi";
import { PerformanceObserver } from "node:perf_hooks";

/**
 * The mock runtime both sides of benchmark 1 run under: Pulumi's own `setMocks` (an update, not
 * a preview, so every id and address resolves and every `apply` runs), answering each
 * registration with its inputs plus what the provider would compute. Identical for the plain
 * loop and LinodeCluster; it counts what it answered so a run can check that nothing is pending.
 */
export interface MockCounts {
    custom: number;
    components: number;
}

export async function installBenchMocks(): Promise<MockCounts> {
    const counts: MockCounts = { custom: 0, components: 0 };
    let nextId = 10000;
    await pulumi.runtime.setMocks(
        {
            newResource: (a) => {
                const id = nextId++;
                if (a.custom) counts.custom++;
                else counts.components++;
                return { id: a.custom ? String(id) : undefined, state: { ...a.inputs, ...computed(a.type, a.inputs, id) } };
            },
            call: (a) => a.inputs,
        },
        "lct-bench",
        "bench",
        false,
    );
    return counts;
}

function computed(type: string, inputs: Record<string, unknown>, id: number): Record<string, unknown> {
    if (type === "linode:index/instance:Instance") {
        const ip = `45.${(id >> 16) & 255}.${(id >> 8) & 255}.${id & 255}`;
        return {
            ipAddress: ip,
            privateIpAddress: inputs.privateIp ? `192.168.${((id >> 8) & 127) | 128}.${id & 255}` : "",
            ipv6: `2600:3c00::${id.toString(16)}/128`,
            ipv4s: [ip],
            status: "running",
        };
    }
    if (type === "random:index/randomPassword:RandomPassword") return { result: `Bench-Pass-${id}-!xY9` };
    if (type === "tls:index/privateKey:PrivateKey") {
        return {
            publicKeyOpenssh: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJ0bFHIi1s9mRX5lQlUqkZs3Rg2dWvyqOe6S5WRrD0e generated\n",
            privateKeyOpenssh: "-----BEGIN OPENSSH PRIVATE KEY-----\nbench\n-----END OPENSSH PRIVATE KEY-----\n",
            privateKeyPem: "-----BEGIN PRIVATE KEY-----\nbench\n-----END PRIVATE KEY-----\n",
        };
    }
    return {};
}

/** Resolves once Pulumi has no outstanding RPC: every registration answered, every output registered. */
export async function waitForRpcs(): Promise<void> {
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
}

/** What a benchmark child prints on its last line, for the parent to collect. */
export interface BuildResult {
    mode: string;
    n: number;
    /** Process start → just before the first `new` (Node start, module loading, reading input). */
    startupMs: number;
    /** First `new` → every output settled and every registration answered. */
    buildMs: number;
    /** Of buildMs: the synchronous part (the constructor / the loop), before the first yield. */
    syncMs: number;
    customResources: number;
    componentResources: number;
    /** CPU time (user + system, all threads incl. GC helpers) over buildMs: less sensitive to a busy machine. */
    cpuMs: number;
    /** Time in garbage collection pauses over buildMs (PerformanceObserver "gc" entries). */
    gcMs: number;
    /** process.resourceUsage().maxRSS, MiB (the parent also reads /usr/bin/time). */
    maxRssMiB: number;
    stackTraceLimit: number;
}

export function printResult(r: BuildResult): void {
    console.log("RESULT " + JSON.stringify(r));
}

export function maxRssMiB(): number {
    return process.resourceUsage().maxRSS / 1024;
}

/** Starts the clock: wall time, CPU time and GC pauses from now. */
export function startClock(): { t0: number; stop(): Promise<{ ms: number; cpuMs: number; gcMs: number }> } {
    let gcMs = 0;
    const obs = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) gcMs += e.duration;
    });
    obs.observe({ entryTypes: ["gc"] });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    return {
        t0,
        async stop() {
            const ms = performance.now() - t0;
            const cpu = process.cpuUsage(cpu0);
            // Node creates "gc" entries on a later turn of the event loop (a synchronous loop
            // gives it none): let it, then collect what has not been delivered yet.
            await new Promise((resolve) => setImmediate(resolve));
            await new Promise((resolve) => setTimeout(resolve, 10));
            for (const e of obs.takeRecords()) gcMs += e.duration;
            obs.disconnect();
            return { ms, cpuMs: (cpu.user + cpu.system) / 1000, gcMs };
        },
    };
}
