import { error, type PlanIssue } from "../plan/issues";
import type { PlanRule } from "../plan/rules/rule";
import { renderStackScript } from "./stackscript";

/**
 * One StackScript serves a whole group, with per-node values only in its UDFs. Steps that
 * differ per node in other ways (e.g. a template's software bootstrap) need cloud-init.
 */
export const stackScriptShareRule: PlanRule = {
    id: "hardening.stackscript-shared",
    phase: "resolved",
    check({ resolved }) {
        const issues: PlanIssue[] = [];
        for (const g of resolved.groups) {
            if (g.configMethod !== "stackscript") continue;
            try {
                renderStackScript(resolved, g.key, resolved.admin.sshKeys.length ? {} : { sshKeys: ["ssh-ed25519 placeholder"] });
            } catch (e) {
                issues.push(
                    error(
                        "hardening.stackscript-shared",
                        `${g.path}.configMethod`,
                        `this group's first-boot steps differ per node beyond what a shared StackScript can carry (${(e as Error).message}); use configMethod: cloud-init`,
                    ),
                );
            }
        }
        return issues;
    },
};
