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
    /** `lct:readiness`: true, or `{sshUser, timeoutSeconds, marker}` (LinodeClusterArgs.readiness). */
    readiness?: ReadinessSetting;
}

export type ReadinessSetting = boolean | { sshUser?: string; timeoutSeconds?: number; marker?: "auto" | "required" | "skip" };

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
    const readiness = readReadiness(config);
    return {
        ...(readiness === undefined ? {} : { readiness }),
        ...(plan ? { plan } : {}),
        ...(template ? { template } : {}),
        ...(parameters ? { parameters } : {}),
        power,
        ...(keys ? { adminPublicKeys: keys } : {}),
        ...(config.get("adminPrivateKey") !== undefined ? { hasAdminPrivateKey: true } : {}),
        memberSync,
    };
}

const READINESS_KEYS = ["sshUser", "timeoutSeconds", "marker"];

function readReadiness(config: ConfigGetter): ReadinessSetting | undefined {
    const raw = config.getObject<unknown>("readiness");
    if (raw === undefined || typeof raw === "boolean") return raw;
    const bad = (why: string): never => {
        throw new Error(`lct:readiness ${why}: set true, false or an object {sshUser, timeoutSeconds, marker}`);
    };
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return bad(`must be a boolean or an object, not ${JSON.stringify(raw)}`);
    const r = raw as Record<string, unknown>;
    const unknown = Object.keys(r).filter((k) => !READINESS_KEYS.includes(k));
    if (unknown.length > 0) bad(`has unknown key${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}`);
    if (r.sshUser !== undefined && typeof r.sshUser !== "string") bad("sshUser must be a user name");
    if (r.timeoutSeconds !== undefined && !(typeof r.timeoutSeconds === "number" && r.timeoutSeconds > 0)) bad("timeoutSeconds must be a positive number");
    if (r.marker !== undefined && !["auto", "required", "skip"].includes(r.marker as string)) bad('marker must be "auto", "required" or "skip"');
    return r as ReadinessSetting;
}

/** The project directory: where Pulumi.yaml is (the program runs from there). */
export function projectPath(file: string, cwd = process.cwd()): string {
    return path.isAbsolute(file) ? file : path.join(cwd, file);
}
