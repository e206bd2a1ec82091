/**
 * `--set key=value` arguments as strings by parameter name. Values are typed later by the
 * parameter's declared type (coerceParameter): `brokers=5`, `bootstrap=true`,
 * `regions=us-ord,us-iad`. The value is everything after the first `=` and may be empty.
 */
export function parseSetArguments(args: readonly string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const arg of args) {
        const eq = arg.indexOf("=");
        if (eq <= 0) throw new SetArgumentError(`--set ${JSON.stringify(arg)}: expected key=value, e.g. --set brokers=5`);
        const key = arg.slice(0, eq).trim();
        if (!/^[A-Za-z][A-Za-z0-9]*$/.test(key)) throw new SetArgumentError(`--set ${JSON.stringify(arg)}: "${key}" is not a parameter name`);
        if (Object.prototype.hasOwnProperty.call(out, key)) throw new SetArgumentError(`--set ${key} is given twice`);
        out[key] = arg.slice(eq + 1);
    }
    return out;
}

export class SetArgumentError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "SetArgumentError";
    }
}
