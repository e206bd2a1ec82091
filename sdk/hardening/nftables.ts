import { formatRange, mergeRanges } from "../network/ports";
import type { PortRange, PortSet, Protocol } from "../plan/resolved";
import type { HostFirewall } from "./host-firewall";

/** Debian's nftables.service loads this file at boot. */
export const NFTABLES_PATH = "/etc/nftables.conf";
/** Member sync writes here; the ruleset includes it, so synced members survive reboots. */
export const MEMBERS_DIR = "/etc/lct/members.d";
export const MEMBERS_FILE = `${MEMBERS_DIR}/members.nft`;
export const NFT_TABLE = "lct";

/**
 * Egress always allowed when restricted, to any address: DNS, NTP, DHCP, and HTTP(S) for apt
 * and the metadata service. HTTP(S) is not narrowed to the apt mirrors on purpose: they sit
 * behind CDNs whose addresses change (deb.debian.org, security.debian.org), apt resolves them
 * on its own, and a set resolved at some earlier moment would silently block security updates.
 * docs/hardening.md ("Restricted egress") says exactly what this allows.
 */
export const RESTRICTED_EGRESS_BASE: PortSet[] = [
    { protocol: "tcp", ports: [{ from: 53, to: 53 }, { from: 80, to: 80 }, { from: 443, to: 443 }] },
    { protocol: "udp", ports: [{ from: 53, to: 53 }, { from: 67, to: 67 }, { from: 123, to: 123 }] },
];

export interface RenderNftOptions {
    /** Set elements known at render time, by set name. */
    elements: Readonly<Record<string, readonly string[]>>;
    /** Comment lines at the top (node, group, profile). */
    header: string[];
}

/**
 * The ruleset replaces only LCT's own table (`table` + `delete table` + definition in one
 * transaction), so fail2ban's table and any other survive a reload, and reloading is atomic.
 */
export function renderNftables(fw: HostFirewall, opts: RenderNftOptions): string {
    const out: string[] = ["#!/usr/sbin/nft -f", ...opts.header.map((h) => `# ${h}`), `table inet ${NFT_TABLE}`, `delete table inet ${NFT_TABLE}`, ""];
    out.push(`table inet ${NFT_TABLE} {`);
    for (const set of fw.sets) {
        out.push(`\tset ${set.name} {`);
        out.push(`\t\ttype ${set.family === 4 ? "ipv4_addr" : "ipv6_addr"}`);
        out.push("\t\tflags interval");
        out.push("\t\tauto-merge");
        const elements = opts.elements[set.name] ?? [];
        if (elements.length > 0) out.push(`\t\telements = { ${elements.map(shortAddress).join(", ")} }`);
        out.push("\t}", "");
    }
    out.push("\tchain input {", "\t\ttype filter hook input priority filter; policy drop;");
    out.push(
        '\t\tiif "lo" accept',
        '\t\tiif != "lo" ip saddr 127.0.0.0/8 drop',
        '\t\tiif != "lo" ip6 saddr ::1 drop',
        "\t\tct state invalid drop",
        "\t\tct state established,related accept",
        "\t\ticmp type { destination-unreachable, time-exceeded, parameter-problem } accept",
        "\t\ticmp type echo-request limit rate 20/second accept",
        // Without neighbour discovery and RAs there is no IPv6 at all.
        "\t\ticmpv6 type { destination-unreachable, packet-too-big, time-exceeded, parameter-problem, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert } accept",
        "\t\ticmpv6 type echo-request limit rate 20/second accept",
    );
    for (const rule of fw.rules) {
        const match = `${rule.protocol} dport ${portMatch(rule.ports)}`;
        const what = `${rule.purpose} ${rule.name}`;
        if (rule.world) out.push(`\t\t${match} accept comment "${what}"`);
        for (const set of rule.sets) {
            const family = set.endsWith("_v6") ? "ip6" : "ip";
            out.push(`\t\t${family} saddr @${set} ${match} accept comment "${what}"`);
        }
    }
    out.push("\t}", "");
    out.push("\tchain forward {", `\t\ttype filter hook forward priority filter; policy ${fw.forwarding ? "accept" : "drop"};`);
    if (fw.forwarding) out.push("\t\t# hardening.forwarding: this role routes container/overlay traffic and manages its own rules.");
    out.push("\t}", "");
    out.push("\tchain output {", `\t\ttype filter hook output priority filter; policy ${fw.egress.mode === "restricted" ? "drop" : "accept"};`);
    if (fw.egress.mode === "restricted") {
        out.push(
            '\t\toif "lo" accept',
            "\t\tct state invalid drop",
            "\t\tct state established,related accept",
            // Numbers, not names: names need /etc/protocols (netbase), which minimal images lack.
            '\t\tmeta l4proto { 1, 58 } accept comment "icmp, icmpv6"',
            `\t\tip daddr @${fw.egress.clusterSet} accept comment "cluster members"`,
        );
        for (const ps of mergePortSets([...RESTRICTED_EGRESS_BASE, ...fw.egress.allow])) {
            out.push(`\t\t${ps.protocol} dport ${portMatch(ps.ports)} accept`);
        }
    }
    out.push("\t}", "}", "", `include "${MEMBERS_DIR}/*.nft"`, "");
    return out.join("\n");
}

/**
 * Member sync's file: empties each set and refills it, in one nft transaction, so a set is
 * never seen half-filled.
 */
export function renderMemberSets(elements: Readonly<Record<string, readonly string[]>>): string {
    const out = ["# LCT member sets: written by member sync. Generated by LCT."];
    for (const [name, items] of Object.entries(elements)) {
        out.push(`flush set inet ${NFT_TABLE} ${name}`);
        if (items.length > 0) out.push(`add element inet ${NFT_TABLE} ${name} { ${items.map(shortAddress).join(", ")} }`);
    }
    return out.join("\n") + "\n";
}

function portMatch(ports: readonly PortRange[]): string {
    const parts = ports.map(formatRange);
    return parts.length === 1 ? parts[0]! : `{ ${parts.join(", ")} }`;
}

/** A host route is written as a bare address; only a full-length prefix is one (/32 for IPv4, /128 for IPv6). */
function shortAddress(a: string): string {
    const v6 = a.includes(":");
    return (!v6 && a.endsWith("/32")) || (v6 && a.endsWith("/128")) ? a.slice(0, a.lastIndexOf("/")) : a;
}

function mergePortSets(sets: readonly PortSet[]): PortSet[] {
    const by = new Map<Protocol, PortRange[]>();
    for (const s of sets) by.set(s.protocol, [...(by.get(s.protocol) ?? []), ...s.ports]);
    return [...by.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([protocol, ports]) => ({ protocol, ports: mergeRanges(ports) }));
}

