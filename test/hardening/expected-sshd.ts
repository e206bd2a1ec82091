/**
 * The test oracle for sshd: the `sshd -T` lines a dev-sec-hardened node must show, copied
 * from shared/reference/hardening-and-stacks.md §1.2 (verified there on Debian 12), and the
 * CIS-stricter values of the strict profile (§1.5). Written out by hand on purpose: the tests
 * compare the real sshd's view of the renderer's output against this, not against the
 * renderer's own profile data.
 */
const DEVSEC_LINES = `permitrootlogin no
passwordauthentication no
kbdinteractiveauthentication no
pubkeyauthentication yes
authenticationmethods publickey
permitemptypasswords no
maxauthtries 2
logingracetime 30
maxsessions 10
maxstartups 10:30:60
clientaliveinterval 300
clientalivecountmax 3
tcpkeepalive no
x11forwarding no
allowtcpforwarding no
allowagentforwarding no
permittunnel no
gatewayports no
permituserenvironment no
hostbasedauthentication no
ignorerhosts yes
strictmodes yes
usepam yes
loglevel VERBOSE
ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr
macs hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-512,hmac-sha2-256
kexalgorithms sntrup761x25519-sha512@openssh.com,curve25519-sha256@libssh.org,diffie-hellman-group-exchange-sha256`.split("\n");

/** Template lines of the dev-sec Ansible role that `sshd -T` also prints (§1.4). */
const DEVSEC_TEMPLATE_LINES = ["ignoreuserknownhosts yes", "x11uselocalhost yes", "printmotd no", "printlastlog no", "syslogfacility AUTH", "usedns no", "compression no"];

/** Where strict (CIS-DIL 5.2.x) replaces a dev-sec line. */
function strictOverrides(adminUser: string): Record<string, string> {
    return {
        maxsessions: "maxsessions 4",
        clientalivecountmax: "clientalivecountmax 1",
        macs: "macs hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512,hmac-sha2-256",
        kexalgorithms: "kexalgorithms curve25519-sha256,curve25519-sha256@libssh.org,diffie-hellman-group-exchange-sha256",
        banner: "banner /etc/issue.net",
        allowusers: `allowusers ${adminUser}`,
    };
}

export function expectedSshdLines(profile: "baseline" | "strict", opts: { adminUser: string; bastion: boolean }): string[] {
    const lines = [...DEVSEC_LINES, ...DEVSEC_TEMPLATE_LINES, "banner none"];
    const byKey = new Map(lines.map((l) => [l.split(" ")[0]!, l]));
    if (profile === "strict") for (const [k, v] of Object.entries(strictOverrides(opts.adminUser))) byKey.set(k, v);
    // Bastions carry ProxyJump (direct-tcpip) channels: local forwarding only.
    if (opts.bastion) byKey.set("allowtcpforwarding", "allowtcpforwarding local");
    return [...byKey.values()];
}

/** Lines that must NOT appear (a baseline node has no AllowUsers; nobody has password auth). */
export function forbiddenSshdLines(profile: "baseline" | "strict"): RegExp[] {
    return [/^passwordauthentication yes$/, /^permitrootlogin (yes|without-password|prohibit-password)$/, ...(profile === "baseline" ? [/^allowusers /] : [])];
}

/**
 * A drop-in's settings as `sshd -T` would print them (lower-case keywords, durations in
 * seconds; first value wins), for comparing rendered text with the lines above without sshd.
 */
export function dropInAsSshdT(content: string): string[] {
    const seen = new Map<string, string>();
    for (const line of content.split("\n")) {
        const m = /^\s*([A-Za-z][A-Za-z0-9]*)\s+(.+?)\s*$/.exec(line);
        if (!m || line.trim().startsWith("#")) continue;
        const key = m[1]!.toLowerCase();
        if (!seen.has(key)) seen.set(key, m[2]!.replace(/^(\d+)s$/, "$1"));
    }
    return [...seen].map(([k, v]) => `${k} ${v}`);
}
