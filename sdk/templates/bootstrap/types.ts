import type { ResolvedGroup, ResolvedNode, ResolvedPlan } from "../../plan/resolved";
import type { UpstreamRelease } from "./releases";

/**
 * Per-role first-boot software steps ("bootstrap"): what a node of a role installs and how it is
 * configured — from Debian 12 packages, or, for software Debian does not package, from a pinned
 * upstream release whose published SHA-512 is checked before anything is unpacked (releases.ts,
 * fetch.ts). Rendered as one idempotent bash script per node (script.ts).
 */

/** What a role's bootstrap needs to know about one node. */
export interface BootstrapContext {
    plan: ResolvedPlan;
    node: ResolvedNode;
    group: ResolvedGroup;
    /** The inventory wiring's group vars of the cluster (planned addresses). */
    vars: Readonly<Record<string, unknown>>;
    /** The wiring's host vars of this node. */
    hostVars: Readonly<Record<string, unknown>>;
}

export interface BootstrapFile {
    path: string;
    content: string;
    /** Octal, e.g. "0644". */
    mode: string;
    /** `user:group`; root:root when omitted. */
    owner?: string;
}

/** A pinned upstream release unpacked into `<prefix>/<name>-<version>`, linked from `<prefix>/<name>`. */
export interface ReleaseStep {
    name: string;
    prefix: string;
    release: UpstreamRelease;
}

/** One node's steps, in order: packages, releases, files, commands, services. */
export interface BootstrapSteps {
    /** Debian packages, installed with their services held back (policy-rc.d) until configured. */
    packages: string[];
    /** Pinned upstream releases, fetched and checked after the packages (curl comes from them). */
    releases: ReleaseStep[];
    /** Written after the packages, only when their content differs. */
    files: BootstrapFile[];
    /** Shell lines run after the files (idempotent each). */
    commands: string[];
    /** Enabled; (re)started when the node is booted and a file changed or the unit is not active. */
    services: string[];
}

export interface RoleBootstrap {
    /** The group role it serves. */
    role: string;
    /** What it installs, for `lct templates show` and the docs. */
    summary: string;
    /**
     * Where the software comes from: Debian 12's archive (run for real in the Debian-root
     * end-to-end test), or a pinned upstream release (not run here: no internet).
     */
    source: "debian" | "upstream";
    /**
     * For an upstream release: the template parameter choosing its version. A template (or plan)
     * without that parameter does not get this bootstrap: the version is the user's choice.
     */
    versionParameter?: string;
    /** The steps for one node; throws BootstrapError when the plan cannot support them. */
    steps(ctx: BootstrapContext): BootstrapSteps;
}

/** A plan the bootstrap cannot configure (e.g. a member whose address is unknown at plan time). */
export class BootstrapError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "BootstrapError";
    }
}
