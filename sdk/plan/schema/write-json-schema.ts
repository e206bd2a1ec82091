// `npm run schema`: regenerates schema/cluster-plan.schema.json from the zod source.
import * as fs from "node:fs";
import * as path from "node:path";
import { clusterPlanJsonSchemaText } from "./json-schema";

const out = path.join(__dirname, "..", "..", "..", "schema", "cluster-plan.schema.json");
fs.writeFileSync(out, clusterPlanJsonSchemaText());
console.log(`wrote ${path.relative(process.cwd(), out)}`);
