/**
 * The fake `pulumi`'s language host: runs the project's real program (Pulumi.yaml `main`, i.e.
 * stacks/index.ts) under Pulumi's mock runtime with the stack's config, as `pulumi up` /
 * `pulumi preview` would run it, and writes what it registered, exported and logged
 * (log.warn / log.error, which the engine turns into diagnostics) as JSON — or, when the
 * program throws, `{ error }`: the error as @pulumi/pulumi's run.js prints it (util.inspect).
 *
 *   node <nodeargs> run-program.ts     (cwd: main's folder, as the nodejs language host runs it)
 *   env: FAKE_PROGRAM_STACK, FAKE_PROGRAM_PROJECT, FAKE_PROGRAM_MAIN, FAKE_PROGRAM_CONFIG (JSON),
 *        FAKE_PROGRAM_DRYRUN ("1" for preview), FAKE_PROGRAM_OUT (file to write)
 *
 * Config values of secret keys arrive as placeholders (the fake never holds plaintext secrets).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as util from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { installRecordingMocks, withoutSecrets } from "../../../sdk/preview/mock-runtime";

function computed(type: string, name: string, inputs: Record<string, unknown>, id: number): Record<string, unknown> {
    const ip = `172.${16 + ((id >> 16) & 15)}.${(id >> 8) & 255}.${id & 255}`;
    switch (type) {
        case "linode:index/instance:Instance":
            return {
                ipAddress: ip,
                privateIpAddress: inputs.privateIp ? `192.168.${((id >> 8) & 127) | 128}.${id & 255}` : "",
                ipv6: `2600:3c00::${id.toString(16)}/128`,
                ipv4s: [ip],
                status: "running",
            };
        case "linode:index/nodeBalancer:NodeBalancer":
            return { hostname: `nb-${id}.ip.linodeusercontent.com`, ipv4: ip, ipv6: `2600:3c00::${id}:1` };
        case "tls:index/privateKey:PrivateKey":
            return {
                publicKeyOpenssh: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${Buffer.from(name).toString("base64").slice(0, 43).padEnd(43, "A")} generated\n`,
                privateKeyOpenssh: `-----BEGIN OPENSSH PRIVATE KEY-----\nfake-generated-${name}\n-----END OPENSSH PRIVATE KEY-----\n`,
                privateKeyPem: "-----BEGIN PRIVATE KEY-----\nfake\n-----END PRIVATE KEY-----\n",
            };
        case "random:index/randomPassword:RandomPassword":
            return { result: `Fake-Pass-${id}-!xY9` };
        default:
            return {};
    }
}

async function resolveOutput(v: unknown): Promise<{ value: unknown; secret: boolean }> {
    const out = pulumi.output(v as pulumi.Input<unknown>) as pulumi.Output<unknown>;
    const secret = await pulumi.isSecret(out);
    const value = await new Promise<unknown>((resolve) => out.apply((x) => (resolve(x), x)));
    return { value, secret };
}

async function main(): Promise<void> {
    const dryRun = process.env.FAKE_PROGRAM_DRYRUN === "1";
    const config = JSON.parse(process.env.FAKE_PROGRAM_CONFIG ?? "{}") as Record<string, string>;
    const runtime = await installRecordingMocks({
        dryRun,
        project: process.env.FAKE_PROGRAM_PROJECT ?? "lct",
        stack: process.env.FAKE_PROGRAM_STACK ?? "dev",
        config,
        computed,
        collectLogs: true,
    });
    const main = path.resolve(process.cwd(), process.env.FAKE_PROGRAM_MAIN ?? "index.ts");
    const exported = require(main) as Record<string, unknown>;
    const outputs: Record<string, { value: unknown; secret: boolean }> = {};
    if (!dryRun) for (const [k, v] of Object.entries(exported)) outputs[k] = await resolveOutput(v);
    await runtime.drain();
    const resources = runtime.registered.map((r) => ({
        urn: r.urn ?? "",
        type: r.type,
        name: r.name,
        custom: r.custom,
        parent: r.parent,
        protect: r.protect,
        retainOnDelete: r.retainOnDelete,
        // Inputs as an engine event shows them: secrets masked, unknowns dropped.
        inputs: JSON.parse(JSON.stringify(withoutSecrets(r.inputs), (_k, x) => (pulumi.isUnknown(x) || x === pulumi.runtime.unknownValue ? undefined : x))) as unknown,
    }));
    const logs = runtime.logs.map(({ severity, message, urn }) => ({ severity, message, urn }));
    fs.writeFileSync(process.env.FAKE_PROGRAM_OUT!, JSON.stringify({ resources, outputs, logs }));
}

main().then(
    () => process.exit(0),
    (e: unknown) => {
        fs.writeFileSync(process.env.FAKE_PROGRAM_OUT!, JSON.stringify({ error: util.inspect(e) }));
        process.exit(1);
    },
);
