/** docs/templates.md: its generated reference is up to date, and every template is described. */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { describeTemplate, loadTemplates } from "../../sdk/templates";
import { DOCS_BEGIN, DOCS_END, renderTemplateDocs } from "../../sdk/templates/docs";
import { TEMPLATE_NAMES } from "./support";

const DOCS = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "templates.md"), "utf8");

describe("docs/templates.md", () => {
    it("holds the reference generated from the templates (npx tsx sdk/templates/write-docs.ts)", () => {
        const region = DOCS.slice(DOCS.indexOf(DOCS_BEGIN), DOCS.indexOf(DOCS_END) + DOCS_END.length);
        expect(region).toBe(renderTemplateDocs(loadTemplates().map((t) => describeTemplate(t))));
    });

    it("describes every template in its overview", () => {
        const overview = DOCS.slice(0, DOCS.indexOf(DOCS_BEGIN));
        for (const name of TEMPLATE_NAMES) expect(overview, name).toContain(`| \`${name}\` |`);
    });
});
