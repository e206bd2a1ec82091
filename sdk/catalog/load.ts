import * as fs from "node:fs";
import { z } from "zod";
import type { Catalog } from "./types";
import bundledJson from "./bundled.json";

const price = z.object({ monthly: z.number().nullable(), hourly: z.number().nullable() });

/** Shape check for catalogue files (bundled, refreshed, or given with --catalog / LCT_CATALOG). */
export const catalogSchema = z.object({
    source: z.string(),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    regions: z.array(
        z.object({
            id: z.string().min(1),
            label: z.string(),
            country: z.string(),
            capabilities: z.array(z.string()),
            siteType: z.string(),
            maxLinodesPerPlacementGroup: z.number().int().positive(),
            vpcIndex: z.number().int().min(1).max(254),
        }),
    ).min(1),
    types: z.array(
        z.object({
            id: z.string().min(1),
            label: z.string(),
            class: z.string(),
            vcpus: z.number(),
            memoryMb: z.number(),
            diskMb: z.number(),
            transferGb: z.number(),
            price,
            regionPrices: z.array(price.extend({ id: z.string() })),
            backupsMonthly: z.number().nullable(),
        }),
    ).min(1),
    images: z.array(
        z.object({
            id: z.string().min(1),
            label: z.string(),
            vendor: z.string(),
            capabilities: z.array(z.string()),
            deprecated: z.boolean(),
            eol: z.string().optional(),
        }),
    ).min(1),
    prices: z.object({
        volumeGbMonthly: z.number(),
        volumeGbHourly: z.number(),
        volumeRegionGbMonthly: z.record(z.string(), z.number()),
        nodeBalancerMonthly: z.number(),
        nodeBalancerHourly: z.number(),
        nodeBalancerRegionMonthly: z.record(z.string(), z.number()),
    }),
});

/**
 * The catalogue shipped with LCT. Not checked against catalogSchema here: that took a good part
 * of every `lct` command's start (zod compiles the schema on its first use), for a file that
 * ships with the code — test/plan/bundled-catalog.test.ts checks it instead.
 */
export const bundledCatalog: Catalog = bundledJson as Catalog;

/** Reads a catalogue file, or explains in one line why it cannot be used. */
export function readCatalogFile(file: string): Catalog {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new Error(`cannot read catalogue ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (e) {
        throw new Error(`catalogue ${file} is not valid JSON: ${(e as Error).message}`);
    }
    const parsed = catalogSchema.safeParse(json);
    if (!parsed.success) {
        const first = parsed.error.issues[0];
        throw new Error(`catalogue ${file} is malformed at ${first?.path.join(".") || "(root)"}: ${first?.message}`);
    }
    return parsed.data;
}

/** Where `lct catalog refresh` writes by default: `$XDG_CONFIG_HOME/lct/catalog.json` (or ~/.config). */
export function userCatalogPath(env: NodeJS.ProcessEnv): string | undefined {
    const base = env.XDG_CONFIG_HOME || (env.HOME ? require("node:path").join(env.HOME, ".config") : undefined);
    return base ? require("node:path").join(base, "lct", "catalog.json") : undefined;
}

/** The catalogue to use: an explicit file, else LCT_CATALOG, else a refreshed user catalogue, else the bundled one. */
export function resolveCatalog(opts: { file?: string; env?: NodeJS.ProcessEnv } = {}): Catalog {
    const file = opts.file ?? opts.env?.LCT_CATALOG;
    if (file) return readCatalogFile(file);
    const user = opts.env ? userCatalogPath(opts.env) : undefined;
    return user && fs.existsSync(user) ? readCatalogFile(user) : bundledCatalog;
}
