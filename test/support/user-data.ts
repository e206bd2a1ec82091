import { gunzipSync } from "node:zlib";
import { parse } from "yaml";

/**
 * Decodes and inspects the cloud-config user data LCT renders, for tests of the renderers
 * and of the components (which hand the user data to Linode base64-encoded). It parses the
 * text independently of the renderers, so a test built on it checks what a node would get.
 */

export interface DecodedFile {
    path: string;
    content: string;
    permissions?: string;
    defer: boolean;
}

export interface DecodedUserData {
    text: string;
    config: Record<string, unknown>;
    /** `# ...` comment lines before the first key (node, group, profile, warnings). */
    headerComments: string[];
    files: Map<string, DecodedFile>;
    runcmd: Array<string | string[]>;
    users: Array<{ name: string; ssh_authorized_keys?: string[]; sudo?: string; groups?: string[]; lock_passwd?: boolean }>;
    packages: string[];
}

/** Accepts plain `#cloud-config` text or its base64 (as passed to `metadatas[].userData`). */
export function decodeUserData(userData: string): DecodedUserData {
    const text = userData.startsWith("#cloud-config") ? userData : Buffer.from(userData, "base64").toString("utf8");
    if (!text.startsWith("#cloud-config\n")) throw new Error("user data does not start with #cloud-config");
    const config = (parse(text) ?? {}) as Record<string, unknown>;
    const headerComments: string[] = [];
    for (const line of text.split("\n").slice(1)) {
        if (line.startsWith("#")) headerComments.push(line.replace(/^#\s?/, ""));
        else if (line.trim() !== "") break;
    }
    const files = new Map<string, DecodedFile>();
    for (const f of (config.write_files ?? []) as Array<Record<string, unknown>>) {
        const raw = String(f.content ?? "");
        const encoding = f.encoding as string | undefined;
        const content =
            encoding === "gz+b64" || encoding === "gzip+base64"
                ? gunzipSync(Buffer.from(raw, "base64")).toString("utf8")
                : encoding === "b64" || encoding === "base64"
                  ? Buffer.from(raw, "base64").toString("utf8")
                  : raw;
        files.set(String(f.path), { path: String(f.path), content, permissions: f.permissions as string | undefined, defer: f.defer === true });
    }
    return {
        text,
        config,
        headerComments,
        files,
        runcmd: (config.runcmd ?? []) as Array<string | string[]>,
        users: (config.users ?? []) as DecodedUserData["users"],
        packages: (config.packages ?? []) as string[],
    };
}

/** sshd drop-in as lower-case keyword → value (first value wins, as in sshd). */
export function sshdSettingsOf(content: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const line of content.split("\n")) {
        const m = /^\s*([A-Za-z]+)\s+(.+?)\s*$/.exec(line);
        if (!m || line.trim().startsWith("#")) continue;
        const key = m[1]!.toLowerCase();
        if (!out.has(key)) out.set(key, m[2]!);
    }
    return out;
}

export interface FirewallFacts {
    policies: { input?: string; forward?: string; output?: string };
    /** Set name → elements as written (addresses and CIDRs). */
    sets: Map<string, string[]>;
    /** Accept rules of the input chain. */
    inputRules: Array<{ protocol: string; ports: string[]; set?: string; family?: "ip" | "ip6"; world: boolean }>;
    /** Output chain ports accepted (restricted egress). */
    outputPorts: Array<{ protocol: string; ports: string[] }>;
    includes: string[];
}

/** Reads LCT's nftables ruleset text (the format renderNftables writes). */
export function firewallFactsOf(nft: string): FirewallFacts {
    const facts: FirewallFacts = { policies: {}, sets: new Map(), inputRules: [], outputPorts: [], includes: [] };
    let chain: string | undefined;
    let set: string | undefined;
    for (const raw of nft.split("\n")) {
        const line = raw.trim();
        let m: RegExpExecArray | null;
        if ((m = /^set (\S+) \{$/.exec(line))) {
            set = m[1]!;
            facts.sets.set(set, []);
        } else if (set && (m = /^elements = \{ (.*) \}$/.exec(line))) {
            facts.sets.set(set, m[1]!.split(",").map((s) => s.trim()));
        } else if ((m = /^chain (\w+) \{$/.exec(line))) {
            chain = m[1]!;
            set = undefined;
        } else if (chain && (m = /policy (accept|drop);$/.exec(line))) {
            facts.policies[chain as keyof FirewallFacts["policies"]] = m[1]!;
        } else if (line === "}") {
            if (set) set = undefined;
            else chain = undefined;
        } else if ((m = /^include "(.+)"$/.exec(line))) {
            facts.includes.push(m[1]!);
        } else if (chain === "input" && (m = /^(?:(ip6?) saddr @(\S+) )?(tcp|udp) dport (\{ [^}]+ \}|\S+) accept/.exec(line))) {
            facts.inputRules.push({
                protocol: m[3]!,
                ports: splitPorts(m[4]!),
                ...(m[2] ? { set: m[2], family: m[1] as "ip" | "ip6" } : {}),
                world: !m[2],
            });
        } else if (chain === "output" && (m = /^(tcp|udp) dport (\{ [^}]+ \}|\S+) accept/.exec(line))) {
            facts.outputPorts.push({ protocol: m[1]!, ports: splitPorts(m[2]!) });
        }
    }
    return facts;
}

function splitPorts(text: string): string[] {
    return text
        .replace(/[{}]/g, "")
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
}

/** Hosts lines of the cluster list as address → names. */
export function hostsOf(content: string): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const line of content.split("\n")) {
        const [address, ...names] = line.trim().split(/\s+/);
        if (address && !address.startsWith("#") && names.length > 0) out.set(address, names);
    }
    return out;
}

/** The `lct-node` steps in runcmd, as argv arrays without the program. */
export function stepsOf(decoded: DecodedUserData): string[][] {
    return decoded.runcmd.filter((c): c is string[] => Array.isArray(c) && c[0] === "/usr/local/sbin/lct-node").map((c) => c.slice(1));
}
