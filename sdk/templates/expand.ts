import type { ParameterValue } from "./parameters";

/**
 * Structured substitution on a parsed YAML value — never text templating of YAML, so a value
 * can never inject keys or break quoting:
 *
 * - a string that is exactly `${name}` takes the parameter's typed value (a number stays a
 *   number, a list stays a list);
 * - other strings interpolate scalars: `"${region}/kafka"`; `$${` writes a literal `${`;
 * - a mapping with `$if: <condition>` (and no `then`) is kept without the `$if` key when the
 *   condition holds, and dropped (from its list or mapping) when it does not;
 * - `{ $if: <condition>, then: A, else: B }` is A or B (no `else`: dropped);
 * - a list element `{ $each: <list parameter>, as: <variable>, do: <element> }` becomes one
 *   element per item, with `${<variable>}` bound to the item.
 *
 * Conditions: `<boolean>`, `not <boolean>`, `<name> == <value>`, `<name> != <value>`.
 */

export type Scope = Readonly<Record<string, ParameterValue>>;

/** A reference or construct that cannot be expanded; `path` is where, in the plan body. */
export class ExpansionError extends Error {
    constructor(
        public readonly path: string,
        message: string,
    ) {
        super(`${path ? `plan.${path}` : "plan"}: ${message}`);
        this.name = "ExpansionError";
    }
}

const WHOLE_REFERENCE = /^\$\{([A-Za-z][A-Za-z0-9_]*)\}$/;
const REFERENCE = /\$\$\{|\$\{([A-Za-z][A-Za-z0-9_]*)\}/g;
const DROP = Symbol("drop");

type Value = unknown;

const isMapping = (v: Value): v is Record<string, Value> => typeof v === "object" && v !== null && !Array.isArray(v);
const join = (path: string, key: string | number): string => (typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key);

export function expand(body: Value, scope: Scope): Value {
    const out = expandValue(body, scope, "");
    return out === DROP ? undefined : out;
}

function expandValue(v: Value, scope: Scope, path: string): Value | typeof DROP {
    if (typeof v === "string") return expandString(v, scope, path);
    if (Array.isArray(v)) return expandList(v, scope, path);
    if (isMapping(v)) {
        if ("$each" in v) throw new ExpansionError(path, "$each is only allowed as a list element");
        if ("$if" in v) {
            const holds = condition(v.$if, scope, join(path, "$if"));
            if ("then" in v) {
                const extra = Object.keys(v).filter((k) => !["$if", "then", "else"].includes(k));
                if (extra.length > 0) throw new ExpansionError(path, `a conditional value has only $if, then and else, not ${extra.join(", ")}`);
                if (holds) return expandValue(v.then, scope, join(path, "then"));
                return "else" in v ? expandValue(v.else, scope, join(path, "else")) : DROP;
            }
            if (!holds) return DROP;
        }
        const out: Record<string, Value> = {};
        for (const [key, child] of Object.entries(v)) {
            if (key === "$if") continue;
            if (key.startsWith("$")) throw new ExpansionError(join(path, key), `unknown construct ${key} (known: $if, $each)`);
            const e = expandValue(child, scope, join(path, key));
            if (e !== DROP) out[key] = e;
        }
        return out;
    }
    return v;
}

function expandList(list: readonly Value[], scope: Scope, path: string): Value[] {
    const out: Value[] = [];
    list.forEach((item, i) => {
        const at = join(path, i);
        if (isMapping(item) && "$each" in item) {
            const extra = Object.keys(item).filter((k) => !["$each", "as", "do"].includes(k));
            if (extra.length > 0) throw new ExpansionError(at, `$each takes as and do, not ${extra.join(", ")}`);
            const over = item.$each;
            const variable = item.as;
            if (typeof over !== "string" || !Array.isArray(scope[over])) throw new ExpansionError(at, `$each needs the name of a list parameter, got ${JSON.stringify(over)}`);
            if (typeof variable !== "string" || !/^[A-Za-z][A-Za-z0-9_]*$/.test(variable)) throw new ExpansionError(at, "$each needs `as: <variable name>`");
            if (variable in scope) throw new ExpansionError(at, `$each variable ${variable} hides a parameter of the same name`);
            if (!("do" in item)) throw new ExpansionError(at, "$each needs `do: <element>`");
            for (const value of scope[over] as string[]) {
                const e = expandValue(item.do, { ...scope, [variable]: value }, join(at, "do"));
                if (e !== DROP) out.push(e);
            }
            return;
        }
        const e = expandValue(item, scope, at);
        if (e !== DROP) out.push(e);
    });
    return out;
}

function expandString(s: string, scope: Scope, path: string): Value {
    const whole = WHOLE_REFERENCE.exec(s);
    if (whole) return lookup(whole[1]!, scope, path);
    return s.replace(REFERENCE, (match, name: string | undefined) => {
        if (match === "$${") return "${";
        const value = lookup(name!, scope, path);
        if (Array.isArray(value)) throw new ExpansionError(path, `\${${name}} is a list: use it as the whole value ("\${${name}}") or in $each, not inside text`);
        return String(value);
    });
}

function lookup(name: string, scope: Scope, path: string): ParameterValue {
    const value = scope[name];
    if (value === undefined) throw new ExpansionError(path, `\${${name}} names no parameter (known: ${Object.keys(scope).join(", ")})`);
    // A copy: the rendered plan must not share lists with the parameters (or with itself).
    return Array.isArray(value) ? [...value] : value;
}

const CONDITION = /^(?:(not)\s+([A-Za-z][A-Za-z0-9_]*)|([A-Za-z][A-Za-z0-9_]*)\s*(==|!=)\s*(\S+)|([A-Za-z][A-Za-z0-9_]*))$/;

function condition(c: Value, scope: Scope, path: string): boolean {
    const m = typeof c === "string" ? CONDITION.exec(c.trim()) : null;
    if (!m) throw new ExpansionError(path, `a condition is "<flag>", "not <flag>", "<name> == <value>" or "<name> != <value>", got ${JSON.stringify(c)}`);
    const flag = (name: string): boolean => {
        const v = lookup(name, scope, path);
        if (typeof v !== "boolean") throw new ExpansionError(path, `${name} is not a boolean parameter; compare it: "${name} == <value>"`);
        return v;
    };
    if (m[2] !== undefined) return !flag(m[2]);
    if (m[6] !== undefined) return flag(m[6]);
    const v = lookup(m[3]!, scope, path);
    if (Array.isArray(v)) throw new ExpansionError(path, `${m[3]} is a list and cannot be compared`);
    const equal = String(v) === m[5];
    return m[4] === "==" ? equal : !equal;
}
