/** Events, volumes, tags, firewalls and NodeBalancers in the simulator. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../../sim";
import { rawApi } from "./http";

describe("simulator resources", () => {
    let sim: RunningSimulator;
    let api: ReturnType<typeof rawApi>;
    // The simulator's clock moves only when a test says so: every state is seen however slow the machine.
    let now = Date.UTC(2026, 0, 1);
    const elapse = (ms: number): void => {
        now += ms;
    };
    beforeAll(async () => {
        sim = await startSimulator({ bootMs: 40, timings: { volumeMs: 40, shutdownMs: 40 }, clock: () => now });
        api = rawApi(sim.url);
    });
    afterAll(() => sim.close());

    it("answers the event poller's dotted-key filter the way linodego sends it", async () => {
        const node = sim.addInstance({ label: "ev-1", region: "us-ord", type: "g6-nanode-1", image: "linode/debian12" }, "offline");
        const before = (await api("GET", "/account/events")).body.data[0]?.id ?? 0;
        await api("POST", `/linode/instances/${node.id}/boot`);
        const filter = { "+order": "desc", "+order_by": "created", action: "linode_boot", "entity.id": node.id, "entity.type": "linode", id: { "+gte": before } };
        const started = await api("GET", "/account/events", undefined, { "X-Filter": JSON.stringify(filter) });
        expect(started.body.data).toHaveLength(1);
        expect(started.body.data[0].status).toBe("started");
        elapse(60);
        const ev = await api("GET", `/account/events/${started.body.data[0].id}`);
        expect([ev.body.status, ev.body.percent_complete]).toEqual(["finished", 100]);
        const since = await api("GET", "/account/events", undefined, { "X-Filter": JSON.stringify({ created: { "+gte": ev.body.created }, "entity.id": node.id }) });
        expect(since.body.data.map((e: any) => e.id)).toContain(ev.body.id);
        expect((await api("GET", "/account/events", undefined, { "X-Filter": '{"status":"finished"}' })).body.errors[0].reason).toBe("Cannot filter on status");
    });

    it("runs a volume through create, attach, detach and delete", async () => {
        const a = sim.addInstance({ label: "vol-host", region: "us-ord", type: "g6-nanode-1", image: "linode/debian12" }, "running");
        const far = sim.addInstance({ label: "vol-far", region: "de-fra-2", type: "g6-nanode-1", image: "linode/debian12" }, "running");
        const v = await api("POST", "/volumes", { label: "data-1", region: "us-ord", size: 20, tags: ["lct:cluster=v"] });
        expect(v.body.status).toBe("creating");
        expect((await api("POST", `/volumes/${v.body.id}/attach`, { linode_id: a.id })).status).toBe(400);
        elapse(60);
        expect((await api("GET", `/volumes/${v.body.id}`)).body.status).toBe("active");
        const cross = await api("POST", `/volumes/${v.body.id}/attach`, { linode_id: far.id });
        expect(cross.body.errors[0]).toEqual({ field: "linode_id", reason: "Volume and Linode must be in the same region" });
        const attached = await api("POST", `/volumes/${v.body.id}/attach`, { linode_id: a.id });
        expect([attached.body.linode_id, attached.body.linode_label]).toEqual([a.id, "vol-host"]);
        expect((await api("GET", `/linode/instances/${a.id}/volumes`)).body.data.map((x: any) => x.id)).toEqual([v.body.id]);
        expect((await api("DELETE", `/volumes/${v.body.id}`)).body.errors[0].reason).toMatch(/detached/);
        expect((await api("POST", `/volumes/${v.body.id}/detach`)).body).toEqual({});
        expect((await api("POST", `/volumes/${v.body.id}/resize`, { size: 10 })).status).toBe(400);
        expect((await api("POST", `/volumes/${v.body.id}/resize`, { size: 30 })).body.size).toBe(30);
        expect((await api("DELETE", `/volumes/${v.body.id}`)).status).toBe(200);
        expect((await api("GET", `/volumes/${v.body.id}`)).status).toBe(404);
        const bad = await api("POST", "/volumes", { label: "no.dots", size: 5 });
        expect(bad.body.errors.map((e: any) => e.field)).toEqual(["label", "region", "size"]);
    });

    it("lists, creates, reads and deletes tags across object types", async () => {
        const n = sim.addInstance({ label: "tag-node", region: "us-ord", type: "g6-nanode-1", image: "linode/debian12", tags: ["lct:cluster=t"] }, "running");
        const tagged = await api("POST", "/tags", { label: "team-x", linodes: [n.id] });
        expect(tagged.body).toEqual({ label: "team-x" });
        const labels = (await api("GET", "/tags?page_size=500")).body.data.map((t: any) => t.label);
        expect(labels).toEqual(expect.arrayContaining(["lct:cluster=t", "team-x"]));
        const objs = await api("GET", "/tags/team-x");
        expect(objs.body.data.map((o: any) => [o.type, o.data.id])).toEqual([["linode", n.id]]);
        expect((await api("DELETE", "/tags/team-x")).status).toBe(200);
        expect((await api("GET", `/linode/instances/${n.id}`)).body.tags).toEqual(["lct:cluster=t"]);
        expect((await api("GET", "/tags/team-x")).status).toBe(404);
    });

    it("keeps firewall rules, versions and devices", async () => {
        const n = sim.addInstance({ label: "fw-node", region: "us-ord", type: "g6-nanode-1", image: "linode/debian12" }, "running");
        const rules = {
            inbound_policy: "DROP",
            outbound_policy: "ACCEPT",
            inbound: [{ action: "ACCEPT", protocol: "TCP", ports: "22, 443", addresses: { ipv4: ["203.0.113.0/24"] }, label: "ssh-in" }],
        };
        const fw = await api("POST", "/networking/firewalls", { label: "fw-one", rules, devices: { linodes: [n.id] } });
        expect([fw.status, fw.body.rules.version, fw.body.rules.fingerprint]).toEqual([200, 1, expect.stringMatching(/^[0-9a-f]{8}$/)]);
        const devices = await api("GET", `/networking/firewalls/${fw.body.id}/devices`);
        expect(devices.body.data.map((d: any) => d.entity.id)).toEqual([n.id]);
        const put = await api("PUT", `/networking/firewalls/${fw.body.id}/rules`, { ...rules, inbound: [] });
        expect([put.body.version, put.body.inbound]).toEqual([2, []]);
        expect((await api("GET", `/linode/instances/${n.id}/firewalls`)).body.data.map((f: any) => f.id)).toEqual([fw.body.id]);
        const bad = await api("POST", "/networking/firewalls", {
            label: "fw-one",
            rules: { inbound_policy: "DROP", inbound: [{ action: "ACCEPT", protocol: "ICMP", ports: "22", addresses: { ipv4: [] } }] },
        });
        expect(bad.body.errors.map((e: any) => e.field)).toEqual(["label", "rules.outbound_policy", "rules.inbound[0].addresses", "rules.inbound[0].ports"]);
        const tooMany = Array.from({ length: 26 }, () => rules.inbound[0]);
        expect((await api("PUT", `/networking/firewalls/${fw.body.id}/rules`, { ...rules, inbound: tooMany })).body.errors[0].reason).toMatch(/at most 25/);
    });

    it("marks NodeBalancer nodes UP only while their Linode runs", async () => {
        const n = sim.addInstance({ label: "nb-backend", region: "us-ord", type: "g6-nanode-1", image: "linode/debian12", privateIp: true }, "running");
        const priv = (n.ipv4 as string[])[1];
        const nb = await api("POST", "/nodebalancers", { region: "us-ord", label: "front-nb", configs: [{ port: 443, protocol: "tcp", nodes: [{ address: `${priv}:443`, label: "backend-1" }] }] });
        expect(nb.status).toBe(200);
        const configs = await api("GET", `/nodebalancers/${nb.body.id}/configs`);
        const cfg = configs.body.data[0];
        expect([cfg.port, cfg.nodes_status]).toEqual([443, { up: 1, down: 0 }]);
        await api("POST", `/linode/instances/${n.id}/shutdown`);
        elapse(60);
        const nodes = await api("GET", `/nodebalancers/${nb.body.id}/configs/${cfg.id}/nodes`);
        expect(nodes.body.data[0].status).toBe("DOWN");
        expect((await api("POST", `/nodebalancers/${nb.body.id}/configs`, { port: 443 })).body.errors[0].field).toBe("port");
        expect((await api("POST", `/nodebalancers/${nb.body.id}/configs/${cfg.id}/nodes`, { address: "10.0.0.1:80", label: "bad" })).status).toBe(400);
        expect((await api("DELETE", `/nodebalancers/${nb.body.id}`)).status).toBe(200);
    });
});
