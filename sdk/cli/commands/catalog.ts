import type { Command } from "commander";
import { bundledCatalog, catalogSchema, readCatalogFile, userCatalogPath } from "../../catalog/load";
// Static, so that the command runs under vitest too (its runner cannot require() TypeScript); loads no packages.
import { refreshCatalog } from "../../catalog/refresh";
import type { Catalog } from "../../catalog/types";
import type { CliContext } from "../context";
import { CliError, EXIT_USAGE } from "../io";
import { catalogFor, PlanOptions } from "../plan-argument";

export function register(program: Command, ctx: CliContext): void {
    const catalog = program.command("catalog").description("the offline Linode catalogue: regions, types, images and prices");
    const list = (name: string, description: string, rows: (c: ReturnType<typeof catalogFor>) => Array<Record<string, unknown>>, text: (r: Record<string, unknown>) => string) =>
        catalog
            .command(name)
            .description(description)
            .option("--json", "as JSON")
            .option("--catalog <file>", "read this catalogue instead (or set LCT_CATALOG)")
            .action((opts: PlanOptions & { json?: boolean }) => {
                const c = catalogFor(opts, ctx);
                const items = rows(c);
                if (opts.json) ctx.io.out(JSON.stringify(items, null, 2));
                else {
                    for (const r of items) ctx.io.out(text(r));
                    ctx.io.out(`(${items.length} ${name}; catalogue of ${c.date})`);
                }
            });
    list("regions", "regions and their capabilities", (c) => c.regions as unknown as Array<Record<string, unknown>>, (r) =>
        `${String(r.id).padEnd(14)} ${String(r.label).padEnd(18)} ${(r.capabilities as string[]).join(", ")}`);
    list("types", "Linode plan types with specs and prices", (c) => c.types as unknown as Array<Record<string, unknown>>, (t) => {
        const p = t.price as { monthly: number | null };
        return `${String(t.id).padEnd(18)} ${String(t.class).padEnd(10)} ${String(t.vcpus).padStart(3)} vCPU ${String(Number(t.memoryMb) / 1024).padStart(4)} GB  ${p.monthly === null ? "price unknown" : `$${p.monthly}/month`}`;
    });
    list("images", "public images and their cloud-init support", (c) => c.images as unknown as Array<Record<string, unknown>>, (i) =>
        `${String(i.id).padEnd(34)} ${(i.capabilities as string[]).includes("cloud-init") ? "cloud-init" : "no cloud-init (use configMethod: stackscript)"}${i.eol ? `  EOL ${String(i.eol)}` : ""}`);

    catalog
        .command("refresh")
        .description("replace the catalogue from the live Linode API (needs LINODE_TOKEN; honours LINODE_URL)")
        .option("--out <file>", "where to write it (default: $XDG_CONFIG_HOME/lct/catalog.json, used automatically)")
        .action(async (opts: { out?: string }) => {
            const env = ctx.io.env;
            if (!env.LINODE_TOKEN) throw new CliError("LINODE_TOKEN is not set: create a personal access token in Cloud Manager and export it", EXIT_USAGE);
            const out = opts.out ?? userCatalogPath(env);
            if (!out) throw new CliError("no --out given and no HOME/XDG_CONFIG_HOME to write to", EXIT_USAGE);
            const fs = require("node:fs") as typeof import("node:fs");
            const path = require("node:path") as typeof import("node:path");
            const target = path.resolve(ctx.io.cwd, out);
            // The catalogue being replaced fixes the VPC index of regions it already numbered (default
            // subnets must never move); the bundled one is the start when there is none.
            let previous: Catalog = bundledCatalog;
            try {
                if (fs.existsSync(target)) previous = readCatalogFile(target);
            } catch {
                // Unreadable: replaced from the bundled numbering.
            }
            const fresh = await refreshCatalog({ env, previous });
            // Never write a catalogue that every later command would refuse to read.
            const usable = catalogSchema.safeParse(fresh);
            if (!usable.success) {
                const first = usable.error.issues[0];
                throw new CliError(`the API's answer does not make a usable catalogue (${first?.path.join(".") || "(root)"}: ${first?.message}); ${out} is unchanged`, EXIT_USAGE);
            }
            fs.mkdirSync(path.dirname(target), { recursive: true });
            fs.writeFileSync(target, JSON.stringify(fresh, null, 2) + "\n");
            ctx.io.out(`wrote ${out}: ${fresh.regions.length} regions, ${fresh.types.length} types, ${fresh.images.length} images (${fresh.date})`);
        });
}
