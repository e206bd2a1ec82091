import { CAP_VPC } from "../../catalog/types";
import { hasHostBits, isRfc1918, LINODE_PRIVATE_RANGE, Network, overlaps, parseCidr } from "../../network/cidr";
import { blocksInSubnet, defaultVpcSubnet } from "../../network/vpc-addresses";
import { error, PlanIssue, warning } from "../issues";
import type { PlanRule } from "./rule";

/**
 * VPC subnets: RFC 1918, room for LCT's /24 blocks, clear of Linode's private range and of each
 * other — including the default 10.<n>.0.0/16 subnets of the plan's other VPC regions.
 */
export const vpcSubnets: PlanRule = {
    id: "vpc-subnets",
    phase: "plan",
    check({ plan, catalog }) {
        const issues: PlanIssue[] = [];
        const privateRange = parseCidr(LINODE_PRIVATE_RANGE)!;
        // Every subnet the plan will use, explicit or default, to find overlaps.
        const used: Array<{ ri: number; text: string; net: Network; explicit: boolean }> = [];
        plan.regions.forEach((r, ri) => {
            const path = `regions[${ri}].vpcSubnet`;
            const mode = r.privateNetwork ?? plan.privateNetwork;
            const hasVpc = catalog.region(r.region)?.capabilities.includes(CAP_VPC) ?? false;
            const usesVpc = mode === "vpc" || (mode === "auto" && hasVpc);
            if (r.vpcSubnet === undefined) {
                const region = catalog.region(r.region);
                if (usesVpc && region) {
                    const text = defaultVpcSubnet(region.vpcIndex);
                    used.push({ ri, text, net: parseCidr(text)!, explicit: false });
                }
                return;
            }
            const n = parseCidr(r.vpcSubnet);
            if (!n) return; // Schema has reported it.
            if (mode === "private-ip") {
                issues.push(warning("vpc-subnets.unused", path, "ignored: this region uses private IPv4, not a VPC"));
            } else if (mode === "auto" && !hasVpc && catalog.region(r.region)) {
                issues.push(warning("vpc-subnets.unused", path, `ignored: region ${r.region} has no VPCs, so it uses private IPv4`));
            }
            if (n.version !== 4 || !isRfc1918(n)) {
                issues.push(error("vpc-subnets.rfc1918", path, `${r.vpcSubnet} is not a private (RFC 1918) IPv4 network`));
                return;
            }
            if (hasHostBits(r.vpcSubnet)) {
                issues.push(error("vpc-subnets.host-bits", path, `${r.vpcSubnet} has host bits set; write the network address`));
            }
            if (blocksInSubnet(r.vpcSubnet) === 0) {
                issues.push(error("vpc-subnets.size", path, `${r.vpcSubnet} is smaller than a /24; LCT places each group in /24 blocks`));
            }
            if (overlaps(n, privateRange)) {
                issues.push(error("vpc-subnets.private-range", path, `${r.vpcSubnet} overlaps Linode's private network ${LINODE_PRIVATE_RANGE}`));
            }
            if (usesVpc) used.push({ ri, text: r.vpcSubnet, net: n, explicit: true });
        });
        // Report each overlapping pair once, at a subnet the plan wrote (defaults cannot be edited).
        used.forEach((a, i) =>
            used.slice(0, i).forEach((b) => {
                if (!overlaps(a.net, b.net) || (!a.explicit && !b.explicit)) return;
                const [at, other] = a.explicit ? [a, b] : [b, a];
                const otherText = other.explicit ? `regions[${other.ri}].vpcSubnet` : `the default subnet of regions[${other.ri}]`;
                issues.push(error("vpc-subnets.overlap", `regions[${at.ri}].vpcSubnet`, `${at.text} overlaps ${other.text} (${otherText})`));
            }),
        );
        return issues;
    },
};
