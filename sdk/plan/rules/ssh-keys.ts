import { error, PlanIssue } from "../issues";
import type { PlanRule } from "./rule";

const KEY_TYPES = [
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
];

/** Why a string is not an OpenSSH public key, or undefined. Never echoes the value: it may be a private key. */
export function sshPublicKeyProblem(key: string): string | undefined {
    const text = key.trim();
    if (/PRIVATE KEY/.test(text)) {
        return "this is a PRIVATE key; put only public keys (the .pub file) in a plan, and treat that private key as exposed";
    }
    const [type, body] = text.split(/\s+/);
    if (!type || !KEY_TYPES.includes(type)) {
        return `not an OpenSSH public key: it must start with one of ${KEY_TYPES.slice(0, 3).join(", ")}, …`;
    }
    if (!body || !/^[A-Za-z0-9+/]+={0,3}$/.test(body)) return `the ${type} key has no valid base64 body`;
    const decoded = Buffer.from(body, "base64");
    // The body starts with the key type as a length-prefixed string; a body shorter than the prefix cannot be a key.
    const len = decoded.length >= 4 ? decoded.readUInt32BE(0) : Infinity;
    if (decoded.length < 4 + len || decoded.subarray(4, 4 + len).toString() !== type) {
        return `the key body does not encode a ${type} key`;
    }
    if (type === "ssh-rsa" && decoded.length < 260) return "RSA keys shorter than 2048 bits are refused";
    return undefined;
}

export const sshKeys: PlanRule = {
    id: "ssh-keys",
    phase: "plan",
    check({ plan }) {
        const issues: PlanIssue[] = [];
        (plan.defaults?.sshKeys ?? []).forEach((k, i) => {
            const p = sshPublicKeyProblem(k);
            if (p) issues.push(error("ssh-keys", `defaults.sshKeys[${i}]`, p));
        });
        return issues;
    },
};
