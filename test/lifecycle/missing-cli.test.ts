/**
 * Without a `pulumi` on PATH every lifecycle command stops first — before reading standard
 * input, checking its arguments, creating the state folder, a node plan or a stack — with exit
 * 2 and one message saying what is missing and how to install it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryIO } from "../../sdk/cli/io";
import { runCli } from "../../sdk/cli/main";
import { TWO_REGION } from "./helpers";

let root: string;
let home: string;
let emptyBin: string;

beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "lct-missing-cli-"));
    home = path.join(root, "home");
    emptyBin = path.join(root, "bin");
    fs.mkdirSync(home);
    fs.mkdirSync(emptyBin);
    // Something called pulumi that is not executable does not count.
    fs.writeFileSync(path.join(emptyBin, "pulumi"), "#!/bin/sh\nexit 0\n", { mode: 0o644 });
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const COMMANDS: Array<[string, string[]]> = [
    ["lct up", ["up", "dev", "--plan", TWO_REGION]],
    ["lct up", ["up", "not a valid name", "--plan", "missing.yaml"]],
    ["lct preview --live", ["preview", "dev", "--live"]],
    ["lct refresh", ["refresh", "dev"]],
    ["lct destroy", ["destroy", "dev", "--yes"]],
    ["lct destroy", ["destroy", "dev"]],
    ["lct node create", ["node", "create", "us-ord", "g6-nanode-1", "linode/debian12", "--name", "web1"]],
    ["lct node create", ["node", "create", "us-ordd", "g6-nanode-1", "linode/debian12"]],
    ["lct node delete", ["node", "delete", "web1", "--yes"]],
    ["lct secret set linode-token", ["secret", "set", "linode-token", "--stack", "dev"]],
    ["lct secret set ssh-key", ["secret", "set", "ssh-key", "/nonexistent/key", "--stack", "dev"]],
    ["lct secret list", ["secret", "list", "--stack", "dev"]],
];

describe("no pulumi CLI on PATH", () => {
    it.each(COMMANDS)("%s (%j) stops with exit 2 and the install hint, having done nothing", async (purpose, args) => {
        let stdinRead = false;
        const io = memoryIO({ env: { PATH: emptyBin, HOME: home, PULUMI_CONFIG_PASSPHRASE: "x", LINODE_TOKEN: "t0ken-value" }, cwd: root });
        io.readStdin = async () => ((stdinRead = true), "secret-token-value");
        io.readStdinBytes = async () => ((stdinRead = true), new Uint8Array());
        const code = await runCli(args, io);
        expect(code).toBe(2);
        expect(io.stdout()).toBe("");
        expect(io.stderr()).toBe(
            `error: ${purpose} needs the Pulumi CLI, and no \`pulumi\` was found on PATH: install the Pulumi CLI (curl -fsSL https://get.pulumi.com | sh, or see https://www.pulumi.com/docs/install/) ` +
                "and make sure `pulumi` is on PATH; deploying also needs the Linode resource plugin, which `pulumi up` fetches on first use or `pulumi plugin install resource linode` installs ahead\n",
        );
        expect(stdinRead).toBe(false);
        expect(fs.readdirSync(home)).toEqual([]);
        expect(fs.readdirSync(root).sort()).toEqual(["bin", "home"]);
    });

    it("the offline preview needs no pulumi at all", async () => {
        const io = memoryIO({ env: { PATH: emptyBin, HOME: home }, cwd: root });
        expect(await runCli(["preview", TWO_REGION], io)).toBe(0);
        expect(io.stdout()).toMatch(/^Preview of cluster "shop"/);
    });
});
