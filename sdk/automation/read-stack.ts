/**
 * `lct inventory --stack <name>`: a stack's deployment, read the way `lct up` wrote it — the
 * same backend (`--backend`, else PULUMI_BACKEND_URL, else LCT's state folder) and, unless
 * another project folder is given, LCT's own root stack project. Secrets stay ciphertext.
 */
import type { CliContext } from "../cli/context";
import { chooseBackend, openSession, requirePulumiCli, requireStackName, toCliError } from "./lifecycle";

export interface ReadStackOptions {
    backend?: string;
    /** The Pulumi project folder of the stack (a user's own program); default LCT's root stack. */
    workDir?: string;
}

export async function readStackDeployment(stackName: string, opts: ReadStackOptions, ctx: CliContext): Promise<unknown> {
    const purpose = "lct inventory --stack";
    requirePulumiCli(ctx, purpose);
    requireStackName(stackName);
    const backend = chooseBackend(opts, ctx);
    const session = await openSession(backend, opts, ctx, purpose, opts.workDir);
    try {
        await session.selectStack(stackName);
        return await session.exportDeployment(stackName);
    } catch (e) {
        throw toCliError(e, purpose, backend);
    }
}
