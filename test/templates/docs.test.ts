/** docs/templates.md: its generated reference is up to date, and every template is described. */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { describeTemplate, loadTemplates } from "../../sdk/templates";
import { UPSTREAM_RELEASES } from "../../sdk/templates/bootstrap";
import { DOCS_BEGIN, DOCS_END, renderTemplateDocs } from "../../sdk/templates/docs";
import { CLIENT_FACING_EXCEPTIONS, TEMPLATE_NAMES } from "./support";

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

    it("lists exactly the tested client-facing exceptions to the inter-node ports", () => {
        const table = DOCS.split("\n").filter((l) => /^\| `[a-z-]+` \| `[a-z-]+` \| [\d-]+ \| /.test(l));
        const documented = table.map((l) => l.split(" | ").slice(0, 3).join(" | "));
        const tested = Object.entries(CLIENT_FACING_EXCEPTIONS).flatMap(([t, roles]) => Object.entries(roles).flatMap(([role, ports]) => Object.keys(ports).map((p) => `| \`${t}\` | \`${role}\` | ${p}`)));
        expect(documented.sort()).toEqual(tested.sort());
    });

    it("lists every pinned upstream release with its URL and SHA-512", () => {
        for (const r of UPSTREAM_RELEASES) {
            const row = DOCS.split("\n").find((l) => l.includes(`\`${r.url}\``));
            expect(row, r.url).toBeDefined();
            expect(row).toContain(`| ${r.version}`);
            expect(row).toContain(`\`${r.sha512}\``);
        }
    });
});
