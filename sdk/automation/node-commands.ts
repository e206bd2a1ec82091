/**
 * The actions behind `lct node create` and `lct node delete`: single secure nodes, each a
 * one-node plan (~/.lct/nodes/<name>.yaml) deployed by its own stack `node-<name>`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { CliContext } from "../cli/context";
import { CliError, EXIT_INVALID, EXIT_USAGE } from "../cli/io";
import { formatIssue } from "../plan/issues";
import { refuseProtected, sink, stackForOperation } from "./commands";
import {
    applyConfig,
    chooseBackend,
    finishReport,
    KEYS,
    LifecycleOptions,
    openSession,
    requirePassphrase,
    requirePulumiCli,
    requireStackName,
    toCliError,
} from "./lifecycle";
import { checkNodePlan, defaultNodeName, NodeRequest, nodePlanFile, nodeStackName, writeNodePlan } from "./node-plan";
import { runOperation } from "./operations";
import { readSshKeyFile, SshKeyError } from "./ssh-key";

export interface NodeCreateOptions extends LifecycleOptions {
    name?: string;
    sshKey?: string;
    adminCidr?: string[];
}

export async function nodeCreate(region: string, type: string, image: string, opts: NodeCreateOptions, ctx: CliContext): Promise<void> {
    const purpose = "lct node create";
    requirePulumiCli(ctx, purpose);
    const name = opts.name ?? defaultNodeName(region);
    let sshPublicKey: string | undefined;
    if (opts.sshKey !== undefined) {
        try {
            sshPublicKey = readSshKeyFile(path.resolve(ctx.io.cwd, opts.sshKey)).publicKey;
        } catch (e) {
            if (e instanceof SshKeyError) throw new CliError(`--ssh-key ${e.message}`, EXIT_USAGE);
            throw e;
        }
    }
    const req: NodeRequest = { region, type, image, name, ...(sshPublicKey ? { sshPublicKey } : {}), ...(opts.adminCidr?.length ? { adminCidrs: opts.adminCidr } : {}) };
    // The bundled catalogue: the one the stack program validates the plan with.
    const check = checkNodePlan(req);
    for (const issue of check.issues) ctx.io.err(formatIssue(issue));
    if (!check.ok) throw new CliError(`lct node create ${region} ${type} ${image}: invalid; nothing was created`, EXIT_INVALID);
    const stackName = nodeStackName(name);
    requireStackName(stackName);
    const backend = chooseBackend(opts, ctx);
    requirePassphrase(backend, opts, ctx, purpose);
    const session = await openSession(backend, opts, ctx, purpose);
    const { stack, config } = await stackForOperation(session, stackName, ctx, backend, purpose, { create: true, hasSource: true });
    let file: string;
    try {
        file = writeNodePlan(ctx.io.env, req).file;
    } catch (e) {
        throw new CliError((e as Error).message, EXIT_USAGE);
    }
    if (!opts.json) ctx.io.err(`node "${name}": plan ${file}, stack ${stackName}`);
    try {
        // A single node has no other members to tell about its address: member sync (which needs
        // the admin private key when the plan brings its own key) has nothing to do.
        await applyConfig(session, stack, { set: { [KEYS.plan]: file, [KEYS.memberSync]: "off" }, remove: [KEYS.template, KEYS.parameters], hasSource: true }, config);
    } catch (e) {
        throw toCliError(e, purpose, backend);
    }
    const report = await runOperation(session, stack, "up", sink(opts, ctx));
    const extra: string[] = [];
    const user = report.adminUser ?? "ops";
    for (const n of report.nodeAddresses ?? []) extra.push(`${n.label}: ${n.publicIpv4 ? `ssh ${user}@${n.publicIpv4}` : "no public IPv4 reported yet"}`);
    if (!sshPublicKey) {
        extra.push(
            `the admin key was generated for this node and is kept as the stack's secret output adminPrivateKey; next time give your own with --ssh-key ~/.ssh/id_ed25519.pub`,
        );
    }
    finishReport(report, ctx, { ...opts, extra });
}

export async function nodeDelete(name: string, opts: LifecycleOptions & { yes?: boolean; remove?: boolean }, ctx: CliContext): Promise<void> {
    const purpose = "lct node delete";
    requirePulumiCli(ctx, purpose);
    const stackName = nodeStackName(name);
    requireStackName(stackName);
    if (!opts.yes) throw new CliError(`lct node delete deletes the Linode of node "${name}" (stack ${stackName}); run again with --yes to go ahead`, EXIT_USAGE);
    const backend = chooseBackend(opts, ctx);
    requirePassphrase(backend, opts, ctx, purpose);
    const session = await openSession(backend, opts, ctx, purpose);
    const { stack } = await stackForOperation(session, stackName, ctx, backend, purpose, { create: false });
    await refuseProtected(session, stackName, ctx, backend, purpose);
    const report = await runOperation(session, stack, "destroy", sink(opts, ctx));
    const extra: string[] = [];
    if (report.ok && opts.remove) {
        try {
            await session.removeStack(stackName);
        } catch (e) {
            throw toCliError(e, purpose, backend);
        }
        const file = nodePlanFile(ctx.io.env, name);
        if (fs.existsSync(file)) fs.rmSync(file);
        extra.push(`removed stack ${stackName} and ${file}`);
    }
    finishReport(report, ctx, { ...opts, extra });
}
