/**
 * `lct sim`: runs the Linode API simulator in the foreground, so anyone can point tools at a
 * fake Linode (`LINODE_URL=http://127.0.0.1:8080 LINODE_TOKEN=anything`).
 */
import type { Command } from "commander";
// Imported statically so the command also runs under vitest (its module runner cannot
// require() TypeScript); the simulator loads no Pulumi code.
import { FAULT_KINDS, parseFaultSpec, startSimulator } from "../../../sim";
import { seedDemoCluster } from "../../../sim/demo";
import type { CliContext } from "../context";
import { CliError } from "../io";

export interface SimCommandOptions {
    port: string;
    host: string;
    bootMs: string;
    provisionMs: string;
    shutdownMs: string;
    fault: string[];
    seed: string;
    token?: string;
    rateLimits: boolean;
    demo?: string;
    verbose?: boolean;
}

function intOption(name: string, value: string, min: number, max: number): number {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
        throw new CliError(`--${name} must be a whole number from ${min} to ${max}, not "${value}"`);
    }
    return Number(value);
}

/** Resolves when the process is asked to stop (Ctrl+C, SIGTERM), then stops listening. */
function untilStopped(): Promise<void> {
    return new Promise((resolve) => {
        const done = (): void => {
            process.off("SIGINT", done);
            process.off("SIGTERM", done);
            resolve();
        };
        process.on("SIGINT", done);
        process.on("SIGTERM", done);
    });
}

/** Runs until `stop` resolves (by default: until Ctrl+C or SIGTERM). */
export async function runSim(opts: SimCommandOptions, ctx: CliContext, stop?: Promise<void>): Promise<void> {
    const port = intOption("port", opts.port, 0, 65535);
    const bootMs = intOption("boot-ms", opts.bootMs, 0, 3_600_000);
    const provisionMs = intOption("provision-ms", opts.provisionMs, 0, 3_600_000);
    const shutdownMs = intOption("shutdown-ms", opts.shutdownMs, 0, 3_600_000);
    const seed = intOption("seed", opts.seed, 0, 2 ** 31);
    let faults;
    try {
        faults = opts.fault.map(parseFaultSpec);
    } catch (e) {
        throw new CliError((e as Error).message);
    }
    const { io } = ctx;
    let sim;
    try {
        sim = await startSimulator({
            port,
            host: opts.host,
            bootMs,
            timings: { provisionMs, shutdownMs },
            faults,
            seed,
            rateLimits: opts.rateLimits,
            ...(opts.token ? { token: opts.token } : {}),
            ...(opts.verbose ? { log: (line: string) => io.err(line) } : {}),
        });
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new CliError(code === "EADDRINUSE" ? `port ${port} is in use; pick another with --port (0 = any free port)` : (e as Error).message);
    }
    const seeded = opts.demo ? seedDemoCluster(sim, opts.demo) : 0;
    io.out(`Linode API simulator listening on ${sim.url} (API v4 and v4beta)`);
    io.out("Point tools at it:");
    io.out(`  export LINODE_URL=${sim.url} LINODE_TOKEN=${opts.token ?? "anything"}`);
    io.out(`  pulumi config set linode:url ${sim.url} && pulumi config set --secret linode:token ${opts.token ?? "anything"}`);
    io.out(
        `Boot ${bootMs} ms, provision ${provisionMs} ms, shutdown ${shutdownMs} ms; ` +
            `rate limits ${opts.rateLimits ? "as Linode documents them" : "off"}; ` +
            `faults: ${opts.fault.length ? opts.fault.join(" | ") : "none"}`,
    );
    if (seeded) io.out(`Seeded cluster "${opts.demo}" (${seeded} nodes, stopped): try \`lct cluster start ${opts.demo}\``);
    io.out("Press Ctrl+C to stop.");
    await (stop ?? untilStopped());
    const s = sim.stats();
    await sim.close();
    io.out(`Simulator stopped after ${s.requests} requests (${s.rateLimited} answered 429).`);
}

export function register(program: Command, ctx: CliContext): void {
    program
        .command("sim")
        .description("run the stateful Linode API simulator (point LINODE_URL at it)")
        .option("--port <port>", "port to listen on (0: any free port)", "8080")
        .option("--host <address>", "address to listen on", "127.0.0.1")
        .option("--boot-ms <ms>", "boot latency of each Linode (booting → running)", "3000")
        .option("--provision-ms <ms>", "provisioning time of a new Linode", "2000")
        .option("--shutdown-ms <ms>", "shutdown time (shutting_down → offline)", "2000")
        .option(
            "--fault <spec>",
            `inject faults, repeatable: kind[,p=0.1][,times=N][,path=/glob][,method=M][,retry-after=S][,ms=N]; kinds ${FAULT_KINDS.join(" ")}`,
            (value: string, all: string[]) => [...all, value],
            [] as string[],
        )
        .option("--seed <n>", "seed of the fault dice", "1")
        .option("--token <token>", "accept only this token (default: any non-empty token)")
        .option("--no-rate-limits", "do not enforce Linode's documented rate limits")
        .option("--demo <cluster>", "seed a stopped demo cluster of 7 nodes in 3 boot orders")
        .option("--verbose", "log every request to standard error")
        .action(async (opts: SimCommandOptions) => {
            await runSim(opts, ctx);
        });
}
