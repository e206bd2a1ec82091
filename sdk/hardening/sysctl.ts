/**
 * The dev-sec linux-baseline sysctl controls (sysctl-01…35) plus the os_hardening role's
 * extras. One deliberate deviation: the IPv6 router-advertisement keys (accept_ra*,
 * autoconf, router_solicitations) keep the kernel defaults, because Linode hands out the
 * public IPv6 address by SLAAC; turning them off would take IPv6 away from every node.
 */
export const SYSCTL_PATH = "/etc/sysctl.d/90-lct-hardening.conf";

export type SysctlSettings = ReadonlyArray<readonly [key: string, value: string]>;

const COMMON: SysctlSettings = [
    ["net.ipv4.conf.all.rp_filter", "1"],
    ["net.ipv4.conf.default.rp_filter", "1"],
    ["net.ipv4.icmp_ignore_bogus_error_responses", "1"],
    ["net.ipv4.icmp_echo_ignore_broadcasts", "1"],
    ["net.ipv4.icmp_ratelimit", "100"],
    ["net.ipv4.icmp_ratemask", "88089"],
    ["net.ipv4.tcp_timestamps", "0"],
    ["net.ipv4.conf.all.arp_ignore", "1"],
    ["net.ipv4.conf.all.arp_announce", "2"],
    ["net.ipv4.tcp_rfc1337", "1"],
    ["net.ipv4.tcp_syncookies", "1"],
    ["net.ipv4.conf.all.shared_media", "1"],
    ["net.ipv4.conf.default.shared_media", "1"],
    ["net.ipv4.conf.all.accept_source_route", "0"],
    ["net.ipv4.conf.default.accept_source_route", "0"],
    ["net.ipv6.conf.all.accept_source_route", "0"],
    ["net.ipv6.conf.default.accept_source_route", "0"],
    ["net.ipv4.conf.all.accept_redirects", "0"],
    ["net.ipv4.conf.default.accept_redirects", "0"],
    ["net.ipv6.conf.all.accept_redirects", "0"],
    ["net.ipv6.conf.default.accept_redirects", "0"],
    ["net.ipv4.conf.all.secure_redirects", "0"],
    ["net.ipv4.conf.default.secure_redirects", "0"],
    ["net.ipv4.conf.all.send_redirects", "0"],
    ["net.ipv4.conf.default.send_redirects", "0"],
    ["net.ipv4.conf.all.log_martians", "1"],
    ["net.ipv4.conf.default.log_martians", "1"],
    ["net.ipv6.conf.all.dad_transmits", "0"],
    ["net.ipv6.conf.default.dad_transmits", "0"],
    ["net.ipv6.conf.all.max_addresses", "1"],
    ["net.ipv6.conf.default.max_addresses", "1"],
    ["kernel.sysrq", "0"],
    ["fs.suid_dumpable", "0"],
    ["kernel.randomize_va_space", "2"],
    ["fs.protected_fifos", "2"],
    ["fs.protected_hardlinks", "1"],
    ["fs.protected_regular", "2"],
    ["fs.protected_symlinks", "1"],
    ["kernel.yama.ptrace_scope", "2"],
    ["kernel.kptr_restrict", "2"],
    ["kernel.kexec_load_disabled", "1"],
    ["kernel.core_uses_pid", "1"],
    ["vm.mmap_min_addr", "65536"],
];

const NO_FORWARDING: SysctlSettings = [
    ["net.ipv4.ip_forward", "0"],
    ["net.ipv4.conf.all.forwarding", "0"],
    ["net.ipv6.conf.all.forwarding", "0"],
];

/**
 * Container and overlay roles route packets (dev-sec skips sysctl-01/19 for them). With IPv6
 * forwarding on, the kernel ignores router advertisements unless accept_ra is 2, which would
 * drop Linode's SLAAC default route.
 */
const FORWARDING: SysctlSettings = [
    ["net.ipv4.ip_forward", "1"],
    ["net.ipv4.conf.all.forwarding", "1"],
    ["net.ipv6.conf.all.forwarding", "1"],
    ["net.ipv6.conf.all.accept_ra", "2"],
    ["net.ipv6.conf.default.accept_ra", "2"],
];

export function sysctlSettings(forwarding: boolean): SysctlSettings {
    return [...(forwarding ? FORWARDING : NO_FORWARDING), ...COMMON];
}

export function renderSysctl(forwarding: boolean): string {
    const head = [
        "# LCT kernel hardening (dev-sec linux-baseline sysctl controls).",
        forwarding ? "# IP forwarding is ON: this group's role routes packets (hardening.forwarding)." : "# IP forwarding is off.",
    ];
    return [...head, ...sysctlSettings(forwarding).map(([k, v]) => `${k} = ${v}`), ""].join("\n");
}
