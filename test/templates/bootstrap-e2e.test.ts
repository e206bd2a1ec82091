/**
 * The bootstrap scripts run for real in a Debian 12 root (debootstrap, cached; see
 * test/hardening/e2e/debian-root.ts): Debian's packages install with their services held
 * back, the files are what the plan says, a second run changes nothing — and what they
 * configure works: three ZooKeeper servers elect a leader, three etcd members form a cluster,
 * memcached serves on the VPC address, HAProxy sends 5000 to the Patroni primary and 5001 to
 * the replicas by their REST checks (three stand-in Patroni members), each in a private network
 * namespace holding the planned VPC addresses. Slow (package downloads), so only with LCT_E2E=1.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeBootstrapScript } from "../../sdk/templates/bootstrap";
import { ensureBaseTarball, freshRoot, inRoot } from "../hardening/e2e/debian-root";
import { REPO } from "../hardening/fixtures";
import { requireTool, run } from "../support/tools";
import { resolved } from "./support";

const E2E = process.env.LCT_E2E === "1";
if (!E2E) console.warn("[skipped] bootstrap end-to-end in a Debian root: set LCT_E2E=1");

function ok(r: ReturnType<typeof run>, what: string): string {
    if (r.status !== 0) throw new Error(`${what}: exit ${r.status}\n--- stdout\n${r.stdout.slice(-5000)}\n--- stderr\n${r.stderr.slice(-5000)}`);
    return r.stdout;
}

/**
 * Runs a bash script in a Debian root's own network namespace with the given addresses on lo
 * (the nodes' VPC addresses: every member of a small cluster on one loopback).
 */
function inClusterNet(root: string, addresses: readonly string[], script: string, what: string, timeoutMs: number): string {
    const prelude = ["set -eu", "ip link set lo up", ...addresses.map((a) => `ip addr add ${a}/32 dev lo`)].join("\n");
    return ok(inRoot(root, ["bash", "-c", `${prelude}\n${script}`], { net: true, timeoutMs }), what);
}

/** What the scripts manage, with checksums: equal before and after a second run. */
const MANIFEST = `set -u
for f in /etc/zookeeper/conf_lct/* /etc/default/etcd /etc/memcached.conf /etc/haproxy/haproxy.cfg /var/lib/lct/bootstrap-complete /usr/sbin/policy-rc.d; do
    [ -e "$f" ] && stat -c '%n %a %U:%G' "$f" && sha256sum "$f"
done
readlink -f /etc/zookeeper/conf /var/lib/zookeeper/myid 2>/dev/null || true
ls /etc/systemd/system/multi-user.target.wants/ /etc/rc2.d/ 2>/dev/null | sort
dpkg-query -W -f='\${Package} \${Status}\\n' zookeeperd etcd-server etcd-client memcached haproxy 2>/dev/null | sort
true
`;

const plans = () => ({
    zookeeper: resolved("zookeeper", { bootstrap: true }).plan,
    etcd: resolved("patroni", { bootstrap: true }).plan,
    memcached: resolved("wordpress-ha", { bootstrap: true }).plan,
    haproxy: resolved("patroni", { bootstrap: true }).plan,
});

describe.skipIf(!E2E)("bootstrap scripts in a Debian 12 root", () => {
    let tarball: string;
    let work: string;
    const roots: Record<string, string> = {};

    beforeAll(() => {
        for (const [tool, pkg] of [
            ["debootstrap", "debootstrap"],
            ["unshare", "util-linux"],
            ["tar", "tar"],
        ] as const) {
            const check = requireTool(tool, pkg);
            if (check.skip) throw new Error(check.skip);
        }
        tarball = ensureBaseTarball().tarball;
        mkdirSync(join(REPO, ".lct-tmp"), { recursive: true });
        work = mkdtempSync(join(REPO, ".lct-tmp", "tpl-e2e-"));
    }, 1_200_000);

    afterAll(() => {
        if (work) rmSync(work, { recursive: true, force: true });
    }, 300_000);

    /** A fresh root per role: a node plays one role, and the scripts share the marker file. */
    function rootFor(role: string): string {
        if (!roots[role]) {
            const parent = join(work, role);
            mkdirSync(parent, { recursive: true });
            roots[role] = freshRoot(tarball, parent);
        }
        return roots[role]!;
    }

    it.each([
        ["zookeeper", "zookeeper-us-ord-zookeeper-1"],
        ["etcd", "pg-us-ord-etcd-1"],
        ["memcached", "wordpress-us-ord-cache-1"],
        ["haproxy", "pg-us-ord-haproxy-1"],
    ] as const)("%s: installs from Debian, configures, and a second run changes nothing", (role, node) => {
        const plan = plans()[role];
        const script = nodeBootstrapScript(plan, node)!.script;
        const root = rootFor(role);
        writeFileSync(join(root, "root", "lct-bootstrap"), script, { mode: 0o700 });
        const first = inRoot(root, ["bash", "/root/lct-bootstrap"], { timeoutMs: 1_200_000 });
        ok(first, `first run of ${node}`);
        expect(first.stdout).toContain(`LCT-BOOTSTRAP-COMPLETE node=${node} role=${role}`);
        const before = ok(inRoot(root, ["bash", "-c", MANIFEST]), "manifest");
        const second = inRoot(root, ["bash", "/root/lct-bootstrap"]);
        ok(second, `second run of ${node}`);
        expect(second.stderr).not.toMatch(/lct-bootstrap: wrote/);
        expect(ok(inRoot(root, ["bash", "-c", MANIFEST]), "manifest")).toBe(before);
        // The root's own policy-rc.d (services never start here) is left alone; the packages are installed.
        expect(before).toMatch(/\/usr\/sbin\/policy-rc.d 755 root:root/);
        const packages = { zookeeper: ["zookeeperd"], etcd: ["etcd-server", "etcd-client"], memcached: ["memcached"], haproxy: ["haproxy"] }[role];
        for (const p of packages) expect(before).toContain(`${p} install ok installed`);
        if (role === "zookeeper") {
            expect(before).toContain("/etc/zookeeper/conf_lct\n");
            expect(before).toContain("/etc/zookeeper/conf_lct/myid\n");
            expect(before).toMatch(/S\d\dzookeeper/);
        }
        if (role === "etcd") expect(before).toContain("etcd.service");
        if (role === "memcached") expect(before).toContain("memcached.service");
        if (role === "haproxy") {
            expect(before).toContain("haproxy.service");
            expect(before).toMatch(/\/etc\/haproxy\/haproxy.cfg 644 root:root/);
        }
    }, 1_200_000);

    it("ZooKeeper: the three configured servers elect a leader", () => {
        const plan = plans().zookeeper;
        const root = rootFor("zookeeper");
        const nodes = plan.nodes;
        // Each server gets the zoo.cfg and myid its script writes, with its own data directory;
        // sharing one network namespace, each binds its client port to its own VPC address.
        const setup = nodes.map((n, i) => {
            const script = nodeBootstrapScript(plan, n.name)!.script;
            const cfg = heredoc(script, "/etc/zookeeper/conf_lct/zoo.cfg").replace("dataDir=/var/lib/zookeeper", `dataDir=/root/zk${i + 1}`).replace(/^clientPort=.*$/m, `clientPort=2181\nclientPortAddress=${n.vpcIp}`);
            writeFileSync(join(root, "root", `zk${i + 1}.cfg`), cfg);
            return `mkdir -p /root/zk${i + 1}; test -s /etc/zookeeper/conf/myid; printf '%s' '${heredoc(script, "/etc/zookeeper/conf_lct/myid").trim()}' > /root/zk${i + 1}/myid`;
        });
        const start = nodes.map(
            (_, i) => `java -Xmx192m -cp "$CLASSPATH" -Dzookeeper.log.dir=/root/zk${i + 1} org.apache.zookeeper.server.quorum.QuorumPeerMain /root/zk${i + 1}.cfg > /root/zk${i + 1}.log 2>&1 &`,
        );
        const probe = nodes.map((n) => `srvr ${n.vpcIp}`).join("; ");
        const out = inClusterNet(
            root,
            nodes.map((n) => n.vpcIp!),
            `. /etc/zookeeper/conf/environment
${setup.join("\n")}
${start.join("\n")}
srvr() { exec 3<>"/dev/tcp/$1/2181" && printf 'srvr' >&3 && cat <&3; exec 3<&-; }
for i in $(seq 1 60); do
    modes=$( { ${probe}; } 2>/dev/null | grep -c '^Mode: \\(leader\\|follower\\)' || true)
    [ "$modes" = ${nodes.length} ] && break
    sleep 1
done
{ ${probe}; } 2>/dev/null | grep '^Mode:' || { tail -n 20 /root/zk1.log; exit 1; }`,
            "ZooKeeper ensemble",
            180_000,
        );
        const modes = out.trim().split("\n").sort();
        expect(modes).toEqual(["Mode: follower", "Mode: follower", "Mode: leader"]);
    }, 240_000);

    it("etcd: the three configured members form a cluster", () => {
        const plan = plans().etcd;
        const root = rootFor("etcd");
        const members = plan.nodes.filter((n) => n.role === "etcd");
        const envs = members.map((n, i) => {
            // One network namespace holds all three members: each keeps its own data directory,
            // and only the first may also listen on 127.0.0.1 (on a node, each has its own).
            let env = heredoc(nodeBootstrapScript(plan, n.name)!.script, "/etc/default/etcd").replace("ETCD_DATA_DIR=/var/lib/etcd/default", `ETCD_DATA_DIR=/root/etcd${i + 1}`);
            if (i > 0) env = env.replace(",http://127.0.0.1:2379", "");
            writeFileSync(join(root, "root", `etcd${i + 1}.env`), env);
            return `( set -a; . /root/etcd${i + 1}.env; set +a; exec etcd > /root/etcd${i + 1}.log 2>&1 ) &`;
        });
        const endpoints = members.map((n) => `http://${n.vpcIp}:2379`).join(",");
        const out = inClusterNet(
            root,
            members.map((n) => n.vpcIp!),
            `${envs.join("\n")}
for i in $(seq 1 60); do
    ETCDCTL_API=3 etcdctl --dial-timeout=1s --command-timeout=2s --endpoints=${endpoints} endpoint health >/dev/null 2>&1 && break
    sleep 1
done
ETCDCTL_API=3 etcdctl --dial-timeout=1s --command-timeout=2s --endpoints=${endpoints} endpoint health 2>&1 || { tail -n 20 /root/etcd1.log /root/etcd2.log; exit 1; }
ETCDCTL_API=3 etcdctl --endpoints=${endpoints} member list -w simple`,
            "etcd cluster",
            180_000,
        );
        for (const n of members) {
            expect(out).toContain(`http://${n.vpcIp}:2379 is healthy`);
            expect(out).toContain(`started, ${n.hostname}, http://${n.vpcIp}:2380, http://${n.vpcIp}:2379`);
        }
    }, 240_000);

    it("HAProxy: sends 5000 to the Patroni primary and 5001 to the replicas, by their REST checks", () => {
        const plan = plans().haproxy;
        const pg = plan.nodes.filter((n) => n.role === "patroni");
        const root = rootFor("haproxy");
        writeFileSync(join(root, "root", "fake-patroni.py"), FAKE_PATRONI);
        const members = pg.map((n, i) => `python3 /root/fake-patroni.py ${n.hostname} ${n.vpcIp} ${i === 0 ? "primary" : "replica"} &`);
        const out = inClusterNet(
            root,
            pg.map((n) => n.vpcIp!),
            `${members.join("\n")}
haproxy -f /etc/haproxy/haproxy.cfg -db > /root/haproxy.log 2>&1 &
ask() { exec 3<>"/dev/tcp/127.0.0.1/$1" && head -n 1 <&3; exec 3<&-; }
# Servers start up; the checks (every 3 s, fall 3) take the wrong ones out.
for i in $(seq 1 40); do
    p=$(for j in 1 2 3 4 5 6; do ask 5000; done 2>/dev/null | sort -u | tr '\n' ' ')
    r=$(for j in 1 2 3 4 5 6; do ask 5001; done 2>/dev/null | sort -u | tr '\n' ' ')
    [ "$p" = "${pg[0]!.hostname} " ] && [ "$r" = "${pg[1]!.hostname} ${pg[2]!.hostname} " ] && break
    sleep 1
done
echo "primary: $p"
echo "replicas: $r"`,
            "HAProxy",
            120_000,
        );
        expect(out).toContain(`primary: ${pg[0]!.hostname} \n`);
        expect(out).toContain(`replicas: ${pg[1]!.hostname} ${pg[2]!.hostname} \n`);
    }, 180_000);

    it("memcached: serves on the VPC address with UDP off, as configured", () => {
        const plan = plans().memcached;
        const node = plan.nodes.find((n) => n.role === "memcached")!;
        const out = inClusterNet(
            rootFor("memcached"),
            [node.vpcIp!],
            `/usr/share/memcached/scripts/systemd-memcached-wrapper /etc/memcached.conf &
for i in $(seq 1 20); do (exec 3<>/dev/tcp/${node.vpcIp}/11211) 2>/dev/null && break; sleep 0.5; done
exec 3<>/dev/tcp/${node.vpcIp}/11211
printf 'stats settings\\r\\nquit\\r\\n' >&3
cat <&3`,
            "memcached",
            60_000,
        );
        expect(out).toMatch(/STAT udpport 0\r/);
        expect(out).toMatch(/STAT maxconns 4096\r/);
        expect(out).toMatch(/STAT tcpport 11211\r/);
        expect(out).toMatch(/STAT maxbytes [1-9]\d+\r/);
    }, 120_000);
});

/** Stands in for one Patroni member: its REST check answers OPTIONS /primary or /replica, and 5432 says its name. */
const FAKE_PATRONI = `import http.server, socket, sys, threading
name, ip, role = sys.argv[1:4]
class Check(http.server.BaseHTTPRequestHandler):
    def do_OPTIONS(self):
        self.send_response(200 if (self.path == "/primary") == (role == "primary") else 503)
        self.end_headers()
    def log_message(self, *args):
        pass
threading.Thread(target=http.server.ThreadingHTTPServer((ip, 8008), Check).serve_forever, daemon=True).start()
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((ip, 5432))
s.listen(16)
while True:
    c, _ = s.accept()
    c.sendall((name + "\\n").encode())
    c.close()
`;

function heredoc(script: string, file: string): string {
    const lines = script.split("\n");
    const start = lines.findIndex((l) => l.startsWith(`put ${file} `));
    const delimiter = /<<'([A-Z_0-9]+)'$/.exec(lines[start]!)![1]!;
    return lines.slice(start + 1, lines.indexOf(delimiter, start + 1)).join("\n") + "\n";
}
