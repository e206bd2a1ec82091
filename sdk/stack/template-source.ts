import * as fs from "node:fs";
import * as path from "node:path";
import type { PlanSource } from "../plan/resolve-plan";

/** Bundled templates live in templates/ at the package root. */
export const TEMPLATES_DIR = path.join(__dirname, "..", "..", "templates");

/** The plan of a bundled template. Parameters are applied by the template engine when present. */
export function templatePlan(name: string, parameters: Record<string, unknown>): PlanSource {
    const file = path.join(TEMPLATES_DIR, `${name}.yaml`);
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name) || !fs.existsSync(file)) {
        const known = fs.readdirSync(TEMPLATES_DIR).filter((f) => f.endsWith(".yaml")).map((f) => f.slice(0, -5));
        throw new Error(`unknown template "${name}"; bundled templates: ${known.join(", ")}`);
    }
    if (Object.keys(parameters).length > 0) throw new Error(`template "${name}" takes no parameters`);
    return file;
}
