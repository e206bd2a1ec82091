import {
    CAP_BLOCK_STORAGE,
    CAP_CLOUD_FIREWALL,
    CAP_METADATA,
    CAP_NODEBALANCERS,
    CAP_PLACEMENT_GROUP,
    CAP_VPC,
    IMAGE_CAP_CLOUD_INIT,
} from "../../catalog/types";
import { error, PlanIssue } from "../issues";
import { DEFAULTS } from "../normalize/normalize";
import { forEachGroup, PlanRule } from "./rule";

/** Features the plan uses that a region or image does not offer. */
export const capabilities: PlanRule = {
    id: "capabilities",
    phase: "plan",
    check({ plan, catalog }) {
        const issues: PlanIssue[] = [];
        plan.regions.forEach((r, ri) => {
            const region = catalog.region(r.region);
            if (!region) return; // Reported by the catalogue rule.
            const has = (cap: string) => region.capabilities.includes(cap);
            if (!has(CAP_CLOUD_FIREWALL)) {
                // Every group gets its own Cloud Firewall; LCT never leaves nodes unfiltered.
                issues.push(error("capabilities.cloud-firewall", `regions[${ri}].region`, `region ${r.region} (${region.label}) has no Cloud Firewalls, which LCT puts in front of every node`));
            }
            const mode = r.privateNetwork ?? plan.privateNetwork;
            if (mode === "vpc" && !has(CAP_VPC)) {
                const where = r.privateNetwork ? `regions[${ri}].privateNetwork` : "privateNetwork";
                issues.push(error("capabilities.vpc", where, `region ${r.region} (${region.label}) has no VPCs; use "private-ip" or "auto" there`));
            }
            r.nodeGroups.forEach((g, gi) => {
                const path = `regions[${ri}].nodeGroups[${gi}]`;
                if ((g.storage ?? []).length > 0 && !has(CAP_BLOCK_STORAGE)) {
                    issues.push(error("capabilities.block-storage", `${path}.storage`, `region ${r.region} has no Block Storage`));
                }
                if (g.antiAffinity && !has(CAP_PLACEMENT_GROUP)) {
                    issues.push(error("capabilities.placement-group", `${path}.antiAffinity`, `region ${r.region} has no placement groups`));
                }
                const method = g.configMethod ?? plan.defaults?.configMethod ?? DEFAULTS.configMethod;
                if (method === "cloud-init" && !has(CAP_METADATA)) {
                    issues.push(error("capabilities.metadata", path, `region ${r.region} has no Metadata service for cloud-init; set configMethod: stackscript`));
                }
            });
        });
        (plan.loadBalancers ?? []).forEach((lb, i) => {
            const region = catalog.region(lb.region);
            if (region && !region.capabilities.includes(CAP_NODEBALANCERS)) {
                issues.push(error("capabilities.nodebalancers", `loadBalancers[${i}].region`, `region ${lb.region} has no NodeBalancers`));
            }
        });
        forEachGroup(plan, (g, path) => {
            const imageId = g.image ?? plan.defaults?.image ?? DEFAULTS.image;
            const image = catalog.image(imageId);
            const method = g.configMethod ?? plan.defaults?.configMethod ?? DEFAULTS.configMethod;
            if (image && method === "cloud-init" && !image.capabilities.includes(IMAGE_CAP_CLOUD_INIT)) {
                issues.push(
                    error("capabilities.cloud-init", g.image ? `${path}.image` : path, `image ${imageId} does not support cloud-init; choose one that does (lct catalog images), or set configMethod: stackscript for this group`),
                );
            }
            if (imageId.startsWith("private/") && method === "stackscript") {
                issues.push(error("capabilities.stackscript", `${path}.configMethod`, "StackScripts cannot deploy private images; use cloud-init"));
            }
        });
        return issues;
    },
};
