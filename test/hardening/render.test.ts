import { describe, expect, it } from "vitest";
import { renderGroupStackScript, renderNodeBootstrap, stackScriptData, NONE_WARNING, COMPLETION_MARKER_FILE } from "../../sdk/hardening";
import { renderFail2banJail } from "../../sdk/hardening/fail2ban";
import { renderNodeHelper } from "../../sdk/hardening/node-helper";
import { BASELINE, STRICT } from "../../sdk/hardening/profiles";
import { renderSshdDropIn } from "../../sdk/hardening/sshd-config";
import { renderSysctl } from "../../sdk/hardening/sysctl";
import { renderUnattendedUpgrades } from "../../sdk/hardening/unattended-upgrades";
import type { ResolvedPlan } from "../../sdk/plan/resolved";
import { decodeUserData, firewallFactsOf, sshdSettingsOf, stepsOf } from "../support/user-data";
import { featurePlan, KEY_ED25519, KEY_GENERATED, quickstart, resolvePlan } from "./fixtures";

function userDataOf(plan: ResolvedPlan, node: string, sshKeys?: string[]) {
    const b = renderNodeBootstrap(plan, node, sshKeys ? { sshKeys } : {});
    if (b.method !== "cloud-init") throw new Error(`${node} is not a cloud-init node`);
    return decodeUserData(Buffer.from(b.userData).toString("base64"));
}

describe("sshd drop-in", () => {
    it("baseline: dev-sec values, no AllowUsers, banner none", () => {
        const s = sshdSettingsOf(renderSshdDropIn(BASELINE, { adminUser: "ops", tcpForwarding: "no" }));
        expect(s.get("permitrootlogin")).toBe("no");
        expect(s.get("passwordauthentication")).toBe("no");
        expect(s.get("maxauthtries")).toBe("2");
        expect(s.get("maxsessions")).toBe("10");
        expect(s.get("clientalivecountmax")).toBe("3");
        expect(s.get("banner")).toBe("none");
        expect(s.get("allowtcpforwarding")).toBe("no");
        expect(s.has("allowusers")).toBe(false);
        expect(s.get("macs")).toContain("umac-128-etm@openssh.com");
    });

    it("strict: CIS-stricter values on top of dev-sec", () => {
        const s = sshdSettingsOf(renderSshdDropIn(STRICT, { adminUser: "ops", tcpForwarding: "no" }));
        expect(s.get("maxsessions")).toBe("4");
        expect(s.get("clientalivecountmax")).toBe("1");
        expect(s.get("banner")).toBe("/etc/issue.net");
        expect(s.get("allowusers")).toBe("ops");
        expect(s.get("macs")).not.toContain("umac");
        expect(s.get("kexalgorithms")).not.toContain("sntrup");
        expect(s.get("maxauthtries")).toBe("2");
    });

    it("bastion groups allow local forwarding only (ProxyJump)", () => {
        const plan = quickstart();
        const bastion = userDataOf(plan, "quickstart-us-ord-bastion-1", [KEY_ED25519]);
        const db = userDataOf(plan, "quickstart-us-ord-db-1", [KEY_ED25519]);
        expect(sshdSettingsOf(bastion.files.get("/etc/ssh/sshd_config.d/10-lct-hardening.conf")!.content).get("allowtcpforwarding")).toBe("local");
        expect(sshdSettingsOf(db.files.get("/etc/ssh/sshd_config.d/10-lct-hardening.conf")!.content).get("allowtcpforwarding")).toBe("no");
    });

    it("sorts before cloud-init's 50-cloud-init.conf and is written before sshd starts", () => {
        const d = userDataOf(quickstart(), "quickstart-us-ord-web-1", [KEY_ED25519]);
        const f = [...d.files.values()].find((x) => x.path.startsWith("/etc/ssh/sshd_config.d/"))!;
        expect(f.path.split("/").pop()! < "50-cloud-init.conf").toBe(true);
        expect(f.defer).toBe(false);
        expect(f.permissions).toBe("0600");
    });
});

describe("lct-node sshd step", () => {
    it("reloads sshd so that a socket-activated, inactive ssh.service (Ubuntu 24.04) does not fail first boot", () => {
        const helper = renderNodeHelper();
        const sshd = helper.slice(helper.indexOf("cmd_sshd() {"), helper.indexOf("cmd_sysctl() {"));
        expect(sshd).toContain("if booted; then systemctl try-reload-or-restart ssh.service; fi");
        // `systemctl reload` exits 1 when the unit is not running.
        expect(sshd).not.toMatch(/systemctl reload/);
        // The dev-sec file checks the e2e test asserts are this step's.
        expect(sshd).toContain("chmod 0600 \"$cfg\"");
        expect(sshd).toContain("ssh-keygen -q -t rsa -b 4096");
    });
});

describe("sysctl", () => {
    it("forwarding only where the group asks for it", () => {
        expect(renderSysctl(false)).toMatch(/^net\.ipv4\.ip_forward = 0$/m);
        expect(renderSysctl(false)).toMatch(/^net\.ipv6\.conf\.all\.forwarding = 0$/m);
        expect(renderSysctl(true)).toMatch(/^net\.ipv4\.ip_forward = 1$/m);
        expect(renderSysctl(true)).toMatch(/^net\.ipv6\.conf\.all\.accept_ra = 2$/m);
    });

    it("has the dev-sec linux-baseline values (§2.1)", () => {
        const text = renderSysctl(false);
        const want: Record<string, string> = {
            "net.ipv4.conf.all.rp_filter": "1",
            "net.ipv4.icmp_echo_ignore_broadcasts": "1",
            "net.ipv4.icmp_ratelimit": "100",
            "net.ipv4.icmp_ratemask": "88089",
            "net.ipv4.tcp_timestamps": "0",
            "net.ipv4.conf.all.arp_announce": "2",
            "net.ipv4.tcp_syncookies": "1",
            "net.ipv4.conf.all.accept_redirects": "0",
            "net.ipv6.conf.all.accept_redirects": "0",
            "net.ipv4.conf.all.send_redirects": "0",
            "net.ipv4.conf.all.log_martians": "1",
            "kernel.sysrq": "0",
            "fs.suid_dumpable": "0",
            "kernel.randomize_va_space": "2",
            "fs.protected_regular": "2",
            "kernel.yama.ptrace_scope": "2",
        };
        for (const [k, v] of Object.entries(want)) expect(text).toMatch(new RegExp(`^${k.replace(/\./g, "\\.")} = ${v}$`, "m"));
        // Linode gives IPv6 by SLAAC: the RA keys stay at the kernel defaults (documented deviation).
        expect(text).not.toMatch(/accept_ra = 0|autoconf = 0/);
    });
});

describe("fail2ban and unattended-upgrades", () => {
    it("sshd jail reads the journal and bans through nftables", () => {
        const jail = renderFail2banJail(BASELINE);
        expect(jail).toMatch(/^\[sshd\]\nenabled = true\nbackend = systemd$/m);
        expect(jail).toMatch(/^banaction = nftables-multiport$/m);
        expect(renderFail2banJail(STRICT)).toMatch(/^maxretry = 3$/m);
    });

    it("periodic upgrades on, keeping LCT's conffiles", () => {
        const u = renderUnattendedUpgrades();
        expect(u).toContain('APT::Periodic::Unattended-Upgrade "1";');
        expect(u).toContain('APT::Periodic::Update-Package-Lists "1";');
        expect(u).toContain("--force-confold");
    });
});

describe("cloud-config", () => {
    const plan = quickstart();

    it("creates the admin user with sudo and the keys, no root login, no password auth", () => {
        const d = userDataOf(plan, "quickstart-us-ord-db-1", [KEY_GENERATED]);
        expect(d.text.startsWith("#cloud-config\n")).toBe(true);
        expect(d.users).toHaveLength(1);
        expect(d.users[0]).toMatchObject({ name: "ops", lock_passwd: true, sudo: "ALL=(ALL) NOPASSWD:ALL", groups: ["sudo"] });
        expect(d.users[0]!.ssh_authorized_keys).toEqual([KEY_GENERATED]);
        expect(d.config.disable_root).toBe(true);
        expect(d.config.ssh_pwauth).toBe(false);
        expect(d.config.manage_etc_hosts).toBe(false);
        expect(d.headerComments[0]).toContain("node quickstart-us-ord-db-1 (group us-ord/db, profile baseline)");
    });

    it("runs its steps with set -e and ends with the completion marker", () => {
        const d = userDataOf(plan, "quickstart-us-ord-db-1", [KEY_ED25519]);
        expect(d.runcmd[0]).toBe("set -e");
        const steps = stepsOf(d);
        expect(steps.at(-1)).toEqual(["complete", "quickstart-us-ord-db-1", "baseline"]);
        expect(steps.map((s) => s[0])).toEqual([
            "remove-packages",
            "timesync",
            "sshd",
            "sysctl",
            "firewall",
            "enable",
            "enable",
            "hostname",
            "hosts",
            "volume",
            "complete",
        ]);
        expect(steps.find((s) => s[0] === "volume")).toEqual(["volume", "quickstart-us-ord-db-1-data", "/var/lib/postgresql", "ext4"]);
        expect(COMPLETION_MARKER_FILE).toBe("/var/lib/lct/hardening-complete");
    });

    it("installs what the steps need and removes insecure packages", () => {
        const d = userDataOf(featurePlan(), "feat-us-ord-kafka-1");
        expect(d.packages).toEqual(expect.arrayContaining(["nftables", "fail2ban", "python3-systemd", "unattended-upgrades", "auditd", "xfsprogs"]));
        expect(d.config.package_upgrade).toBe(true);
        const remove = stepsOf(d).find((s) => s[0] === "remove-packages")!;
        expect(remove).toEqual(expect.arrayContaining(["telnetd", "xinetd", "rsh-server", "prelink", "telnet", "nis"]));
    });

    it("needs a key: the plan's, or the generated one passed in", () => {
        const plan = resolvePlan({ name: "nokey", regions: [{ region: "us-ord", nodeGroups: [{ name: "a", count: 1 }] }] });
        expect(plan.admin.generateKey).toBe(true);
        expect(() => renderNodeBootstrap(plan, "nokey-us-ord-a-1")).toThrow(/generated public key/);
        expect(userDataOf(plan, "nokey-us-ord-a-1", [KEY_GENERATED]).users[0]!.ssh_authorized_keys).toEqual([KEY_GENERATED]);
    });

    it("is deterministic", () => {
        for (const n of plan.nodes) {
            const a = renderNodeBootstrap(plan, n.name, { sshKeys: [KEY_ED25519] });
            const b = renderNodeBootstrap(quickstart(), n.name, { sshKeys: [KEY_ED25519] });
            expect(a).toEqual(b);
        }
    });
});

describe("the none profile", () => {
    const plan = featurePlan();
    const d = userDataOf(plan, "feat-us-ord-lab-1");

    it("creates only the admin user, identity, volumes and the marker, and says so", () => {
        expect(d.headerComments).toContain(NONE_WARNING);
        expect(d.users[0]!.ssh_authorized_keys).toEqual([KEY_ED25519]);
        expect([...d.files.keys()].sort()).toEqual(["/etc/lct/hosts", "/usr/local/sbin/lct-node"]);
        expect(stepsOf(d).map((s) => s[0])).toEqual(["hostname", "hosts", "volume", "complete"]);
        expect(stepsOf(d).at(-1)).toEqual(["complete", "feat-us-ord-lab-1", "none"]);
        expect(d.config.package_upgrade).toBeUndefined();
        expect(d.config.ssh_pwauth).toBeUndefined();
    });

    it("the StackScript of a none group carries the warning too", () => {
        const p = resolvePlan({
            name: "n",
            defaults: { sshKeys: [KEY_ED25519] },
            regions: [{ region: "us-ord", nodeGroups: [{ name: "a", count: 1, configMethod: "stackscript", hardening: { profile: "none" } }] }],
        });
        const script = renderGroupStackScript(p, "us-ord/a");
        expect(script).toContain(`# ${NONE_WARNING}`);
        expect(script).toContain("echo 'WARNING: hardening profile");
    });
});

describe("StackScript", () => {
    const plan = featurePlan();

    it("one script per group; per-node values come from UDFs", () => {
        const script = renderGroupStackScript(plan, "us-ord/k8s");
        expect(script.startsWith("#!/bin/bash\n")).toBe(true);
        for (const udf of ["lct_node", "lct_hostname", "lct_volume_1", "lct_volume_2"]) expect(script).toContain(`# <UDF name="${udf}"`);
        // Node names appear only as cluster members in /etc/hosts, never as this node's identity.
        expect(script).not.toMatch(/lct-node (hostname|hosts|volume|complete) [^"]/);
        expect(script).toContain('lct-node complete "$lct_node" baseline');
        expect(stackScriptData(plan, "feat-us-ord-k8s-2")).toEqual({
            lct_hostname: "feat-us-ord-k8s-2",
            lct_node: "feat-us-ord-k8s-2",
            lct_volume_1: "feat-us-ord-k8s-2-etcd",
            lct_volume_2: "feat-us-ord-k8s-2-logs",
        });
        expect(renderNodeBootstrap(plan, "feat-us-ord-k8s-1")).toEqual({ method: "stackscript", groupKey: "us-ord/k8s", data: stackScriptData(plan, "feat-us-ord-k8s-1") });
    });

    it("writes the same files and runs the same steps as the cloud-config of the same node", () => {
        // Render the k8s group both ways: as its StackScript, and as cloud-config (group switched).
        const script = renderGroupStackScript(plan, "us-ord/k8s");
        const cloudPlan: ResolvedPlan = { ...plan, groups: plan.groups.map((g) => (g.key === "us-ord/k8s" ? { ...g, configMethod: "cloud-init" as const } : g)) };
        const d = userDataOf(cloudPlan, "feat-us-ord-k8s-1");
        for (const f of d.files.values()) {
            expect(script).toContain(`lct_put ${f.path} ${f.permissions} <<'LCT_FILE_END'\n${f.content}LCT_FILE_END`);
        }
        const data = stackScriptData(plan, "feat-us-ord-k8s-1");
        const fromScript = script
            .split("\n")
            .filter((l) => l.startsWith("/usr/local/sbin/lct-node ") && !/ (admin-user|upgrade|packages) /.test(l + " "))
            .map((l) => l.replace(/"\$(\w+)"/g, (_, u: string) => data[u]!).replace(/'/g, ""));
        expect(fromScript).toEqual(d.runcmd.slice(1).map((c) => (c as string[]).join(" ")));
        expect(script).toContain(`/usr/local/sbin/lct-node packages ${d.packages.join(" ")}`);
    });
});

describe("host firewall text", () => {
    it("restricted egress: output drop with DNS, NTP, HTTP(S), members and the group's allowances", () => {
        const d = userDataOf(featurePlan(), "feat-us-ord-kafka-1");
        const fw = firewallFactsOf(d.files.get("/etc/nftables.conf")!.content);
        expect(fw.policies).toEqual({ input: "drop", forward: "drop", output: "drop" });
        expect(fw.outputPorts).toEqual(
            expect.arrayContaining([
                { protocol: "tcp", ports: ["53", "80", "443", "9094"] },
                { protocol: "udp", ports: ["53", "67", "123", "8125"] },
            ]),
        );
        expect(d.files.get("/etc/nftables.conf")!.content).toContain("ip daddr @cluster_v4 accept");
        expect(fw.sets.get("cluster_v4")!.length).toBeGreaterThan(0);
    });

    it("open egress and forwarding roles", () => {
        const plan = featurePlan();
        const cloudPlan: ResolvedPlan = { ...plan, groups: plan.groups.map((g) => ({ ...g, configMethod: "cloud-init" as const })) };
        const k8s = firewallFactsOf(userDataOf(cloudPlan, "feat-us-ord-k8s-1").files.get("/etc/nftables.conf")!.content);
        expect(k8s.policies).toEqual({ input: "drop", forward: "accept", output: "accept" });
        expect(k8s.includes).toEqual(["/etc/lct/members.d/*.nft"]);
    });
});
