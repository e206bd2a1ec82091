import * as pulumi from "@pulumi/pulumi";

/** One registration seen by the mock monitor: what the engine would have been asked to create. */
export interface Registered {
    type: string;
    name: string;
    custom: boolean;
    /** URN of the parent ("" for the stack itself). */
    parent: string;
    /** Provider reference `<urn>::<id>` for custom resources, "" when default. */
    provider: string;
    /** Inputs as the engine receives them (secrets still wrapped). */
    inputs: Record<string, any>;
    /** Inputs with secrets unwrapped — for assertions only; never print them. */
    plainInputs: Record<string, any>;
    urn?: string;
    protect: boolean;
    retainOnDelete: boolean;
    ignoreChanges: string[];
    dependencies: string[];
}

/** Computed outputs the mocks invent per resource type (what the provider would return). */
function computedOutputs(type: string, name: string, inputs: Record<string, any>, id: number): Record<string, unknown> {
    switch (type) {
        case "linode:index/instance:Instance":
            return {
                // 45.0.0.0/8 looks public; ids are unique, so are the addresses.
                ipAddress: `45.${(id >> 16) & 255}.${(id >> 8) & 255}.${id & 255}`,
                privateIpAddress: inputs.privateIp ? `192.168.${(id >> 8) & 127 | 128}.${id & 255}` : "",
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

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** The inputs with every secret replaced by "<secret>": what may be shown without leaking. */
export function withoutSecrets(v: any): any {
    if (Array.isArray(v)) return v.map(withoutSecrets);
    if (v && typeof v === "object") {
        if (v[SECRET_SIG] === "1b47061264138c4ac30d75fd1eb44270") return "<secret>";
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withoutSecrets(x)]));
    }
    return v;
}

export function unwrapSecrets(v: any): any {
    if (Array.isArray(v)) return v.map(unwrapSecrets);
    if (v && typeof v === "object") {
        if (v[SECRET_SIG] === "1b47061264138c4ac30d75fd1eb44270") return unwrapSecrets(v.value);
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
    }
    return v;
}

/**
 * Installs Pulumi's mock runtime and records every registration with its parent, provider and
 * options (the mocks API itself does not expose parents; the monitor request does).
 */
export async function installMocks(opts: { preview?: boolean; config?: Record<string, string> } = {}): Promise<Registered[]> {
    // A previous test's outputs may still be registering; let them finish against their own monitor.
    await drain();
    const registered: Registered[] = [];
    let nextId = 10000;
    await pulumi.runtime.setMocks(
        {
            newResource: (a) => {
                const id = nextId++;
                return { id: a.custom ? String(id) : undefined, state: { ...a.inputs, ...computedOutputs(a.type, a.name, a.inputs, id) } };
            },
            call: (a) => a.inputs,
        },
        "lct",
        "test",
        opts.preview ?? false,
    );
    pulumi.runtime.setAllConfig(opts.config ?? {});
    const monitor: any = pulumi.runtime.getMonitor();
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, cb: any) => {
        const inputs = pulumi.runtime.deserializeProperties(req.getObject());
        const rec: Registered = {
            type: req.getType(),
            name: req.getName(),
            custom: req.getCustom(),
            parent: req.getParent(),
            provider: req.getProvider(),
            inputs,
            plainInputs: unwrapSecrets(inputs),
            protect: req.getProtect?.() ?? false,
            retainOnDelete: req.getRetainondelete?.() ?? false,
            ignoreChanges: req.getIgnorechangesList?.() ?? [],
            dependencies: req.getDependenciesList?.() ?? [],
        };
        registered.push(rec);
        return original(req, (err: any, resp: any) => {
            if (resp) rec.urn = resp.getUrn();
            cb(err, resp);
        });
    };
    return registered;
}

/** The value of an Output (resolves even for secrets). */
export function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise<T>((resolve) => o.apply((v) => (resolve(v), v)));
}

/** Waits until Pulumi has no outstanding RPC: every registration and output registration done. */
export async function drain(): Promise<void> {
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
}

/** Waits until every registration so far has been answered, and checks that it was. */
export async function settle(registered: Registered[]): Promise<void> {
    await drain();
    const pending = registered.filter((r) => !r.urn).map((r) => `${r.type}::${r.name}`);
    if (pending.length) throw new Error(`registrations never answered: ${pending.slice(0, 5).join(", ")}`);
}
