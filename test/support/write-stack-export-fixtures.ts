/**
 * Regenerates test/fixtures/stack-exports/*.json from the real root stack program under the
 * mock runtime:  npx tsx test/support/write-stack-export-fixtures.ts
 * Tests read the committed files (and hold expectations about their addresses, e.g. in
 * test/inventory/ansible-real.test.ts: re-run the inventory tests after regenerating);
 * test/inventory/stack-export.test.ts also checks freshly generated exports, so a component
 * change that breaks the reader shows up either way.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { quickstartPlan } from "./inventories";
import { stackExportFromMocks } from "./stack-exports";

const DIR = path.join(__dirname, "..", "fixtures", "stack-exports");
const ROOT = path.join(__dirname, "..", "..");

async function main(): Promise<void> {
    const cases = [
        { file: "quickstart.json", plan: quickstartPlan(), showSecrets: false },
        {
            file: "two-region-show-secrets.json",
            plan: path.join(ROOT, "test", "fixtures", "plans", "two-region.yaml"),
            showSecrets: true,
            // A stack output named like a secret but not marked secret: must never be exported.
            extraOutputs: { dbPassword: "plain-hunter2-never-exported", apiToken: "tok-never-exported" },
        },
        { file: "streams.json", plan: path.join(DIR, "plans", "streams.yaml"), showSecrets: false },
    ];
    for (const c of cases) {
        const out = await stackExportFromMocks({ plan: c.plan, showSecrets: c.showSecrets, ...(c.extraOutputs ? { extraOutputs: c.extraOutputs } : {}) });
        fs.writeFileSync(path.join(DIR, c.file), JSON.stringify(out.doc, null, 4) + "\n");
        // What no export may ever contain: every secret's plaintext, and the secret-named outputs.
        const secrets = [...out.secrets, ...Object.values(c.extraOutputs ?? {})];
        fs.writeFileSync(path.join(DIR, c.file.replace(/\.json$/, ".secrets.json")), JSON.stringify(secrets, null, 2) + "\n");
        console.log(`${c.file}: ${(out.doc.deployment.resources as unknown[]).length} resources, ${out.inventory.nodes.length} nodes, ${out.secrets.length} secrets`);
    }
}

void main();
