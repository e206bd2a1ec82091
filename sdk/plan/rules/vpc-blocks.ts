import { blocksInSubnet, blocksNeeded, groupFirstBlock, HOSTS_PER_BLOCK } from "../../network/vpc-addresses";
import { error, PlanIssue } from "../issues";
import type { PlanRule } from "./rule";

/** Each VPC group owns a run of /24 blocks; runs must fit the subnet and not overlap. */
export const vpcBlocks: PlanRule = {
    id: "vpc-blocks",
    phase: "resolved",
    check({ resolved, plan }) {
        const issues: PlanIssue[] = [];
        for (const region of resolved.regions) {
            if (!region.vpc) continue;
            const subnet = region.vpc.subnet;
            const total = blocksInSubnet(subnet);
            if (total === 0) continue; // Reported by the subnet rule.
            const runs: Array<{ path: string; name: string; first: number; last: number }> = [];
            for (const key of region.groups) {
                const g = resolved.groups.find((x) => x.key === key)!;
                const ri = plan.regions.findIndex((r) => r.region === region.id);
                const pinned = plan.regions[ri]?.nodeGroups.find((x) => x.name === g.name)?.addressBlock;
                const first = groupFirstBlock(g.name, subnet, pinned);
                const last = first + blocksNeeded(g.count) - 1;
                const path = `${g.path}.${pinned !== undefined ? "addressBlock" : "name"}`;
                if (last >= total) {
                    issues.push(
                        error(
                            "vpc-blocks.fit",
                            path,
                            `needs VPC blocks ${first}–${last} (${HOSTS_PER_BLOCK} nodes per /24) but ${subnet} has blocks 0–${total - 1}; pin a lower addressBlock or use a larger vpcSubnet`,
                        ),
                    );
                }
                for (const other of runs) {
                    if (first <= other.last && other.first <= last) {
                        issues.push(
                            error(
                                "vpc-blocks.overlap",
                                path,
                                `VPC address blocks ${first}–${last} of group ${g.name} overlap blocks ${other.first}–${other.last} of group ${other.name}; set addressBlock on one of them (free blocks: ${freeBlocks(runs, first, last, total)})`,
                            ),
                        );
                    }
                }
                runs.push({ path, name: g.name, first, last });
            }
        }
        return issues;
    },
};

function freeBlocks(runs: ReadonlyArray<{ first: number; last: number }>, first: number, last: number, total: number): string {
    const used = new Set<number>();
    for (const r of [...runs, { first, last }]) for (let b = r.first; b <= r.last; b++) used.add(b);
    const free = [];
    for (let b = 1; b < total && free.length < 3; b++) if (!used.has(b)) free.push(b);
    return free.length ? `${free.join(", ")}, …` : "none";
}
