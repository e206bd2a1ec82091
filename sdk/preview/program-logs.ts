import type { PlanIssue } from "../plan/issues";
import type { EngineLog } from "./mock-runtime";
import { shortType } from "./resource-summary";

/**
 * The program's own warnings and errors (pulumi.log.warn / log.error, e.g. LinodeCluster's "no
 * admin private key"), as report entries: in `pulumi up` the engine shows them as diagnostics,
 * so the preview lists them with the plan's warnings, located by the resource they are about.
 */
export function programLogIssues(logs: readonly EngineLog[]): PlanIssue[] {
    return logs
        .filter((l): l is EngineLog & { severity: "warning" | "error" } => l.severity === "warning" || l.severity === "error")
        .map((l) => ({ severity: l.severity, rule: "program.log", path: resourceOf(l.urn), message: l.message.trim() }));
}

/** `urn:pulumi:s::p::lct:index:LinodeCluster$lct:index:Region::shop-us-ord` → `Region shop-us-ord`. */
function resourceOf(urn: string): string {
    const parts = urn.split("::");
    if (parts.length < 4) return "";
    const types = parts[2]!.split("$");
    return `${shortType(types[types.length - 1]!)} ${parts.slice(3).join("::")}`;
}
