/** Regenerates the per-template reference in docs/templates.md:  npx tsx sdk/templates/write-docs.ts */
import * as fs from "node:fs";
import * as path from "node:path";
import { describeTemplate } from "./describe";
import { renderTemplateDocs, replaceGeneratedRegion } from "./docs";
import { loadTemplates } from "./load";

const file = path.join(__dirname, "..", "..", "docs", "templates.md");
const generated = renderTemplateDocs(loadTemplates().map((t) => describeTemplate(t)));
fs.writeFileSync(file, replaceGeneratedRegion(fs.readFileSync(file, "utf8"), generated));
console.log(`updated ${path.relative(process.cwd(), file)}`);
