import { BootstrapError, type BootstrapContext } from "./types";

/** A wiring variable the bootstrap cannot do without; its absence means the plan cannot support it. */
export function requireVar<T>(vars: Readonly<Record<string, unknown>>, name: string, ctx: BootstrapContext): T {
    const v = vars[name];
    if (v === undefined || v === "" || (Array.isArray(v) && v.length === 0)) {
        throw new BootstrapError(`node ${ctx.node.name}: the inventory wiring gives no ${name} (are the members' addresses known at plan time? keep the role's groups in one VPC region)`);
    }
    return v as T;
}
