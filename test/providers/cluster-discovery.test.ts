import { describe, expect, it } from "vitest";
import type { LinodeInstance } from "../../sdk/linode-api/types";
import { nodeTags } from "../../sdk/naming/tags";
import { groupClusterNodes } from "../../sdk/providers/cluster-discovery";

let nextId = 1;
function node(label: string, tags: string[], region = "us-ord"): LinodeInstance {
    return { id: nextId++, label, status: "offline", region, type: "g6-nanode-1", image: null, tags, ipv4: [], ipv6: null, created: "", updated: "" };
}
const tagged = (group: string, bootOrder: number, region = "us-ord") => nodeTags({ cluster: "c", region, group, role: group, bootOrder, extra: [] });

describe("groupClusterNodes", () => {
    it("groups by region and group tags, ordered by boot order", () => {
        const c = groupClusterNodes("c", [
            node("web-2", tagged("web", 2)),
            node("db-1", tagged("db", 1)),
            node("web-1", tagged("web", 2)),
            node("db-fra", tagged("db", 1, "de-fra-2"), "de-fra-2"),
        ]);
        expect(c.groups.map((g) => [g.name, g.bootOrder, g.nodes.map((n) => n.label)])).toEqual([
            ["de-fra-2/db", 1, ["db-fra"]],
            ["us-ord/db", 1, ["db-1"]],
            ["us-ord/web", 2, ["web-1", "web-2"]],
        ]);
        expect(c.warnings).toEqual([]);
    });
    it("starts nodes without a boot order last, and says so", () => {
        const c = groupClusterNodes("c", [node("a", tagged("db", 4)), node("b", ["lct:cluster=c", "lct:group=misc"])]);
        expect(c.groups.map((g) => [g.name, g.bootOrder])).toEqual([
            ["us-ord/db", 4],
            ["us-ord/misc", 5],
        ]);
        expect(c.warnings).toEqual(["group us-ord/misc has no lct:boot-order=<n> tag; it starts last (order 5)"]);
    });
    it("takes the lowest boot order when a group's nodes disagree", () => {
        const c = groupClusterNodes("c", [node("a", tagged("db", 3)), node("b", tagged("db", 1))]);
        expect(c.groups[0]?.bootOrder).toBe(1);
        expect(c.warnings[0]).toMatch(/boot orders 3 and 1; using 1/);
    });
});
