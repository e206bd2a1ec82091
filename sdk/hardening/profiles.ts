import type { HardeningProfile } from "../plan/resolved";

/**
 * The one profile model. `baseline` is the dev-sec ssh-baseline / linux-baseline;
 * `strict` is baseline tightened wherever CIS (CIS-DIL 5.2.x and friends) is stricter;
 * `none` is the explicit opt-out: only the admin user and its keys.
 * Sources and the reasoning per value: docs/hardening.md and
 * shared/reference/hardening-and-stacks.md §1–§4.
 */

/** sshd settings in the order they are written; keys as in sshd_config. */
export type SshdSettings = ReadonlyArray<readonly [keyword: string, value: string]>;

export interface HardenedProfile {
    name: Exclude<HardeningProfile, "none">;
    sshd: {
        ciphers: string[];
        macs: string[];
        kexAlgorithms: string[];
        maxSessions: number;
        clientAliveInterval: number;
        clientAliveCountMax: number;
        /** CIS 5.2.19 warning banner; dev-sec wants none. */
        banner: boolean;
        /** CIS 5.2.18: only the admin user may log in. */
        allowUsersAdminOnly: boolean;
    };
    /** Packages removed when present (dev-sec package_spec, CIS 2.2/2.3 for strict). */
    removePackages: string[];
    /** CIS 4.1: auditd installed and enabled. */
    auditd: boolean;
    fail2ban: { maxRetry: number; findTime: string; banTime: string };
}

/** dev-sec ssh-baseline sshd-01: OpenSSH ≥ 6.6 cipher list. */
const DEVSEC_CIPHERS = [
    "chacha20-poly1305@openssh.com",
    "aes256-gcm@openssh.com",
    "aes128-gcm@openssh.com",
    "aes256-ctr",
    "aes192-ctr",
    "aes128-ctr",
];
/** sshd-03. */
const DEVSEC_MACS = ["hmac-sha2-512-etm@openssh.com", "hmac-sha2-256-etm@openssh.com", "umac-128-etm@openssh.com", "hmac-sha2-512", "hmac-sha2-256"];
/** sshd-02 for OpenSSH ≥ 8.5 (Debian 12 ships 9.2). */
const DEVSEC_KEX = ["sntrup761x25519-sha512@openssh.com", "curve25519-sha256@libssh.org", "diffie-hellman-group-exchange-sha256"];

/** dev-sec linux-baseline package_spec, with the Debian package names that provide those servers. */
const DEVSEC_INSECURE_PACKAGES = [
    "xinetd",
    "openbsd-inetd",
    "inetutils-inetd",
    "telnetd",
    "inetutils-telnetd",
    "rsh-server",
    "rsh-redone-server",
    "ypserv",
    "tftpd",
    "tftpd-hpa",
    "atftpd",
    "prelink",
];
/** CIS-DIL 2.3: clients of insecure services. */
const CIS_INSECURE_CLIENTS = ["nis", "rsh-client", "rsh-redone-client", "talk", "telnet", "inetutils-telnet"];

export const BASELINE: HardenedProfile = {
    name: "baseline",
    sshd: {
        ciphers: DEVSEC_CIPHERS,
        macs: DEVSEC_MACS,
        kexAlgorithms: DEVSEC_KEX,
        maxSessions: 10,
        clientAliveInterval: 300,
        clientAliveCountMax: 3,
        banner: false,
        allowUsersAdminOnly: false,
    },
    removePackages: DEVSEC_INSECURE_PACKAGES,
    auditd: false,
    // jail.conf defaults, but a longer ban: 10 minutes barely slows a botnet down.
    fail2ban: { maxRetry: 5, findTime: "10m", banTime: "1h" },
};

export const STRICT: HardenedProfile = {
    name: "strict",
    sshd: {
        ciphers: DEVSEC_CIPHERS,
        // CIS 5.2.14 has no umac; the rest is dev-sec's list.
        macs: DEVSEC_MACS.filter((m) => !m.startsWith("umac-")),
        // CIS 5.2.15 has no sntrup761: keep the dev-sec curve and group-exchange, plus the
        // RFC 8731 name of the same curve25519 exchange.
        kexAlgorithms: ["curve25519-sha256", "curve25519-sha256@libssh.org", "diffie-hellman-group-exchange-sha256"],
        maxSessions: 4,
        clientAliveInterval: 300,
        // CIS-DIL codes "<= 0", but since OpenSSH 8.2 a count of 0 disables the check, so an
        // unresponsive client would never be dropped. 1 is the strictest value that still acts.
        clientAliveCountMax: 1,
        banner: true,
        allowUsersAdminOnly: true,
    },
    removePackages: [...DEVSEC_INSECURE_PACKAGES, ...CIS_INSECURE_CLIENTS],
    auditd: true,
    fail2ban: { maxRetry: 3, findTime: "10m", banTime: "24h" },
};

export function hardenedProfile(profile: HardeningProfile): HardenedProfile | undefined {
    if (profile === "baseline") return BASELINE;
    if (profile === "strict") return STRICT;
    return undefined;
}

/** Written into every output of a `none` node, so nobody mistakes it for a hardened one. */
export const NONE_WARNING =
    "WARNING: hardening profile 'none' (explicit opt-out): only the admin user and its SSH keys are set up. " +
    "No sshd hardening, no host firewall, no fail2ban, no automatic security updates, no sysctl baseline.";

/** The CIS 1.7 / 5.2.19 warning banner for `strict` nodes. */
export const STRICT_BANNER_TEXT =
    "Authorized use only. All activity on this system may be monitored and recorded.\n" +
    "Disconnect now if you are not an authorized user.\n";
