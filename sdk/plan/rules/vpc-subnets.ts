import { hasHostBits, isRfc1918, LINODE_PRIVATE_RANGE, overlaps, parseCidr } from "../../network/cidr";
import { blocksInSubnet } from "../../network/vpc-addresses";
import { error, PlanIssue, warning } from "../issues";
import type { PlanRule } from "./rule";

/** VPC subnets: RFC 1918, room for LCT's /24 blocks, clear of Linode's private range and of each other. */
export const vpcSubnets: PlanRule = {
    id: "vpc-subnets",
    phase: "plan",
    check({ plan }) {
        const issues: PlanIssue[] = [];
        const privateRange = parseCidr(LINODE_PRIVATE_RANGE)!;
        const seen: Array<{ path: string; text: string }> = [];
        plan.regions.forEach((r, ri) => {
            if (r.vpcSubnet === undefined) return;
            const path = `regions[${ri}].vpcSubnet`;
            const n = parseCidr(r.vpcSubnet);
            if (!n) return; // Schema has reported it.
            if ((r.privateNetwork ?? plan.privateNetwork) === "private-ip") {
                issues.push(warning("vpc-subnets.unused", path, "ignored: this region uses private IPv4, not a VPC"));
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
            for (const other of seen) {
                if (overlaps(n, parseCidr(other.text)!)) {
                    issues.push(error("vpc-subnets.overlap", path, `${r.vpcSubnet} overlaps ${other.text} (${other.path})`));
                }
            }
            seen.push({ path, text: r.vpcSubnet });
        });
        return issues;
    },
};
