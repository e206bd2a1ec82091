import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        // Dynamic providers serialize their closures; worker threads break that (trace_events).
        pool: "forks",
        include: ["test/**/*.test.ts"],
        testTimeout: 30_000,
        hookTimeout: 60_000,
    },
});
