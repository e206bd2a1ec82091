/** Instance lifecycle, power actions, busy answers, validation and deletion in the simulator. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../../sim";
import { rawApi } from "./http";

describe("simulated Linode instances", () => {
    let sim: RunningSimulator;
    let api: ReturnType<typeof rawApi>;
    // The simulator's clock moves only when a test says so: every state is seen however slow the machine.
    let now = Date.UTC(2026, 0, 1);
    const elapse = (ms: number): void => {
        now += ms;
    };
    beforeAll(async () => {
        // Rate limits are tested on their own; here they would only slow the many creates down.
        sim = await startSimulator({
            bootMs: 120,
            rateLimits: false,
            timings: { provisionMs: 60, shutdownMs: 60, rebootMs: 80, deleteMs: 60 },
            clock: () => now,
        });
        api = rawApi(sim.url);
    });
    afterAll(() => sim.close());

    const create = (body: Record<string, unknown>) =>
        api("POST", "/linode/instances", { region: "us-ord", type: "g6-nanode-1", image: "linode/debian12", root_pass: "Sup3r-s3cret!", ...body });

    it("provisions, boots and runs, logging linode_create and linode_boot", async () => {
        const made = await create({ label: "life-1", tags: ["lct:cluster=x"], private_ip: true });
        expect(made.status).toBe(200);
        expect(made.body.status).toBe("provisioning");
        expect(made.body.ipv4).toHaveLength(2);
        const seen: string[] = [];
        for (let i = 0; i < 40; i++) {
            const s = (await api("GET", `/linode/instances/${made.body.id}`)).body.status as string;
            if (seen[seen.length - 1] !== s) seen.push(s);
            if (s === "running") break;
            elapse(10);
        }
        expect(seen).toEqual(["provisioning", "booting", "running"]);
        const events = await api("GET", "/account/events", undefined, { "X-Filter": JSON.stringify({ "entity.id": made.body.id, "+order_by": "id", "+order": "asc" }) });
        expect(events.body.data.map((e: any) => `${e.action}:${e.status}`)).toEqual(["linode_create:finished", "linode_boot:finished"]);
    });

    it("stays offline after create when booted is false, or without an image", async () => {
        const a = await create({ label: "cold-1", booted: false });
        const b = await api("POST", "/linode/instances", { region: "us-ord", type: "g6-nanode-1", label: "empty-1" });
        elapse(90);
        expect((await api("GET", `/linode/instances/${a.body.id}`)).body.status).toBe("offline");
        expect((await api("GET", `/linode/instances/${b.body.id}`)).body.status).toBe("offline");
    });

    it("shuts down and boots; answers 400 Linode busy. mid-transition", async () => {
        const node = sim.addInstance({ label: "power-1", region: "us-ord", type: "g6-nanode-1", image: "linode/debian12" }, "running");
        const id = node.id as number;
        expect((await api("POST", `/linode/instances/${id}/shutdown`)).body).toEqual({});
        expect((await api("GET", `/linode/instances/${id}`)).body.status).toBe("shutting_down");
        const busy = await api("POST", `/linode/instances/${id}/boot`);
        expect([busy.status, busy.body]).toEqual([400, { errors: [{ reason: "Linode busy." }] }]);
        elapse(80);
        expect((await api("GET", `/linode/instances/${id}`)).body.status).toBe("offline");
        // Shutting down an offline Linode changes nothing.
        expect((await api("POST", `/linode/instances/${id}/shutdown`)).status).toBe(200);
        await api("POST", `/linode/instances/${id}/boot`);
        expect((await api("GET", `/linode/instances/${id}`)).body.status).toBe("booting");
        elapse(150);
        expect((await api("GET", `/linode/instances/${id}`)).body.status).toBe("running");
        await api("POST", `/linode/instances/${id}/reboot`);
        expect((await api("GET", `/linode/instances/${id}`)).body.status).toBe("rebooting");
        elapse(110);
        expect((await api("GET", `/linode/instances/${id}`)).body.status).toBe("running");
    });

    it("reports every invalid field at once", async () => {
        const r = await api("POST", "/linode/instances", { region: "mars", type: "g0-huge", image: "linode/beos", label: "9lives", tags: ["x"], stackscript_id: 5 });
        expect(r.status).toBe(400);
        expect(r.body.errors.map((e: any) => e.field)).toEqual(["region", "type", "image", "label", "root_pass", "stackscript_id", "tags"]);
        const noPass = await api("POST", "/linode/instances", { region: "us-ord", type: "g6-nanode-1", image: "linode/debian12" });
        expect(noPass.body.errors).toEqual([{ field: "root_pass", reason: "root_pass is required when creating a Linode from an Image" }]);
        const missing = await api("POST", "/linode/instances", {});
        expect(missing.body.errors.map((e: any) => e.field)).toEqual(["region", "type"]);
        await create({ label: "twice-1" });
        expect((await create({ label: "twice-1" })).body.errors[0].field).toBe("label");
    });

    it("checks user data: base64, size, region and image capabilities", async () => {
        const big = Buffer.alloc(70_000, "a").toString("base64");
        const r = await create({ label: "ud-1", metadata: { user_data: big } });
        expect(r.body.errors).toEqual([{ field: "metadata.user_data", reason: "user_data must be at most 65535 bytes before encoding" }]);
        const ok = await create({ label: "ud-2", metadata: { user_data: Buffer.from("#cloud-config\n").toString("base64") } });
        expect(ok.body.has_user_data).toBe(true);
        expect((await create({ label: "ud-3", metadata: { user_data: "not base64!" } })).status).toBe(400);
    });

    it("updates label and tags, and filters by tag", async () => {
        const node = sim.addInstance({ label: "upd-1", region: "us-ord", type: "g6-nanode-1", image: "linode/debian12" }, "running");
        const put = await api("PUT", `/linode/instances/${node.id}`, { label: "upd-2", tags: ["lct:cluster=upd", "lct:group=g"] });
        expect([put.body.label, put.body.tags]).toEqual(["upd-2", ["lct:cluster=upd", "lct:group=g"]]);
        const list = await api("GET", "/linode/instances", undefined, { "X-Filter": JSON.stringify({ tags: "lct:cluster=upd" }) });
        expect(list.body.data.map((i: any) => i.id)).toEqual([node.id]);
        expect((await api("PUT", `/linode/instances/${node.id}`, { label: "a" })).status).toBe(400);
    });

    it("deletes: deleting, then gone; volumes detached at once", async () => {
        const node = sim.addInstance({ label: "del-1", region: "us-ord", type: "g6-nanode-1", image: "linode/debian12" }, "running");
        const vol = await api("POST", "/volumes", { label: "del-vol", linode_id: node.id, size: 10 });
        expect(vol.body.linode_id).toBe(node.id);
        expect((await api("DELETE", `/linode/instances/${node.id}`)).body).toEqual({});
        expect((await api("GET", `/linode/instances/${node.id}`)).body.status).toBe("deleting");
        expect((await api("GET", `/volumes/${vol.body.id}`)).body.linode_id).toBeNull();
        expect((await api("POST", `/linode/instances/${node.id}/boot`)).status).toBe(400);
        elapse(80);
        expect((await api("GET", `/linode/instances/${node.id}`)).status).toBe(404);
        const ev = await api("GET", "/account/events", undefined, { "X-Filter": JSON.stringify({ action: "linode_delete", "entity.id": node.id }) });
        expect(ev.body.data[0].status).toBe("finished");
    });

    it("serves addresses and adds one private IPv4 at most", async () => {
        const node = sim.addInstance({ label: "ips-1", region: "us-ord", type: "g6-nanode-1", image: "linode/debian12" }, "running");
        const ips = await api("GET", `/linode/instances/${node.id}/ips`);
        expect(ips.body.ipv4.public[0].address).toBe((node.ipv4 as string[])[0]);
        expect(ips.body.ipv4.private).toEqual([]);
        const added = await api("POST", `/linode/instances/${node.id}/ips`, { type: "ipv4", public: false });
        expect(added.body.address).toMatch(/^192\.168\.(1[2-9]\d|2[0-5]\d)\.\d+$/);
        expect((await api("POST", `/linode/instances/${node.id}/ips`, { type: "ipv4", public: false })).status).toBe(400);
        expect((await api("PUT", `/linode/instances/${node.id}/ips/${added.body.address}`, { rdns: null })).status).toBe(200);
        expect((await api("DELETE", `/linode/instances/${node.id}/ips/${(node.ipv4 as string[])[0]}`)).status).toBe(400);
    });

    it("wants a token except on public endpoints", async () => {
        const anon = rawApi(sim.url, null);
        expect((await anon("GET", "/linode/instances")).status).toBe(401);
        expect((await anon("GET", "/linode/instances")).body).toEqual({ errors: [{ reason: "Invalid Token" }] });
        expect((await anon("GET", "/regions")).status).toBe(200);
        expect((await anon("GET", "/images/linode%2Fdebian12")).body.id).toBe("linode/debian12");
        expect((await anon("GET", "/images/linode/debian12")).body.id).toBe("linode/debian12");
    });

    it("paginates with the API's bounds", async () => {
        expect((await api("GET", "/linode/types?page_size=10")).body).toEqual({ errors: [{ field: "page_size", reason: "Must be between 25 and 500" }] });
        const p2 = await api("GET", "/linode/types?page_size=25&page=2");
        expect([p2.body.page, p2.body.pages, p2.body.results, p2.body.data.length]).toEqual([2, 2, 37, 12]);
        expect((await api("GET", "/linode/types?page_size=25&page=99")).body.page).toBe(2);
    });
});
