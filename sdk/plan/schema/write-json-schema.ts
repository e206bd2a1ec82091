// `npm run schema`: regenerates schema/cluster-plan.schema.json from the zod source.
import * as fs from "node:fs";
import * as path from "node:path";
import { packagePath } from "../package-root";
import { clusterPlanJsonSchemaText } from "./json-schema";

const out = packagePath("schema", "cluster-plan.schema.json");
fs.writeFileSync(out, clusterPlanJsonSchemaText());
console.log(`wrote ${path.relative(process.cwd(), out)}`);
