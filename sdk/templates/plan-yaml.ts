import { Document, isScalar, isSeq, visit } from "yaml";
import type { RenderedTemplate } from "./render";

/**
 * The rendered plan as YAML for `lct templates init`: a normal ClusterPlan, keys in the
 * template's order, lists of plain values on one line (`ports: [9093]`), no anchors, and a
 * header saying where it came from and how to check it.
 */
export function renderPlanYaml(r: RenderedTemplate): string {
    const doc = new Document(r.plan, { aliasDuplicateObjects: false });
    visit(doc, {
        Seq(_, node) {
            if (isSeq(node) && node.items.every((i) => isScalar(i))) node.flow = true;
        },
    });
    const overrides = Object.entries(r.parameters)
        .filter(([k, v]) => JSON.stringify(r.template.parameters[k]?.default) !== JSON.stringify(v))
        .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(",") : String(v)}`);
    doc.commentBefore = [
        ` ClusterPlan rendered from the LCT template ${r.template.name} ${r.template.version} (${r.template.title}).`,
        ` Parameters changed from the defaults: ${overrides.length > 0 ? overrides.join(" ") : "none"}.`,
        " A normal plan: edit it freely, then check it with: lct validate <this file>",
    ].join("\n");
    return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
