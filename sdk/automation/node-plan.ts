/**
 * `lct node create <region> <type> <image>`: the original LinodeTool one-liner as a one-node
 * ClusterPlan, validated like any plan (catalogue ids with did-you-mean, SSH keys, CIDRs) and
 * kept as `~/.lct/nodes/<name>.yaml`, which the node's own stack (`node-<name>`) names in
 * `lct:plan`. Pure apart from the file helpers at the end.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify as yamlStringify } from "yaml";
import type { Catalog } from "../catalog/types";
import { checkPlanValue } from "../plan/check";
import type { PlanIssue } from "../plan/issues";
import { lctHome } from "./backend";

export interface NodeRequest {
    region: string;
    type: string;
    image: string;
    name: string;
    sshPublicKey?: string;
    adminCidrs?: string[];
}

/** The group every single node lives in: labels read `<name>-<region>-node-1`. */
export const NODE_GROUP = "node";

export function nodeStackName(name: string): string {
    return `node-${name}`;
}

/** A name for a node created without --name: the region and a short random suffix. */
export function defaultNodeName(region: string, random: () => string = () => crypto.randomBytes(2).toString("hex")): string {
    const base = /^[a-z][a-z0-9-]*$/.test(region) ? region : "node";
    return `${base}-${random()}`;
}

export function nodePlan(req: NodeRequest): Record<string, unknown> {
    return {
        name: req.name,
        description: `Single node (lct node create ${req.region} ${req.type} ${req.image})`,
        defaults: { ...(req.sshPublicKey ? { sshKeys: [req.sshPublicKey] } : {}) },
        ...(req.adminCidrs && req.adminCidrs.length ? { exposure: { adminCidrs: req.adminCidrs } } : {}),
        regions: [{ region: req.region, nodeGroups: [{ name: NODE_GROUP, type: req.type, image: req.image, count: 1 }] }],
    };
}

/** Plan paths as the command line names them. */
function argumentOf(issuePath: string): string {
    if (issuePath === "regions[0].region" || issuePath.startsWith("regions[0].region")) return "region";
    if (/^regions\[0\]\.nodeGroups\[0\]\.type/.test(issuePath)) return "type";
    if (/^regions\[0\]\.nodeGroups\[0\]\.image/.test(issuePath)) return "image";
    if (issuePath === "name") return "--name";
    if (issuePath.startsWith("defaults.sshKeys")) return "--ssh-key";
    if (issuePath.startsWith("exposure.adminCidrs")) return "--admin-cidr";
    return issuePath;
}

export interface NodePlanCheck {
    ok: boolean;
    /** Issues with their paths replaced by the argument they come from. */
    issues: PlanIssue[];
}

export function checkNodePlan(req: NodeRequest, catalog?: Catalog): NodePlanCheck {
    const check = checkPlanValue(nodePlan(req), catalog ? { catalog } : {});
    return {
        ok: check.ok,
        issues: check.issues.map((i) => ({ ...i, path: argumentOf(i.path), message: i.message.replace(/regions\[0\]\.nodeGroups\[0\]\./g, "") })),
    };
}

export function nodesDir(env: NodeJS.ProcessEnv): string {
    return path.join(lctHome(env), "nodes");
}

export function nodePlanFile(env: NodeJS.ProcessEnv, name: string): string {
    return path.join(nodesDir(env), `${name}.yaml`);
}

export function renderNodePlan(req: NodeRequest): string {
    return `# Written by lct node create; the stack ${nodeStackName(req.name)} deploys it (lct:plan).\n${yamlStringify(nodePlan(req))}`;
}

/**
 * Writes the node's plan. An existing file with the same plan is kept (re-running a create that
 * failed half-way is fine); a different one is refused.
 */
export function writeNodePlan(env: NodeJS.ProcessEnv, req: NodeRequest): { file: string; existed: boolean } {
    const file = nodePlanFile(env, req.name);
    const text = renderNodePlan(req);
    if (fs.existsSync(file)) {
        if (fs.readFileSync(file, "utf8") === text) return { file, existed: true };
        throw new Error(`node "${req.name}" already exists with another plan (${file}): delete it first (lct node delete ${req.name} --yes --remove), or pick another --name`);
    }
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, text, { mode: 0o644 });
    return { file, existed: false };
}
