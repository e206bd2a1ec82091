import type * as pulumi from "@pulumi/pulumi";
import { drainRpcs, installRecordingMocks, Registration, unwrapSecrets, withoutSecrets } from "../../sdk/preview/mock-runtime";

export { withoutSecrets, unwrapSecrets };

/** A registration, with its inputs also unwrapped for assertions (never print those). */
export interface Registered extends Registration {
    inputs: Record<string, any>;
    plainInputs: Record<string, any>;
}

/** What the tests' mock provider computes: unique, public-looking addresses per resource. */
function computedOutputs(type: string, name: string, inputs: Record<string, unknown>, id: number): Record<string, unknown> {
    switch (type) {
        case "linode:index/instance:Instance":
            return {
                // 45.0.0.0/8 looks public; ids are unique, so are the addresses.
                ipAddress: `45.${(id >> 16) & 255}.${(id >> 8) & 255}.${id & 255}`,
                privateIpAddress: inputs.privateIp ? `192.168.${((id >> 8) & 127) | 128}.${id & 255}` : "",
                ipv6: `2600:3c00::${id.toString(16)}/128`,
                ipv4s: [`45.${(id >> 16) & 255}.${(id >> 8) & 255}.${id & 255}`],
                status: "running",
            };
        case "linode:index/nodeBalancer:NodeBalancer":
            return { hostname: `nb-${id}.newark.nodebalancer.linode.com`, ipv4: `198.51.100.${id % 250}`, ipv6: `2600:3c00::${id}:1` };
        case "tls:index/privateKey:PrivateKey":
            return {
                publicKeyOpenssh: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${Buffer.from(name).toString("base64").slice(0, 43).padEnd(43, "A")} generated\n`,
                privateKeyOpenssh: `-----BEGIN OPENSSH PRIVATE KEY-----\nmock-${name}\n-----END OPENSSH PRIVATE KEY-----\n`,
                privateKeyPem: "-----BEGIN PRIVATE KEY-----\nmock\n-----END PRIVATE KEY-----\n",
            };
        case "random:index/randomPassword:RandomPassword":
            return { result: `Mock-Pass-${id}-!xY9` };
        default:
            return {};
    }
}

/**
 * Installs Pulumi's mock runtime and records every registration with its parent, provider and
 * options (the mocks API itself does not expose parents; the monitor request does).
 */
export async function installMocks(opts: { preview?: boolean; config?: Record<string, string> } = {}): Promise<Registered[]> {
    const runtime = await installRecordingMocks({
        dryRun: opts.preview ?? false,
        stack: "test",
        computed: computedOutputs,
        ...(opts.config ? { config: opts.config } : {}),
    });
    // Unwrapped inputs are computed on access, from the recorded inputs.
    const registered = runtime.registered as Registered[];
    const push = registered.push.bind(registered);
    registered.push = (...items: Registered[]) => {
        for (const r of items) Object.defineProperty(r, "plainInputs", { get: () => unwrapSecrets(r.inputs), enumerable: false });
        return push(...items);
    };
    return registered;
}

/** The value of an Output (resolves even for secrets). */
export function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise<T>((resolve) => o.apply((v) => (resolve(v), v)));
}

export const drain = drainRpcs;

/** Waits until every registration so far has been answered, and checks that it was. */
export async function settle(registered: Registered[]): Promise<void> {
    await drainRpcs();
    const pending = registered.filter((r) => !r.urn).map((r) => `${r.type}::${r.name}`);
    if (pending.length) throw new Error(`registrations never answered: ${pending.slice(0, 5).join(", ")}`);
}
