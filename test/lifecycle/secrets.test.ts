/**
 * `lct secret set linode-token | ssh-key` and `lct secret list` against the fake pulumi: the
 * value reaches `pulumi config set --secret` on standard input only (checked by its sha256 in
 * the fake's log and state), is never echoed, and list shows names only.
 */
import { createHash, generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { readSshKeyFile } from "../../sdk/automation/ssh-key";
import { commandOf, FakePulumi, installFakePulumi, TEST_PASSPHRASE } from "../support/fake-pulumi";
import { announceSkip, requireTool, run } from "../support/tools";
import { expectNoSecretsAnywhere, lct } from "./helpers";

// Every command here starts pulumi (the fake) several times: room for slow machines.
vi.setConfig({ testTimeout: 120_000 });

const TOKEN = "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b";
const sha = (s: string) => createHash("sha256").update(s).digest("hex");
const sshKeygen = requireTool("ssh-keygen", "openssh-client");
announceSkip(sshKeygen);

let fake: FakePulumi;
let env: NodeJS.ProcessEnv;
let keys: string;

beforeAll(() => {
    fake = installFakePulumi("lct-secrets-");
    env = fake.env();
    // The user's own key files live outside the fake's folder (which the secret scans read).
    keys = fs.mkdtempSync(path.join(os.tmpdir(), "lct-keys-"));
});
afterAll(() => {
    fs.rmSync(fake.root, { recursive: true, force: true });
    fs.rmSync(keys, { recursive: true, force: true });
});
beforeEach(() => {
    fake.clearCalls();
    fake.scenario(undefined);
});

describe("lct secret set linode-token", () => {
    it("reads the token from standard input and gives it to pulumi on standard input, never on a command line", async () => {
        const r = await lct(["secret", "set", "linode-token", "--stack", "dev"], env, { stdin: `${TOKEN}\n` });
        expect(r).toEqual({ code: 0, out: 'stored linode-token for stack "dev": linode:token (secret)\n', err: `created stack "dev" in file://${path.join(fake.home, ".lct", "state")}\n` });
        const calls = fake.calls();
        expect(calls.map(commandOf)).toEqual(["version", "whoami", "stack select", "stack init", "config set"]);
        const set = calls[4]!;
        expect(set.argv).toEqual(["config", "set", "linode:token", "--secret", "--stack", "dev", "--non-interactive"]);
        expect(set.stdin).toEqual({ bytes: TOKEN.length, sha256: sha(TOKEN) });
        expect(set.cwd).toBe(fake.projectDir);
        expect(fake.stack("dev")!.config["linode:token"]).toEqual({ secret: true, sha256: sha(TOKEN), length: TOKEN.length });
        // Where pulumi keeps it: the stack's settings file in LCT's project folder, as ciphertext.
        expect(fs.readFileSync(fake.settingsFile("dev"), "utf8")).toMatch(/^ {2}linode:token:\n {4}secure: v1:/m);
        expectNoSecretsAnywhere(fake, [TOKEN, TEST_PASSPHRASE], [r.out, r.err]);
    });

    it('takes "-" for standard input, and warns (but works) when the token is an argument', async () => {
        const other = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
        const dash = await lct(["secret", "set", "linode-token", "-", "--stack", "dev"], env, { stdin: other });
        expect(dash.code, dash.err).toBe(0);
        expect(fake.stack("dev")!.config["linode:token"]!.sha256).toBe(sha(other));
        const arg = await lct(["secret", "set", "linode-token", TOKEN, "--stack", "dev"], env);
        expect(arg.code, arg.err).toBe(0);
        expect(arg.err).toMatch(/^warning: a token on the command line can stay in your shell history/);
        expect(fake.stack("dev")!.config["linode:token"]!.sha256).toBe(sha(TOKEN));
        expectNoSecretsAnywhere(fake, [TOKEN, other], [dash.out, dash.err, arg.out]);
    });

    it("refuses an empty or broken token before any pulumi call, without showing it", async () => {
        for (const [stdin, message] of [
            ["", "linode-token: the token is empty; nothing was stored"],
            ["abc def-secret-part", "linode-token: the token contains whitespace (copy it again, in one piece); nothing was stored"],
        ] as const) {
            const r = await lct(["secret", "set", "linode-token", "--stack", "dev"], env, { stdin });
            expect(r).toEqual({ code: 2, out: "", err: `error: ${message}\n` });
        }
        const unknown = await lct(["secret", "set", "api-key", "--stack", "dev"], env, { stdin: TOKEN });
        expect(unknown).toEqual({ code: 2, out: "", err: 'error: unknown secret "api-key": use linode-token or ssh-key\n' });
        expect(fake.calls()).toEqual([]);
    });

    it("needs the passphrase (file backend), checked before anything", async () => {
        const { PULUMI_CONFIG_PASSPHRASE: _p, ...noPass } = env;
        const r = await lct(["secret", "set", "linode-token", "--stack", "dev"], noPass, { stdin: TOKEN });
        expect(r.code).toBe(2);
        expect(r.err).toMatch(/^error: lct secret set linode-token: no passphrase is set for the file backend/);
        expect(fake.calls()).toEqual([]);
    });
});

describe("lct secret set ssh-key", () => {
    it.skipIf(sshKeygen.skip !== undefined)("stores an OpenSSH private key as lct:adminPrivateKey (stdin) and its public half as lct:adminPublicKeys", async () => {
        const key = path.join(keys, "id_ed25519");
        expect(run(sshKeygen.path!, ["-q", "-t", "ed25519", "-N", "", "-C", "ops@lct-test", "-f", key]).status).toBe(0);
        const privateKey = fs.readFileSync(key, "utf8");
        const publicKey = fs.readFileSync(`${key}.pub`, "utf8").trim();
        const fingerprint = run(sshKeygen.path!, ["-l", "-f", `${key}.pub`]).stdout.split(" ")[1];
        const r = await lct(["secret", "set", "ssh-key", key, "--stack", "dev"], env);
        expect(r).toEqual({ code: 0, out: `stored ssh-key for stack "dev": lct:adminPrivateKey (secret) and lct:adminPublicKeys (ssh-ed25519 ${fingerprint})\n`, err: "" });
        const calls = fake.calls();
        const set = calls.find((c) => c.argv[0] === "config" && c.argv[1] === "set")!;
        expect(set.argv).toEqual(["config", "set", "lct:adminPrivateKey", "--secret", "--stack", "dev", "--non-interactive"]);
        // pulumi drops one trailing newline of standard input, as it does for `config set --secret < file`.
        expect(set.stdin).toEqual({ bytes: Buffer.byteLength(privateKey), sha256: sha(privateKey.replace(/\n$/, "")) });
        const state = fake.stack("dev")!;
        expect(state.config["lct:adminPrivateKey"]).toMatchObject({ secret: true, sha256: sha(privateKey.replace(/\n$/, "")) });
        expect(state.config["lct:adminPublicKeys"]).toEqual({ secret: false, value: JSON.stringify([publicKey]) });
        expectNoSecretsAnywhere(fake, [privateKey, TEST_PASSPHRASE], [r.out, r.err]);
    });

    it.skipIf(sshKeygen.skip !== undefined)("derives the public half of PEM keys exactly as ssh-keygen -y does (Ed25519, RSA, ECDSA), with no .pub file", () => {
        // RSA and ECDSA PEM: compared with what ssh-keygen -y derives.
        const pems: Array<[string, string]> = [
            ["rsa.pem", generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "pem", type: "pkcs1" }).toString()],
            ["ec256.pem", generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "pem", type: "sec1" }).toString()],
            ["ec384.pem", generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey.export({ format: "pem", type: "pkcs8" }).toString()],
        ];
        for (const [name, pem] of pems) {
            const file = path.join(keys, name);
            fs.writeFileSync(file, pem, { mode: 0o600 });
            const expected = run(sshKeygen.path!, ["-y", "-f", file]);
            expect(expected.status, expected.stderr).toBe(0);
            const read = readSshKeyFile(file);
            expect(read.kind).toBe("private");
            expect(read.publicKey.split(" ").slice(0, 2).join(" "), name).toBe(expected.stdout.trim().split(" ").slice(0, 2).join(" "));
        }
        // Ed25519 PKCS#8 (which OpenSSH cannot load): the raw key is the last 32 bytes of its SPKI DER.
        const ed = generateKeyPairSync("ed25519");
        const edFile = path.join(keys, "ed25519.pem");
        fs.writeFileSync(edFile, ed.privateKey.export({ format: "pem", type: "pkcs8" }).toString(), { mode: 0o600 });
        const raw = (ed.publicKey.export({ format: "der", type: "spki" }) as Buffer).subarray(-32);
        const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from("ssh-ed25519"), Buffer.from([0, 0, 0, 32]), raw]);
        expect(readSshKeyFile(edFile).publicKey).toBe(`ssh-ed25519 ${blob.toString("base64")}`);
        // OpenSSH format, RSA: the public blob read from the file itself.
        const rsa = path.join(keys, "id_rsa");
        run(sshKeygen.path!, ["-q", "-t", "rsa", "-b", "3072", "-N", "", "-f", rsa]);
        fs.renameSync(`${rsa}.pub`, `${rsa}.pub.away`);
        expect(readSshKeyFile(rsa).publicKey).toBe(fs.readFileSync(`${rsa}.pub.away`, "utf8").trim().split(" ").slice(0, 2).join(" "));
    });

    it.skipIf(sshKeygen.skip !== undefined)("refuses passphrase-protected keys, public keys, a .pub that does not match, and non-keys — without echoing them", async () => {
        const enc = path.join(keys, "id_enc");
        run(sshKeygen.path!, ["-q", "-t", "ed25519", "-N", "a passphrase", "-f", enc]);
        const a = path.join(keys, "id_a");
        const b = path.join(keys, "id_b");
        run(sshKeygen.path!, ["-q", "-t", "ed25519", "-N", "", "-f", a]);
        run(sshKeygen.path!, ["-q", "-t", "ed25519", "-N", "", "-f", b]);
        fs.copyFileSync(`${b}.pub`, `${a}.pub`);
        const junk = path.join(keys, "junk");
        fs.writeFileSync(junk, "not a key: hunter2-super-secret-value\n");
        const cases: Array<[string, RegExp]> = [
            [enc, /id_enc is protected by a passphrase: LCT uses the admin key unattended/],
            [`${b}.pub`, /id_b\.pub is a public key: give the private key/],
            [a, /id_a\.pub is not the public half of .*id_a$/],
            [junk, /junk: neither an SSH private key \(OpenSSH or PEM\) nor an OpenSSH public key$/],
            [path.join(keys, "missing"), /missing: no such file$/],
        ];
        for (const [file, message] of cases) {
            const r = await lct(["secret", "set", "ssh-key", file, "--stack", "dev"], env);
            expect(r.code, file).toBe(2);
            expect(r.err.trim(), file).toMatch(message);
            expect(r.err).not.toContain("hunter2");
            expect(r.err).not.toMatch(/PRIVATE KEY|AAAA/);
        }
        expect(fake.calls()).toEqual([]);
    });
});

describe("lct secret list", () => {
    it("lists names only (no values, no --show-secrets, no passphrase needed)", async () => {
        const { PULUMI_CONFIG_PASSPHRASE: _p, ...noPass } = env;
        const r = await lct(["secret", "list", "--stack", "dev"], noPass);
        expect(r.code, r.err).toBe(0);
        const hasKey = fake.stack("dev")!.config["lct:adminPrivateKey"] !== undefined;
        expect(r.out).toBe(
            [
                'secrets of stack "dev" (names only; the values stay encrypted in the stack):',
                "  linode-token  linode:token         set",
                `  ssh-key       lct:adminPrivateKey  ${hasKey ? "set" : "not set"}`,
                "",
            ].join("\n"),
        );
        expect(fake.calls().map((c) => c.argv)).toContainEqual(["config", "--json", "--stack", "dev", "--non-interactive"]);
        expect(fake.calls().some((c) => c.argv.includes("--show-secrets"))).toBe(false);
        const json = await lct(["secret", "list", "--stack", "dev", "--json"], { ...noPass, LINODE_TOKEN: TOKEN });
        expect(JSON.parse(json.out)).toEqual({
            stack: "dev",
            secrets: [
                { name: "linode-token", key: "linode:token", set: true },
                { name: "ssh-key", key: "lct:adminPrivateKey", set: hasKey },
            ],
            otherSecrets: [],
            tokenFromEnvironment: true,
        });
        expect(json.out).not.toContain(TOKEN);
    });

    it("names other secret config and plain-text tokens, and a missing stack", async () => {
        fake.editConfig("dev", (c) => {
            c["aws:secretKey"] = { secret: true, sha256: sha("x"), length: 1 };
            c["linode:token"] = { secret: false, value: "plain-text-token-123456" };
        });
        const r = await lct(["secret", "list", "--stack", "dev"], env);
        expect(r.code, r.err).toBe(0);
        expect(r.out).toContain("  linode-token  linode:token         set, but in PLAIN TEXT: store it again with lct secret set\n");
        expect(r.out).toContain("                aws:secretKey        set (other secret config)\n");
        expect(r.out).not.toContain("plain-text-token-123456");
        const missing = await lct(["secret", "list", "--stack", "nope"], env);
        expect(missing.code).toBe(2);
        expect(missing.err).toMatch(/^error: no stack named "nope" in file:\/\//);
        expect(fake.calls().filter((c) => c.argv[1] === "init")).toEqual([]);
    });
});
