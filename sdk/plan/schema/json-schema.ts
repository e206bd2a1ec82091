import { z } from "zod";
import { clusterPlan } from "./plan";

export const JSON_SCHEMA_ID = "https://github.com/linode-cluster-toolkit/lct/schema/cluster-plan.schema.json";

/** The published JSON Schema (for editors), generated from the same zod schema that validates plans. */
export function clusterPlanJsonSchema(): Record<string, unknown> {
    const schema = z.toJSONSchema(clusterPlan, { io: "input", target: "draft-2020-12" }) as Record<string, unknown>;
    return { ...schema, $id: JSON_SCHEMA_ID, title: "LCT ClusterPlan" };
}

export function clusterPlanJsonSchemaText(): string {
    return JSON.stringify(clusterPlanJsonSchema(), null, 2) + "\n";
}
