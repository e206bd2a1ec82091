import { spawnSync } from "node:child_process";
import { beforeEach, describe, expect, it } from "vitest";
import { LinodeCluster } from "../../sdk/components/linode-cluster";
import { sshSudoCommand } from "../../sdk/components/ssh-command";
import { hasLateMembers } from "../../sdk/network/member-addresses";
import { checkPlanValue } from "../../sdk/plan/check";
import type { ClusterPlanInput } from "../../sdk/plan/schema";
import { installMocks, Registered, settle, withoutSecrets } from "../support/pulumi-mocks";
import { fixturePlan } from "../support/plans";
import { requireTool } from "../support/tools";
import { renderTemplate } from "../../sdk/templates/render";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJ0bFHIi1s9mRX5lQlUqkZs3Rg2dWvyqOe6S5WRrD0e ops@example";

let registered: Registered[];
beforeEach(async () => {
    registered = await installMocks();
});

async function build(plan: ClusterPlanInput | string, extra: Partial<ConstructorParameters<typeof LinodeCluster>[1]> = {}) {
    const cluster = new LinodeCluster("c", { plan, ...extra });
    await cluster.built;
    await settle(registered);
    return cluster;
}

const vpcOnly: ClusterPlanInput = {
    name: "solo",
    exposure: { adminCidrs: ["203.0.113.0/24"] },
    regions: [{ region: "us-ord", nodeGroups: [{ name: "a", count: 2, services: [{ name: "s", ports: [9000] }] }, { name: "b", count: 1 }] }],
};

describe("membership pushed to running nodes", () => {
    it("in a single-region VPC cluster first boot knows everyone, and sync keeps nodes current as it grows", async () => {
        const resolved = checkPlanValue(vpcOnly).resolved!;
        expect(resolved.groups.map((g) => hasLateMembers(resolved, g.key))).toEqual([false, false]);
        const triggers = async (count: number) => {
            registered = await installMocks();
            const plan = structuredClone(vpcOnly);
            plan.regions[0]!.nodeGroups[1]!.count = count;
            await build(plan);
            const syncs = registered.filter((r) => r.type === "command:remote:Command");
            return new Map(syncs.map((c) => [c.name, c.plainInputs.triggers[0] as string]));
        };
        const before = await triggers(1);
        expect([...before.keys()].sort()).toEqual(["c-us-ord-a-1-member-sync", "c-us-ord-a-2-member-sync", "c-us-ord-b-1-member-sync"]);
        const after = await triggers(2);
        // Group a accepts service traffic from the whole cluster: its nodes must learn b-2.
        expect(after.get("c-us-ord-a-1-member-sync")).not.toBe(before.get("c-us-ord-a-1-member-sync"));
        expect(after.has("c-us-ord-b-2-member-sync")).toBe(true);
        // Each command depends on its own node, firewall and the key only, not on every instance (that
        // made large clusters quadratic); the members' addresses still reach it.
        const a1 = registered.find((r) => r.name === "c-us-ord-a-1-member-sync")!;
        const urnOf = (name: string) => registered.find((r) => r.name === name)!.urn!;
        expect(a1.dependencies.sort()).toEqual([urnOf("c-us-ord-a-1-instance"), urnOf("c-us-ord-a-firewall"), urnOf("c-admin-key")].sort());
        const stdin = a1.plainInputs.stdin as string;
        expect(stdin.indexOf("/var/lib/lct/hardening-complete")).toBeLessThan(stdin.indexOf("# LCT member sync of node"));
    });

    it("without any usable private key, a VPC-only cluster still builds, without sync", async () => {
        const plan = structuredClone(vpcOnly);
        plan.defaults = { sshKeys: [KEY] };
        await build(plan);
        expect(registered.filter((r) => r.type.startsWith("command:"))).toEqual([]);
    });

    it("reaches bastion-fronted nodes through the bastion with the local ssh client", async () => {
        // quickstart: us-ord (VPC, with the bastion) and eu-central (private IPv4).
        await build(renderTemplate("quickstart").plan);
        const local = registered.filter((r) => r.type === "command:local:Command");
        const remote = registered.filter((r) => r.type === "command:remote:Command");
        expect(remote.map((r) => r.name)).toEqual(["c-us-ord-bastion-1-member-sync"]);
        expect(local.map((r) => r.name).sort()).toEqual(
            [
                "c-eu-central-web-1-member-sync",
                "c-eu-central-web-2-member-sync",
                "c-us-ord-db-1-member-sync",
                "c-us-ord-db-2-member-sync",
                "c-us-ord-web-1-member-sync",
                "c-us-ord-web-2-member-sync",
                "c-us-ord-web-3-member-sync",
            ].sort(),
        );
        const bastionIp = registered.find((r) => r.name === "c-us-ord-bastion-1-instance");
        expect(bastionIp).toBeDefined();
        for (const c of local) {
            const env = c.plainInputs.environment;
            expect(env.LCT_SSH_USER).toBe("ops");
            expect(env.LCT_SSH_BASTION).toMatch(/^45\./);
            // The key travels only as a secret.
            expect(JSON.stringify(withoutSecrets(c.inputs))).not.toMatch(/PRIVATE KEY/);
            expect(env.LCT_SSH_KEY).toMatch(/PRIVATE KEY/);
            expect(c.plainInputs.create).toBe(sshSudoCommand());
            expect(c.plainInputs.stdin).toMatch(/^# Wait up to 20 minutes for first-boot hardening[\s\S]*\n#!\/bin\/bash\n# LCT member sync of node /);
            expect(c.plainInputs.triggers).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
        }
        // Same-region VPC nodes are reached at their VPC address; others by private/public IPv4.
        const host = (n: string) => local.find((c) => c.name === n)!.plainInputs.environment.LCT_SSH_HOST;
        expect(host("c-us-ord-web-1-member-sync")).toMatch(/^10\.31\./);
        expect(host("c-eu-central-web-1-member-sync")).toMatch(/^45\./);
    });

    it("refuses to build when sync is needed but no private key can be used", () => {
        const plan = fixturePlan("two-region");
        plan.defaults = { sshKeys: [KEY] };
        expect(() => new LinodeCluster("c", { plan })).toThrow(
            /groups us-ord\/web, us-ord\/db, eu-central\/web see members whose addresses are known only after creation[\s\S]*adminPrivateKey[\s\S]*memberSync: "off"/,
        );
    });

    it("does not count a lone node as its own late member (a one-node private-IPv4 plan needs no private key)", async () => {
        const lone: ClusterPlanInput = {
            name: "lone",
            defaults: { sshKeys: [KEY] },
            exposure: { adminCidrs: ["203.0.113.0/24"] },
            regions: [{ region: "us-east", nodeGroups: [{ name: "node", count: 1 }] }],
        };
        const resolved = checkPlanValue(lone).resolved!;
        expect(hasLateMembers(resolved, "us-east/node")).toBe(false);
        await build(lone);
        expect(registered.filter((r) => r.type === "linode:index/instance:Instance")).toHaveLength(1);
        const two = structuredClone(lone);
        two.regions[0]!.nodeGroups[0]!.count = 2;
        expect(hasLateMembers(checkPlanValue(two).resolved!, "us-east/node")).toBe(true);
    });

    it("uses the given private key, or nothing at all with memberSync off", async () => {
        const plan = fixturePlan("two-region");
        plan.defaults = { sshKeys: [KEY] };
        await build(plan, { adminPrivateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nuser\n-----END OPENSSH PRIVATE KEY-----" });
        expect(registered.filter((r) => r.type === "command:remote:Command")).toHaveLength(7);
        expect(registered.filter((r) => r.type === "tls:index/privateKey:PrivateKey")).toHaveLength(0);
        registered = await installMocks();
        await build(plan, { memberSync: "off" });
        expect(registered.filter((r) => r.type.startsWith("command:"))).toEqual([]);
    });
});

describe("the ssh command", () => {
    const shellcheck = requireTool("shellcheck", "shellcheck");
    it.skipIf(shellcheck.skip)("passes shellcheck", () => {
        const r = spawnSync(shellcheck.path!, ["-s", "sh", "-e", "SC2086", "-"], { input: sshSudoCommand(), encoding: "utf8" });
        expect(r.stdout + r.stderr).toBe("");
        expect(r.status).toBe(0);
    });
});
