/**
 * The providers as Pulumi runs them: serialized with `serializeFunction(() => provider,
 * {allowSecrets: true})`, loaded from text with require-from-string the way the dynamic
 * provider host does, then driven through create, update and delete against the simulator.
 * A closure-serialization break (a top-level built-in import, a class whose fields vanish, a
 * captured token) fails here.
 */
import * as net from "node:net";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterPowerProvider } from "../../sdk/providers/cluster-power";
import { nodeReadinessProvider } from "../../sdk/providers/node-readiness";
import { powerActions, simWithCluster, statusesOf, type SeededCluster } from "./helpers";

const TOKEN = "serialized-test-token-9f8e7d";

async function hostedFrom(provider: object): Promise<{ text: string; hosted: pulumi.dynamic.ResourceProvider }> {
    const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    const load = require("require-from-string") as (code: string, filename: string) => { handler: () => pulumi.dynamic.ResourceProvider };
    return { text: sf.text, hosted: load(sf.text, path.join(process.cwd(), "__provider.js")).handler() };
}

describe("serialized providers", () => {
    let c: SeededCluster;
    const savedToken = process.env.LINODE_TOKEN;

    beforeAll(async () => {
        process.env.LINODE_TOKEN = TOKEN;
        c = await simWithCluster("ser", [["db", 1, 2], ["web", 2, 3]], "offline", { token: TOKEN });
    });
    afterAll(async () => {
        if (savedToken === undefined) delete process.env.LINODE_TOKEN;
        else process.env.LINODE_TOKEN = savedToken;
        await c.sim.close();
    });

    it("ClusterPower: create starts in boot order, update stops in reverse, delete stops when asked", async () => {
        const { text, hosted } = await hostedFrom(clusterPowerProvider);
        expect(text).not.toContain(TOKEN);
        // Module imports must have become require() calls, not captured module internals.
        expect(text).not.toMatch(/__vite_ssr_dynamic_import__/);

        const base = { cluster: "ser", groups: c.groups, pollIntervalMs: 20, timeoutSeconds: 10, apiUrl: c.sim.url };
        const checked = await hosted.check!({}, { ...base, power: "running" });
        expect(checked.failures).toEqual([]);
        const created = await hosted.create(checked.inputs);
        expect(created.id).toBe("lct-power-ser");
        expect(statusesOf(c.sim, c.ids)).toEqual(Array(5).fill("running"));
        const boots = powerActions(c.sim).filter((a) => a.action === "boot").map((a) => a.id);
        const [db, web] = c.groups;
        // Every db boot precedes every web boot.
        expect(Math.max(...db!.linodeIds.map((id) => boots.indexOf(id)))).toBeLessThan(Math.min(...web!.linodeIds.map((id) => boots.indexOf(id))));

        const stoppedInputs = (await hosted.check!(created.outs, { ...base, power: "stopped" })).inputs;
        const diff = await hosted.diff!(created.id, created.outs, stoppedInputs);
        expect(diff.changes).toBe(true);
        c.sim.resetStats();
        const updated = await hosted.update!(created.id, created.outs, stoppedInputs);
        expect(updated.outs.power).toBe("stopped");
        expect(statusesOf(c.sim, c.ids)).toEqual(Array(5).fill("offline"));
        const shutdowns = powerActions(c.sim).map((a) => a.id);
        expect(Math.max(...web!.linodeIds.map((id) => shutdowns.indexOf(id)))).toBeLessThan(Math.min(...db!.linodeIds.map((id) => shutdowns.indexOf(id))));

        // Start again, then delete with stopOnDelete: the cluster ends stopped.
        const again = (await hosted.check!(updated.outs, { ...base, power: "running", stopOnDelete: true })).inputs;
        const restarted = await hosted.update!(created.id, updated.outs, again);
        expect(statusesOf(c.sim, c.ids)).toEqual(Array(5).fill("running"));
        await hosted.delete!(created.id, restarted.outs);
        expect(statusesOf(c.sim, c.ids)).toEqual(Array(5).fill("offline"));
    });

    it("NodeReadiness: create waits for running nodes, update follows new ids, delete is a no-op", async () => {
        const { text, hosted } = await hostedFrom(nodeReadinessProvider);
        expect(text).not.toContain(TOKEN);
        const db = c.groups[0]!;
        for (const id of db.linodeIds) await fetch(`${c.sim.url}/v4/linode/instances/${id}/boot`, { method: "POST", headers: { Authorization: `Bearer ${TOKEN}` } });
        const inputs = (await hosted.check!({}, { group: "us-ord/db", linodeIds: db.linodeIds, ssh: { enabled: false }, pollIntervalMs: 20, timeoutSeconds: 10, apiUrl: c.sim.url })).inputs;
        const created = await hosted.create(inputs);
        expect(created.outs.nodes.map((n: { id: number }) => n.id)).toEqual(db.linodeIds);
        expect(statusesOf(c.sim, db.linodeIds)).toEqual(["running", "running"]);

        const web = c.groups[1]!;
        for (const id of web.linodeIds) await fetch(`${c.sim.url}/v4/linode/instances/${id}/boot`, { method: "POST", headers: { Authorization: `Bearer ${TOKEN}` } });
        const newInputs = (await hosted.check!(created.outs, { ...inputs, group: "us-ord/web", linodeIds: web.linodeIds })).inputs;
        expect((await hosted.diff!(created.id, created.outs, newInputs)).changes).toBe(true);
        const updated = await hosted.update!(created.id, created.outs, newInputs);
        expect(updated.outs.nodes.map((n: { id: number }) => n.id)).toEqual(web.linodeIds);
        c.sim.resetStats();
        await hosted.delete!(created.id, updated.outs);
        expect(c.sim.stats().requests).toBe(0);

        // The SSH probe require()s node:net inside the serialized code.
        const banner = net.createServer((sock) => sock.end("SSH-2.0-Serialized_Test\r\n"));
        await new Promise<void>((r) => banner.listen(0, "127.0.0.1", r));
        try {
            const port = (banner.address() as net.AddressInfo).port;
            const withSsh = (await hosted.check!(updated.outs, { ...newInputs, ssh: { port, addresses: web.linodeIds.map(() => "127.0.0.1"), marker: "skip" } })).inputs;
            const probed = await hosted.update!(created.id, updated.outs, withSsh);
            expect(probed.outs.nodes.map((n: { ssh: string }) => n.ssh)).toEqual(["ok", "ok", "ok"]);
        } finally {
            banner.close();
        }
    });
});
