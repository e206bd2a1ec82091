import type { ParameterSpec } from "./format";

/**
 * Static checks of a template's plan body, on every branch (rendering with the defaults only
 * visits the branches the defaults take): every `${name}` names a parameter or an `$each`
 * variable in scope, `$each` runs over a list parameter, and every `$if` condition names a
 * boolean, or compares an enum with one of its values. Returns messages; empty when fine.
 */
export function checkTemplateBody(body: unknown, parameters: Readonly<Record<string, ParameterSpec>>): string[] {
    const problems: string[] = [];
    walk(body, new Set(), "", parameters, problems);
    return problems;
}

const REFERENCE = /\$\$\{|\$\{([^}]*)\}/g;
const CONDITION = /^(?:not\s+(\w+)|(\w+)\s*(==|!=)\s*(\S+)|(\w+))$/;
const LIST_TYPES = new Set(["regions", "cidrs"]);

function walk(v: unknown, loopVars: ReadonlySet<string>, path: string, params: Readonly<Record<string, ParameterSpec>>, problems: string[]): void {
    const at = (p: string) => `plan${p ? `.${p}` : ""}`;
    if (typeof v === "string") {
        for (const m of v.matchAll(REFERENCE)) {
            if (m[0] === "$${") continue;
            const name = m[1]!;
            if (!(name in params) && !loopVars.has(name)) problems.push(`${at(path)}: \${${name}} names no parameter`);
            else if (name in params && LIST_TYPES.has(params[name]!.type) && v !== m[0]) problems.push(`${at(path)}: list parameter ${name} used inside text`);
        }
        return;
    }
    if (Array.isArray(v)) {
        v.forEach((item, i) => {
            const p = `${path}[${i}]`;
            if (item && typeof item === "object" && !Array.isArray(item) && "$each" in item) {
                const each = item as Record<string, unknown>;
                const over = each.$each;
                if (typeof over !== "string" || params[over]?.type !== "regions") problems.push(`${at(p)}: $each needs a list parameter, got ${JSON.stringify(over)}`);
                const variable = typeof each.as === "string" ? each.as : undefined;
                if (!variable) problems.push(`${at(p)}: $each needs \`as: <variable>\``);
                else if (variable in params) problems.push(`${at(p)}: $each variable ${variable} hides a parameter`);
                walk(each.do, variable ? new Set([...loopVars, variable]) : loopVars, `${p}.do`, params, problems);
                return;
            }
            walk(item, loopVars, p, params, problems);
        });
        return;
    }
    if (v && typeof v === "object") {
        for (const [key, child] of Object.entries(v as Record<string, unknown>)) {
            const p = path ? `${path}.${key}` : key;
            if (key === "$if") checkCondition(child, at(p), params, problems);
            else if (key.startsWith("$")) problems.push(`${at(p)}: unknown construct ${key}`);
            else walk(child, loopVars, p, params, problems);
        }
    }
}

function checkCondition(c: unknown, where: string, params: Readonly<Record<string, ParameterSpec>>, problems: string[]): void {
    const m = typeof c === "string" ? CONDITION.exec(c.trim()) : null;
    if (!m) {
        problems.push(`${where}: malformed condition ${JSON.stringify(c)}`);
        return;
    }
    const flag = m[1] ?? m[5];
    if (flag !== undefined) {
        if (params[flag]?.type !== "boolean") problems.push(`${where}: ${flag} is not a boolean parameter`);
        return;
    }
    const spec = params[m[2]!];
    if (!spec) problems.push(`${where}: ${m[2]} names no parameter`);
    else if (spec.type === "enum" && !spec.values.includes(m[4]!)) problems.push(`${where}: ${m[2]} is never ${m[4]} (values: ${spec.values.join(", ")})`);
}
