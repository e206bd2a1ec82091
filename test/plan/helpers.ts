import { generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { bundledCatalog } from "../../sdk/catalog/load";
import type { Catalog, CatalogImage, CatalogRegion } from "../../sdk/catalog/types";
import { checkPlanValue, CheckOptions, PlanCheck } from "../../sdk/plan/check";
import type { PlanIssue } from "../../sdk/plan/issues";
import type { ResolvedPlan } from "../../sdk/plan/resolved";

/**
 * A small valid plan: one VPC region (us-ord), one group. Admin networks are set so that it has
 * no warnings: a test that expects a warning adds the cause itself.
 */
export function basePlan(): any {
    return {
        name: "demo",
        exposure: { adminCidrs: ["203.0.113.0/24"] },
        regions: [{ region: "us-ord", nodeGroups: [{ name: "web", count: 2 }] }],
    };
}

/** basePlan() changed by `fn` (which edits it in place). */
export function planWith(fn: (plan: any) => void): any {
    const p = basePlan();
    fn(p);
    return p;
}

export function check(plan: unknown, opts: CheckOptions = {}): PlanCheck {
    return checkPlanValue(plan, opts);
}

type Brief = Pick<PlanIssue, "rule" | "path" | "message"> & Partial<Pick<PlanIssue, "line" | "column">>;
const brief = (i: PlanIssue): Brief => ({ rule: i.rule, path: i.path, message: i.message, ...(i.line ? { line: i.line, column: i.column } : {}) });

export function errorsOf(c: PlanCheck): Brief[] {
    return c.issues.filter((i) => i.severity === "error").map(brief);
}

export function warningsOf(c: PlanCheck): Brief[] {
    return c.issues.filter((i) => i.severity === "warning").map(brief);
}

/** The resolved plan of a plan that must be valid; fails with every issue otherwise. */
export function resolve(plan: unknown, opts: CheckOptions = {}): ResolvedPlan {
    const c = checkPlanValue(plan, opts);
    if (!c.ok || !c.resolved) throw new Error(`expected a valid plan:\n${c.issues.map((i) => `${i.path}: ${i.message}`).join("\n")}`);
    return c.resolved;
}

/** A region that offers nothing but Linodes, to exercise every capability rule. */
export const BARE_REGION: CatalogRegion = {
    id: "xx-bare",
    label: "Bare, XX",
    country: "xx",
    capabilities: ["Linodes"],
    siteType: "core",
    maxLinodesPerPlacementGroup: 5,
    vpcIndex: 200,
};

/** The bundled catalogue with extra regions and images (the bundled regions all offer every capability). */
export function catalogWith(extra: { regions?: CatalogRegion[]; images?: CatalogImage[] } = {}): Catalog {
    return {
        ...bundledCatalog,
        regions: [...bundledCatalog.regions, ...(extra.regions ?? [])],
        images: [...bundledCatalog.images, ...(extra.images ?? [])],
    };
}

function sshString(data: Buffer): Buffer {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    return Buffer.concat([len, data]);
}

/** SSH mpint: big-endian, with a zero byte in front when the top bit is set. */
function mpint(data: Buffer): Buffer {
    return sshString(data[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), data]) : data);
}

/** A fresh OpenSSH ed25519 public key line. */
export function ed25519PublicKey(comment = "ops@example"): string {
    const jwk = generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" });
    const body = Buffer.concat([sshString(Buffer.from("ssh-ed25519")), sshString(Buffer.from(jwk.x!, "base64url"))]);
    return `ssh-ed25519 ${body.toString("base64")} ${comment}`;
}

/** A fresh OpenSSH RSA public key line of `bits` bits. */
export function rsaPublicKey(bits: number): string {
    const jwk = generateKeyPairSync("rsa", { modulusLength: bits }).publicKey.export({ format: "jwk" });
    const body = Buffer.concat([sshString(Buffer.from("ssh-rsa")), mpint(Buffer.from(jwk.e!, "base64url")), mpint(Buffer.from(jwk.n!, "base64url"))]);
    return `ssh-rsa ${body.toString("base64")} rsa@example`;
}

/**
 * A temporary directory removed by `cleanup()`. Created on first use, so a suite that is filtered
 * out (vitest -t) leaves nothing behind even though its afterAll does not run.
 */
export function tempDir(): { readonly dir: string; file(name: string, content: string | Uint8Array): string; cleanup(): void } {
    let dir: string | undefined;
    const ensure = () => (dir ??= fs.mkdtempSync(path.join(os.tmpdir(), "lct-test-")));
    return {
        get dir() {
            return ensure();
        },
        file(name, content) {
            const p = path.join(ensure(), name);
            fs.writeFileSync(p, content);
            return p;
        },
        cleanup: () => {
            if (dir) fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
