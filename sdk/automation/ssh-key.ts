/**
 * Reading an SSH key file for `lct secret set ssh-key` and `lct node create --ssh-key`: tell a
 * private key from a public one, derive the public half of a private key (OpenSSH format: the
 * public blob is stored unencrypted in the file; PEM/PKCS#8: through node:crypto), refuse
 * passphrase-protected keys (member sync runs ssh unattended), and never put any part of a
 * private key in a message.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import { sshPublicKeyProblem } from "../plan/rules/ssh-keys";

export class SshKeyError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "SshKeyError";
    }
}

export interface SshKeyFile {
    kind: "private" | "public";
    /** The OpenSSH public key line (`ssh-ed25519 AAAA… comment`). */
    publicKey: string;
    /** The private key text, when the file holds one (a secret: never print it). */
    privateKey?: string;
    /** `SHA256:…`, as `ssh-keygen -l` prints it. */
    fingerprint: string;
}

const MAX_KEY_BYTES = 64 * 1024;

function readSmallFile(file: string, what: string): string {
    let stat: fs.Stats;
    try {
        stat = fs.statSync(file);
    } catch (e) {
        throw new SshKeyError(`${what} ${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
    }
    if (!stat.isFile()) throw new SshKeyError(`${what} ${file}: not a file`);
    if (stat.size > MAX_KEY_BYTES) throw new SshKeyError(`${what} ${file}: ${stat.size} bytes is too large for an SSH key`);
    return fs.readFileSync(file, "utf8");
}

class Reader {
    private at = 0;
    constructor(private readonly buf: Buffer) {}
    u32(): number {
        if (this.at + 4 > this.buf.length) throw new Error("truncated");
        const v = this.buf.readUInt32BE(this.at);
        this.at += 4;
        return v;
    }
    bytes(): Buffer {
        const n = this.u32();
        if (this.at + n > this.buf.length) throw new Error("truncated");
        const v = this.buf.subarray(this.at, this.at + n);
        this.at += n;
        return v;
    }
}

function sshString(b: Buffer | string): Buffer {
    const body = typeof b === "string" ? Buffer.from(b) : b;
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    return Buffer.concat([len, body]);
}

/** An unsigned big-endian integer as an SSH mpint (a leading zero when the top bit is set). */
function mpint(b: Buffer): Buffer {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const trimmed = b.subarray(i);
    return sshString(trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

function fingerprintOf(blob: Buffer): string {
    return `SHA256:${crypto.createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** The public blob of an `openssh-key-v1` private key, and whether the key is encrypted. */
function opensshPublicBlob(pem: string): { blob: Buffer; encrypted: boolean } {
    const body = pem.replace(/-----(BEGIN|END) OPENSSH PRIVATE KEY-----/g, "").replace(/\s+/g, "");
    const raw = Buffer.from(body, "base64");
    const magic = Buffer.from("openssh-key-v1\0");
    if (!raw.subarray(0, magic.length).equals(magic)) throw new Error("not an openssh-key-v1 file");
    const r = new Reader(raw.subarray(magic.length));
    const cipher = r.bytes().toString();
    r.bytes(); // kdf name
    r.bytes(); // kdf options
    if (r.u32() < 1) throw new Error("no key in the file");
    return { blob: r.bytes(), encrypted: cipher !== "none" };
}

/** The public blob of a PEM (PKCS#1, SEC1 or PKCS#8) private key. */
function pemPublicBlob(pem: string): Buffer {
    const key = crypto.createPublicKey(crypto.createPrivateKey({ key: pem, format: "pem" }));
    const jwk = key.export({ format: "jwk" });
    const b = (s: string | undefined) => Buffer.from(s ?? "", "base64url");
    if (jwk.kty === "RSA") return Buffer.concat([sshString("ssh-rsa"), mpint(b(jwk.e)), mpint(b(jwk.n))]);
    if (jwk.kty === "OKP" && jwk.crv === "Ed25519") return Buffer.concat([sshString("ssh-ed25519"), sshString(b(jwk.x))]);
    if (jwk.kty === "EC") {
        const curve = { "P-256": "nistp256", "P-384": "nistp384", "P-521": "nistp521" }[jwk.crv ?? ""];
        if (!curve) throw new Error(`unsupported curve ${jwk.crv}`);
        const point = Buffer.concat([Buffer.from([4]), b(jwk.x), b(jwk.y)]);
        return Buffer.concat([sshString(`ecdsa-sha2-${curve}`), sshString(curve), sshString(point)]);
    }
    throw new Error(`unsupported key type ${jwk.kty}`);
}

function blobToLine(blob: Buffer, comment = ""): string {
    const type = new Reader(blob).bytes().toString();
    return `${type} ${blob.toString("base64")}${comment ? ` ${comment}` : ""}`;
}

function publicLineBlob(line: string): Buffer {
    return Buffer.from(line.trim().split(/\s+/)[1] ?? "", "base64");
}

/**
 * Reads an SSH key file. A private key gets its public half from `<file>.pub` when that exists
 * (and must match), else derived from the key itself.
 */
export function readSshKeyFile(file: string): SshKeyFile {
    const text = readSmallFile(file, "SSH key");
    const trimmed = text.trim();
    if (/^-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(trimmed)) {
        if (/^-----BEGIN ENCRYPTED PRIVATE KEY-----|^Proc-Type: 4,ENCRYPTED/m.test(trimmed)) throw encryptedError(file);
        let blob: Buffer;
        try {
            if (trimmed.startsWith("-----BEGIN OPENSSH PRIVATE KEY-----")) {
                const o = opensshPublicBlob(trimmed);
                if (o.encrypted) throw encryptedError(file);
                blob = o.blob;
            } else {
                blob = pemPublicBlob(trimmed);
            }
        } catch (e) {
            if (e instanceof SshKeyError) throw e;
            throw new SshKeyError(`${file}: cannot read this private key (${(e as Error).message.split("\n")[0]}); give an OpenSSH or PEM private key`);
        }
        let publicKey = blobToLine(blob);
        const pubFile = `${file}.pub`;
        if (fs.existsSync(pubFile)) {
            const pub = readSmallFile(pubFile, "public key").trim();
            if (!publicLineBlob(pub).equals(blob)) throw new SshKeyError(`${pubFile} is not the public half of ${file}`);
            publicKey = pub;
        }
        const problem = sshPublicKeyProblem(publicKey);
        if (problem) throw new SshKeyError(`${file}: ${problem}`);
        return { kind: "private", publicKey, privateKey: text.endsWith("\n") ? text : `${text}\n`, fingerprint: fingerprintOf(blob) };
    }
    const problem = sshPublicKeyProblem(trimmed.split("\n")[0] ?? "");
    if (problem) throw new SshKeyError(`${file}: neither an SSH private key (OpenSSH or PEM) nor an OpenSSH public key`);
    const publicKey = trimmed.split("\n")[0]!.trim();
    return { kind: "public", publicKey, fingerprint: fingerprintOf(publicLineBlob(publicKey)) };
}

function encryptedError(file: string): SshKeyError {
    return new SshKeyError(
        `${file} is protected by a passphrase: LCT uses the admin key unattended (member sync runs ssh during \`lct up\`), ` +
            "so give it a key of its own without one (ssh-keygen -t ed25519 -N '' -f ~/.ssh/lct-admin), stored only as a stack secret",
    );
}
