import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import type { ClusterPlanInput } from "../../sdk/plan/schema";

export const FIXTURES = path.join(__dirname, "..", "fixtures", "plans");

/** A fixture plan as an object (so tests can modify it). */
export function fixturePlan(name: string): ClusterPlanInput {
    return parse(fs.readFileSync(path.join(FIXTURES, `${name}.yaml`), "utf8")) as ClusterPlanInput;
}

export function fixturePath(name: string): string {
    return path.join(FIXTURES, `${name}.yaml`);
}
