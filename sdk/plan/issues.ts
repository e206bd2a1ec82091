/** A problem found in a plan, located by its path in the plan (and line:column for files). */
export interface PlanIssue {
    severity: "error" | "warning";
    /** Plan path: `regions[0].nodeGroups[1].count`; "" for the plan itself. */
    path: string;
    message: string;
    /** Rule id, for documentation and tests (e.g. "schema", "catalog.region"). */
    rule: string;
    line?: number;
    column?: number;
}

export type PathSegment = string | number;

/** `["regions", 0, "nodeGroups", 1, "count"]` → `regions[0].nodeGroups[1].count`. */
export function formatPath(segments: readonly PathSegment[]): string {
    let out = "";
    for (const s of segments) {
        if (typeof s === "number") out += `[${s}]`;
        else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s)) out += out ? `.${s}` : s;
        else out += `[${JSON.stringify(s)}]`;
    }
    return out;
}

/** The inverse of formatPath, for locating issues raised with string paths. */
export function parsePath(path: string): PathSegment[] {
    const out: PathSegment[] = [];
    const re = /([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(path))) {
        if (m[1] !== undefined) out.push(m[1]);
        else if (m[2] !== undefined) out.push(Number(m[2]));
        else out.push(JSON.parse(m[3]!) as string);
    }
    return out;
}

/**
 * A value from the plan, quoted for a message: JSON-escaped (a newline must not break the
 * one-line format) and shortened when long (a 1 MB key is echoed as its start).
 */
export function quote(text: string, max = 64): string {
    return JSON.stringify(text.length > max ? `${text.slice(0, max - 1)}…` : text);
}

/** Rewrites every indexed plan path in a message (`first at regions[0].nodeGroups[1].name`). */
export function rewritePaths(message: string, fn: (path: string) => string): string {
    return message.replace(/(?<![\w$.\]])[A-Za-z_$][\w$]*(?:\[\d+\]|\.[A-Za-z_$][\w$]*)*\[\d+\](?:\[\d+\]|\.[A-Za-z_$][\w$]*)*/g, fn);
}

export function error(rule: string, path: string, message: string): PlanIssue {
    return { severity: "error", rule, path, message };
}

export function warning(rule: string, path: string, message: string): PlanIssue {
    return { severity: "warning", rule, path, message };
}

/** One line per issue: `plan.yaml:12:7: error: regions[0].count: must be at least 1`. */
export function formatIssue(issue: PlanIssue, file?: string): string {
    const where = [file, issue.line, issue.column].filter((x) => x !== undefined).join(":");
    const prefix = where ? `${where}: ` : "";
    const path = issue.path ? `${issue.path}: ` : "";
    return `${prefix}${issue.severity}: ${path}${issue.message}`;
}

/** Errors first, then by position, then by path; stable for tests and humans alike. */
export function sortIssues(issues: readonly PlanIssue[]): PlanIssue[] {
    return [...issues].sort(
        (a, b) =>
            (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1) ||
            (a.line ?? Infinity) - (b.line ?? Infinity) ||
            (a.column ?? 0) - (b.column ?? 0) ||
            a.path.localeCompare(b.path) ||
            a.message.localeCompare(b.message),
    );
}
