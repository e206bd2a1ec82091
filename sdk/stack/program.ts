import * as pulumi from "@pulumi/pulumi";
import { LinodeCluster } from "../components/linode-cluster";
import type { PlanSource } from "../plan/resolve-plan";
import { projectPath, readStackSettings, StackSettings } from "./config";
import { templatePlan } from "./template-source";

/** The root stack program: one LinodeCluster from `lct:plan` or `lct:template`; exports the inventory. */
export function stackProgram(settings: StackSettings = readStackSettings(new pulumi.Config("lct"))) {
    const plan: PlanSource = settings.plan ? projectPath(settings.plan) : templatePlan(settings.template!, settings.parameters ?? {});
    const cluster = new LinodeCluster(pulumi.getStack(), {
        plan,
        ...(settings.adminPublicKeys ? { adminPublicKeys: settings.adminPublicKeys } : {}),
        ...(settings.hasAdminPrivateKey ? { adminPrivateKey: new pulumi.Config("lct").requireSecret("adminPrivateKey") } : {}),
        ...(settings.memberSync ? { memberSync: settings.memberSync } : {}),
        ...(settings.readiness !== undefined ? { readiness: settings.readiness } : {}),
        power: settings.power ?? "running",
    });
    return {
        cluster: cluster.plan.name,
        inventory: cluster.inventory,
        nodesByGroup: cluster.nodesByGroup,
        loadBalancers: cluster.loadBalancerAddresses,
        firewallIds: cluster.firewallIds,
        adminPublicKeys: cluster.adminPublicKeys,
        ...(cluster.adminPrivateKey ? { adminPrivateKey: cluster.adminPrivateKey } : {}),
        power: settings.power ?? "running",
    };
}
