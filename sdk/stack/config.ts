import * as path from "node:path";

/** What the root stack needs from its config, read through a getter so it can be tested without Pulumi. */
export interface StackSettings {
    /** A plan file (relative paths are relative to the project directory). */
    plan?: string;
    /** A bundled template name, with parameter overrides. */
    template?: string;
    parameters?: Record<string, unknown>;
    power?: "running" | "stopped";
    adminPublicKeys?: string[];
    /** Whether lct:adminPrivateKey is set (its value is read as a secret by the program). */
    hasAdminPrivateKey?: boolean;
    memberSync?: "auto" | "off";
}

export type ConfigGetter = { get(key: string): string | undefined; getObject<T>(key: string): T | undefined };

export function readStackSettings(config: ConfigGetter): StackSettings {
    const plan = config.get("plan");
    const template = config.get("template");
    if (plan && template) throw new Error("set either lct:plan or lct:template, not both");
    if (!plan && !template) {
        throw new Error("no cluster plan: set lct:plan to a plan file (pulumi config set lct:plan ./plan.yaml) or lct:template to a bundled template (lct templates list)");
    }
    const power = config.get("power") ?? "running";
    if (power !== "running" && power !== "stopped") throw new Error(`lct:power must be "running" or "stopped", not "${power}"`);
    const parameters = config.getObject<Record<string, unknown>>("parameters");
    const keys = config.getObject<string[]>("adminPublicKeys");
    const memberSync = config.get("memberSync") ?? "auto";
    if (memberSync !== "auto" && memberSync !== "off") throw new Error(`lct:memberSync must be "auto" or "off", not "${memberSync}"`);
    return {
        ...(plan ? { plan } : {}),
        ...(template ? { template } : {}),
        ...(parameters ? { parameters } : {}),
        power,
        ...(keys ? { adminPublicKeys: keys } : {}),
        ...(config.get("adminPrivateKey") !== undefined ? { hasAdminPrivateKey: true } : {}),
        memberSync,
    };
}

/** The project directory: where Pulumi.yaml is (the program runs from there). */
export function projectPath(file: string, cwd = process.cwd()): string {
    return path.isAbsolute(file) ? file : path.join(cwd, file);
}
