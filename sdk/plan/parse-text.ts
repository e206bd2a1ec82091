import { Document, isMap, isPair, isScalar, isSeq, LineCounter, Node, parseDocument } from "yaml";
import { PlanInputError } from "./input-error";
import type { PathSegment } from "./issues";

/** Finds where a plan path is in the source text (1-based line and column), when it can. */
export type Locator = (path: readonly PathSegment[], opts?: { key?: boolean }) => { line: number; column: number } | undefined;

export interface ParsedText {
    value: unknown;
    locate: Locator;
}

const MAX_ALIAS_EXPANSION = 10_000;

/** Parses YAML (JSON is YAML) into a plain value, keeping positions for messages. */
export function parsePlanText(text: string, file?: string): ParsedText {
    const lineCounter = new LineCounter();
    // logLevel "error": yaml's warnings (e.g. a mapping used as a key) would go to process warnings on stderr.
    // merge: YAML 1.1 merge keys (`<<: *defaults`), which plans sharing group settings use.
    const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true, strict: true, logLevel: "error", merge: true });
    const first = doc.errors[0];
    if (first) {
        const pos = first.linePos?.[0];
        const summary = first.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
        const reason =
            first.code === "RESOURCE_EXHAUSTION"
                ? "the document is nested too deeply to be a plan"
                : first.code === "MULTIPLE_DOCS"
                  ? "holds several YAML documents; a plan is one document"
                  : `is not valid YAML: ${summary}`;
        // Exhaustion is detected where the parser's stack ran out, which depends on the machine, not the text.
        if (first.code === "RESOURCE_EXHAUSTION") throw new PlanInputError(reason, file);
        throw new PlanInputError(reason, file, pos?.line, pos?.col);
    }
    let value: unknown;
    try {
        // yaml counts uses × nodes under each anchor: a bomb exceeds this within a few levels,
        // while a plan reusing a type or a service block in hundreds of groups stays far below.
        value = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION });
    } catch (e) {
        if (e instanceof ReferenceError && /alias/i.test(e.message)) {
            throw new PlanInputError("uses too many YAML aliases (an alias bomb?); expand them or simplify the file", file);
        }
        if (e instanceof RangeError) throw new PlanInputError("the document is nested too deeply to be a plan", file);
        throw new PlanInputError(`cannot be read as YAML: ${(e as Error).message}`, file);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        const found = value === null ? "nothing" : Array.isArray(value) ? "a list" : `a ${typeof value}`;
        throw new PlanInputError(`must hold a mapping (name, regions, …) at the top, found ${found}`, file, 1, 1);
    }
    return { value, locate: locator(doc, lineCounter) };
}

function locator(doc: Document, lines: LineCounter): Locator {
    return (path, opts) => {
        let node: unknown = doc.contents;
        let keyNode: Node | undefined;
        let deepest: Node | undefined = doc.contents ?? undefined;
        for (const seg of path) {
            keyNode = undefined;
            if (isMap(node)) {
                const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
                if (!pair) break;
                keyNode = pair.key as Node;
                node = pair.value;
            } else if (isSeq(node) && typeof seg === "number") {
                node = node.items[seg];
            } else {
                break;
            }
            if (node && typeof node === "object" && "range" in node) deepest = node as Node;
            else if (keyNode) deepest = keyNode;
        }
        const target = opts?.key && keyNode ? keyNode : deepest;
        const offset = target?.range?.[0];
        if (offset === undefined) return undefined;
        const { line, col } = lines.linePos(offset);
        return { line, column: col };
    };
}
