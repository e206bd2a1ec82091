import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";

/** A per-cluster ed25519 admin key pair, when the plan gives no key; the private key is a secret. */
export function createAdminKey(name: string, parent: pulumi.Resource): { publicKey: pulumi.Output<string>; privateKey: pulumi.Output<string> } {
    const key = new tls.PrivateKey(name, { algorithm: "ED25519" }, { parent, additionalSecretOutputs: ["privateKeyOpenssh", "privateKeyPem"] });
    return {
        publicKey: key.publicKeyOpenssh.apply((k) => k.trim()),
        privateKey: pulumi.secret(key.privateKeyOpenssh),
    };
}
