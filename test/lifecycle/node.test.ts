/**
 * `lct node create <region> <type> <image>` / `lct node delete <name>`: one-node plans in
 * ~/.lct/nodes, each deployed by its own stack node-<name> (fake pulumi on PATH).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { commandOf, FakePulumi, installFakePulumi } from "../support/fake-pulumi";
import { lct } from "./helpers";

// Each `lct up` here runs the real stack program under the mock runtime (seconds each): room for slow machines.
vi.setConfig({ testTimeout: 120_000 });

const TOKEN = "1b2c3d4e5f60718293a4b5c6d7e8f9011b2c3d4e5f60718293a4b5c6d7e8f901";
const PUB = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ops@example";

let fake: FakePulumi;
let env: NodeJS.ProcessEnv;
let keyDir: string;

beforeAll(() => {
    fake = installFakePulumi("lct-node-");
    env = fake.env({ LINODE_TOKEN: TOKEN });
    keyDir = fs.mkdtempSync(path.join(os.tmpdir(), "lct-node-keys-"));
    fs.writeFileSync(path.join(keyDir, "id.pub"), `${PUB}\n`);
});
afterAll(() => {
    fs.rmSync(fake.root, { recursive: true, force: true });
    fs.rmSync(keyDir, { recursive: true, force: true });
});
beforeEach(() => {
    fake.clearCalls();
    fake.scenario(undefined);
});

const nodesDir = () => path.join(fake.home, ".lct", "nodes");

describe("lct node create", () => {
    it("checks region, type and image against the catalogue first (did-you-mean), exit 1, nothing created", async () => {
        const r = await lct(["node", "create", "us-ordd", "g6-standrd-2", "linux/debian12", "--name", "web1"], env);
        expect(r.code).toBe(1);
        expect(r.out).toBe("");
        const lines = r.err.trim().split("\n");
        expect(lines).toContain('error: region: unknown region "us-ordd" (did you mean "us-ord"?)');
        expect(lines).toContain('error: type: unknown Linode type "g6-standrd-2" (did you mean "g6-standard-2"?)');
        expect(lines).toContain('error: image: unknown image "linux/debian12" (did you mean "linode/debian12"?)');
        expect(lines[lines.length - 1]).toBe("error: lct node create us-ordd g6-standrd-2 linux/debian12: invalid; nothing was created");
        const name = await lct(["node", "create", "us-ord", "g6-nanode-1", "linode/debian12", "--name", "Web_1"], env);
        expect(name.code).toBe(1);
        expect(name.err).toMatch(/^error: --name: /m);
        expect(fake.calls()).toEqual([]);
        expect(fs.existsSync(nodesDir())).toBe(false);
    });

    it("writes the one-node plan, creates stack node-<name> with lct:plan, deploys it and prints how to reach it", async () => {
        const r = await lct(
            ["node", "create", "us-ord", "g6-nanode-1", "linode/debian12", "--name", "web1", "--ssh-key", path.join(keyDir, "id.pub"), "--admin-cidr", "198.51.100.0/24", "--quiet"],
            env,
        );
        expect(r.code, r.err).toBe(0);
        const file = path.join(nodesDir(), "web1.yaml");
        expect(r.err).toBe(`created stack "node-web1" in file://${path.join(fake.home, ".lct", "state")}\nnode "web1": plan ${file}, stack node-web1\n`);
        expect(parse(fs.readFileSync(file, "utf8"))).toEqual({
            name: "web1",
            description: "Single node (lct node create us-ord g6-nanode-1 linode/debian12)",
            defaults: { sshKeys: [PUB] },
            exposure: { adminCidrs: ["198.51.100.0/24"] },
            regions: [{ region: "us-ord", nodeGroups: [{ name: "node", type: "g6-nanode-1", image: "linode/debian12", count: 1 }] }],
        });
        expect(fs.statSync(nodesDir()).mode & 0o777).toBe(0o700);
        expect(fake.calls().map(commandOf)).toEqual(["version", "whoami", "stack select", "stack init", "config", "config set-all", "up", "stack output", "stack output", "stack history"]);
        expect(fake.calls()[5]!.argv).toEqual(["config", "set-all", "--stack", "node-web1", "--plaintext", `lct:plan=${file}`, "--plaintext", "lct:memberSync=off", "--non-interactive"]);
        const state = fake.stack("node-web1")!;
        const instance = state.resources.find((x) => x.type === "linode:index/instance:Instance") as unknown as { name: string; inputs: Record<string, unknown> };
        expect(instance.name).toBe("node-web1-us-ord-node-1-instance");
        expect(instance.inputs).toMatchObject({ label: "web1-us-ord-node-1", region: "us-ord", type: "g6-nanode-1", image: "linode/debian12" });
        // The plan's key means no generated key pair.
        expect(state.resources.some((x) => x.type === "tls:index/privateKey:PrivateKey")).toBe(false);
        const firewall = state.resources.find((x) => x.type === "linode:index/firewall:Firewall") as unknown as { inputs: { inbounds: Array<{ ports: string; ipv4s: string[] }> } };
        expect(firewall.inputs.inbounds).toEqual([expect.objectContaining({ ports: "22", ipv4s: ["198.51.100.0/24"] })]);
        const ip = (state.outputs.inventory!.value as { nodes: Array<{ publicIpv4: string }> }).nodes[0]!.publicIpv4;
        expect(r.out).toMatch(new RegExp(`^stack "node-web1" updated in \\d+s: ${state.resources.length} created\\ncluster "web1": 1 node in the stack's inventory\\nweb1-us-ord-node-1: ssh ops@${ip.replace(/\./g, "\\.")}\\n$`));
    });

    it("re-running the same create is fine; the same name with another plan is refused", async () => {
        const again = await lct(["node", "create", "us-ord", "g6-nanode-1", "linode/debian12", "--name", "web1", "--ssh-key", path.join(keyDir, "id.pub"), "--admin-cidr", "198.51.100.0/24", "--quiet"], env);
        expect(again.code, again.err).toBe(0);
        expect(again.out).toMatch(/: \d+ unchanged\n/);
        const other = await lct(["node", "create", "us-ord", "g6-standard-2", "linode/debian12", "--name", "web1", "--quiet"], env);
        expect(other.code).toBe(2);
        expect(other.err).toContain(`error: node "web1" already exists with another plan (${path.join(nodesDir(), "web1.yaml")}): delete it first (lct node delete web1 --yes --remove), or pick another --name`);
    });

    it("names a node after its region by default, and reads only the public half of a private --ssh-key (private-IPv4 region: no member sync)", async () => {
        const priv = path.join(keyDir, "id_pem");
        const { generateKeyPairSync } = await import("node:crypto");
        const pem = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "pem", type: "sec1" }).toString();
        fs.writeFileSync(priv, pem, { mode: 0o600 });
        const r = await lct(["node", "create", "eu-central", "g6-nanode-1", "linode/debian12", "--ssh-key", priv, "--quiet"], env);
        expect(r.code, r.err).toBe(0);
        const name = /node "(eu-central-[0-9a-f]{4})": plan/.exec(r.err)?.[1];
        expect(name).toBeDefined();
        const plan = fs.readFileSync(path.join(nodesDir(), `${name}.yaml`), "utf8");
        expect(parse(plan).defaults.sshKeys[0]).toMatch(/^ecdsa-sha2-nistp256 AAAA/);
        expect(plan).not.toMatch(/PRIVATE KEY/);
        for (const line of pem.split("\n").filter((l) => l.length > 20 && !l.startsWith("-----"))) expect(plan).not.toContain(line);
        expect(fake.stack(`node-${name}`)).toBeDefined();
        expect(r.out).not.toContain("the admin key was generated");
    });

    it("without --ssh-key, says the key was generated and where it is kept", async () => {
        const r = await lct(["node", "create", "us-ord", "g6-nanode-1", "linode/debian12", "--name", "gen", "--quiet"], env);
        expect(r.code, r.err).toBe(0);
        expect(r.out).toContain("the admin key was generated for this node and is kept as the stack's secret output adminPrivateKey");
        expect(r.out).not.toMatch(/PRIVATE KEY/);
        expect(fake.stack("node-gen")!.resources.some((x) => x.type === "tls:index/privateKey:PrivateKey")).toBe(true);
    });
});

describe("the offline preview of a node", () => {
    it("lct preview <node plan> --stack node-<name> --member-sync off lists exactly what lct node create deployed", async () => {
        const file = path.join(nodesDir(), "gen.yaml");
        const key = (r: { type: string; name: string }) => `${r.type}::${r.name}`;
        const deployed = fake.stack("node-gen")!.resources.filter((x) => x.type !== "pulumi:pulumi:Stack").map(key).sort();
        expect(deployed.length).toBeGreaterThan(5);
        const same = await lct(["preview", file, "--stack", "node-gen", "--member-sync", "off", "--json"], env);
        expect(same.code, same.err).toBe(0);
        expect(JSON.parse(same.out).resources.map(key).sort()).toEqual(deployed);
        // Without it the preview is of lct:memberSync auto (the root stack's default): a member-sync command the node does not get.
        const auto = await lct(["preview", file, "--stack", "node-gen", "--json"], env);
        expect(JSON.parse(auto.out).resources.map(key).filter((k: string) => !deployed.includes(k))).toEqual(["command:remote:Command::node-gen-us-ord-node-1-member-sync"]);
        // The preview needs no pulumi, and touched no stack.
        expect(fake.calls()).toEqual([]);
    });
});

describe("lct node delete", () => {
    it("needs --yes and an existing node", async () => {
        const noYes = await lct(["node", "delete", "web1"], env);
        expect(noYes).toEqual({ code: 2, out: "", err: 'error: lct node delete deletes the Linode of node "web1" (stack node-web1); run again with --yes to go ahead\n' });
        const ghost = await lct(["node", "delete", "ghost", "--yes"], env);
        expect(ghost.code).toBe(2);
        expect(ghost.err).toMatch(/^error: no stack named "node-ghost" in file:\/\//);
        expect(fake.calls().map(commandOf)).toEqual(["version", "whoami", "stack select"]);
    });

    it("destroys the node's stack; --remove also removes the stack and its plan file", async () => {
        const kept = await lct(["node", "delete", "gen", "--yes", "--quiet"], env);
        expect(kept.code, kept.err).toBe(0);
        expect(kept.out).toMatch(/^stack "node-gen" destroyed in \d+s: \d+ deleted\n$/);
        expect(fake.stack("node-gen")!.resources).toEqual([]);
        expect(fs.existsSync(path.join(nodesDir(), "gen.yaml"))).toBe(true);
        expect(fs.existsSync(fake.settingsFile("node-gen"))).toBe(true);
        fake.clearCalls();
        const r = await lct(["node", "delete", "web1", "--yes", "--remove", "--quiet"], env);
        expect(r.code, r.err).toBe(0);
        expect(r.out).toMatch(new RegExp(`^stack "node-web1" destroyed in \\d+s: \\d+ deleted\\nremoved stack node-web1 and ${path.join(nodesDir(), "web1.yaml")}\\n$`));
        expect(fake.calls().map(commandOf)).toEqual(["version", "whoami", "stack select", "config", "stack export", "destroy", "stack history", "stack rm"]);
        expect(fake.calls().pop()!.argv).toEqual(["stack", "rm", "--yes", "node-web1", "--non-interactive"]);
        expect(fake.stack("node-web1")).toBeUndefined();
        expect(fs.existsSync(path.join(nodesDir(), "web1.yaml"))).toBe(false);
        // pulumi's stack rm took the stack's settings (config, salt) in ~/.lct/project with it.
        expect(fs.existsSync(fake.settingsFile("node-web1"))).toBe(false);
    });
});
