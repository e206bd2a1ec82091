import type { CliIO } from "./io";

/**
 * Progress of a long build on standard error: a bar on a terminal (cli-progress), else a line
 * at every quarter, so logs stay short.
 */
export function progressReporter(io: CliIO, label: string): { update(done: number, total: number): void; stop(): void } {
    if (io.errIsTTY) {
        const { SingleBar, Presets } = require("cli-progress") as typeof import("cli-progress");
        const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total}`, stream: process.stderr, clearOnComplete: true }, Presets.shades_classic);
        let started = false;
        return {
            update(done, total) {
                if (!started) bar.start(total, 0);
                started = true;
                bar.setTotal(total);
                bar.update(done);
            },
            stop: () => started && bar.stop(),
        };
    }
    let lastQuarter = -1;
    return {
        update(done, total) {
            const quarter = Math.floor((done / total) * 4);
            if (quarter > lastQuarter) {
                lastQuarter = quarter;
                io.err(`${label}: ${done}/${total}`);
            }
        },
        stop: () => undefined,
    };
}
