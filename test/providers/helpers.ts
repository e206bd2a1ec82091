/** Shared set-up for provider tests: a simulator with a tagged cluster seeded in place. */
import { nodeTags } from "../../sdk/naming/tags";
import type { PowerGroup } from "../../sdk/providers/power-plan";
import { startSimulator, type RunningSimulator, type SimulatorOptions } from "../../sim";

export interface SeededCluster {
    sim: RunningSimulator;
    groups: PowerGroup[];
    ids: number[];
}

/** Groups as `[name, bootOrder, count]`; every node starts in `status`. */
export async function simWithCluster(
    cluster: string,
    layout: Array<[string, number, number]>,
    status: "running" | "offline",
    opts: SimulatorOptions = {},
): Promise<SeededCluster> {
    const sim = await startSimulator({ bootMs: 60, timings: { shutdownMs: 40, provisionMs: 40 }, ...opts });
    const groups: PowerGroup[] = [];
    for (const [group, bootOrder, count] of layout) {
        const linodeIds: number[] = [];
        for (let i = 1; i <= count; i++) {
            const node = sim.addInstance(
                {
                    label: `${cluster}-${group}-${i}`,
                    region: "us-ord",
                    type: "g6-nanode-1",
                    image: "linode/debian12",
                    privateIp: true,
                    tags: nodeTags({ cluster, region: "us-ord", group, role: group, bootOrder, extra: [] }),
                },
                status,
            );
            linodeIds.push(node.id as number);
        }
        groups.push({ name: `us-ord/${group}`, bootOrder, linodeIds });
    }
    return { sim, groups, ids: groups.flatMap((g) => g.linodeIds) };
}

export function statusesOf(sim: RunningSimulator, ids: number[]): string[] {
    return ids.map((id) => sim.state.instances.get(id)?.status ?? "missing");
}

/** Boot and shutdown requests, in the order the simulator received them. */
export function powerActions(sim: RunningSimulator): Array<{ action: string; id: number; status: number }> {
    return sim
        .requests()
        .map((r) => ({ r, m: /^\/linode\/instances\/(\d+)\/(boot|shutdown)$/.exec(r.path) }))
        .filter((x) => x.r.method === "POST" && x.m)
        .map((x) => ({ action: x.m?.[2] as string, id: Number(x.m?.[1]), status: x.r.status }));
}
