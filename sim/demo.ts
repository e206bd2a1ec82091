/** A small tagged cluster to play with: `lct sim --demo demo`, then `lct cluster start demo`. */
import { nodeTags } from "../sdk/naming/tags";
import type { RunningSimulator } from "./server";

export const DEMO_LAYOUT: ReadonlyArray<{ group: string; role: string; bootOrder: number; count: number }> = [
    { group: "db", role: "database", bootOrder: 1, count: 2 },
    { group: "app", role: "app", bootOrder: 2, count: 3 },
    { group: "web", role: "web", bootOrder: 3, count: 2 },
];

/** Adds the demo cluster's nodes, all offline; returns how many. */
export function seedDemoCluster(sim: RunningSimulator, cluster: string, region = "us-ord"): number {
    let n = 0;
    for (const g of DEMO_LAYOUT) {
        for (let i = 1; i <= g.count; i++) {
            sim.addInstance(
                {
                    label: `${cluster}-${g.group}-${i}`,
                    region,
                    type: "g6-standard-1",
                    image: "linode/debian12",
                    privateIp: true,
                    tags: nodeTags({ cluster, region, group: g.group, role: g.role, bootOrder: g.bootOrder, extra: [] }),
                },
                "offline",
            );
            n++;
        }
    }
    return n;
}
