import { createHash } from "node:crypto";

/**
 * Linode's label rules, per resource kind (spec 4.189.0; linode-api.md §16), and LCT's
 * deterministic shortening: a label that would be too long keeps its readable start and ends
 * with a hash of the full name, so it stays unique and never changes between runs.
 */
export interface LabelRule {
    kind: string;
    min: number;
    max: number;
    /** Allowed characters, as a character class body. */
    chars: string;
    /** Doubled separators that are forbidden. */
    forbiddenRuns: string[];
}

export const LABEL_RULES = {
    linode: { kind: "Linode label", min: 3, max: 64, chars: "a-zA-Z0-9._-", forbiddenRuns: ["--", "__", ".."] },
    volume: { kind: "volume label", min: 1, max: 32, chars: "a-zA-Z0-9_-", forbiddenRuns: ["--", "__"] },
    firewall: { kind: "firewall label", min: 3, max: 32, chars: "a-zA-Z0-9._-", forbiddenRuns: ["--", "__", ".."] },
    firewallRule: { kind: "firewall rule label", min: 3, max: 32, chars: "a-zA-Z0-9._-", forbiddenRuns: [] },
    nodeBalancer: { kind: "NodeBalancer label", min: 3, max: 32, chars: "a-zA-Z0-9_-", forbiddenRuns: [] },
    nodeBalancerNode: { kind: "NodeBalancer node label", min: 3, max: 32, chars: "a-zA-Z0-9._-", forbiddenRuns: [] },
    vpc: { kind: "VPC label", min: 1, max: 64, chars: "a-zA-Z0-9-", forbiddenRuns: ["--"] },
    placementGroup: { kind: "placement group label", min: 1, max: 64, chars: "a-zA-Z0-9._-", forbiddenRuns: [] },
} satisfies Record<string, LabelRule>;

/** Why a label breaks its rule, or undefined when it is valid. */
export function labelProblem(label: string, rule: LabelRule): string | undefined {
    if (label.length < rule.min || label.length > rule.max) {
        return `${rule.kind} "${label}" is ${label.length} character${label.length === 1 ? "" : "s"}; it must be ${rule.min}–${rule.max}`;
    }
    if (!new RegExp(`^[${rule.chars}]+$`).test(label)) {
        return `${rule.kind} "${label}" may only contain ${describeChars(rule.chars)}`;
    }
    if (!/^[a-zA-Z]/.test(label)) return `${rule.kind} "${label}" must begin with a letter`;
    if (!/[a-zA-Z0-9]$/.test(label)) return `${rule.kind} "${label}" must end with a letter or digit`;
    const run = rule.forbiddenRuns.find((r) => label.includes(r));
    if (run) return `${rule.kind} "${label}" must not contain "${run}"`;
    return undefined;
}

function describeChars(chars: string): string {
    const extra = chars.replace("a-zA-Z0-9", "").split("").map((c) => `"${c}"`);
    return ["letters", "digits", ...extra].join(", ");
}

export function shortHash(text: string, length = 6): string {
    return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/**
 * `name` if it fits `max`, else its first characters plus "-" and a 6-character hash of the
 * whole name. Separators are trimmed before the hash so no "--" appears.
 */
export function fitLabel(name: string, max: number): string {
    if (name.length <= max) return name;
    const hash = shortHash(name);
    const head = name.slice(0, max - hash.length - 1).replace(/[-_.]+$/, "");
    return `${head}-${hash}`;
}
