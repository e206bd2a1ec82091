import type { ClusterPlanInput } from "../../sdk/plan/schema";

/** A valid ed25519 public key (the plan gives one, so LCT generates no key pair). */
export const BENCH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJ0bFHIi1s9mRX5lQlUqkZs3Rg2dWvyqOe6S5WRrD0e ops@example";

/**
 * Benchmark 1's plan: N nodes in one region (us-ord, a VPC), three groups (web 50 %, app 30 %,
 * db 20 %) with services between them, one Block Storage volume per node.
 */
export function clusterPlan(n: number): ClusterPlanInput {
    const web = Math.round(n * 0.5);
    const app = Math.round(n * 0.3);
    const db = n - web - app;
    const storage = [{ name: "data", sizeGb: 20, mountPath: "/data" }];
    return {
        name: "bench",
        defaults: { sshKeys: [BENCH_KEY] },
        exposure: { adminCidrs: ["203.0.113.0/24"] },
        regions: [
            {
                region: "us-ord",
                nodeGroups: [
                    { name: "web", count: web, addressBlock: 1, services: [{ name: "http", ports: [8080], from: ["self"] }], publicPorts: [443], storage },
                    { name: "app", count: app, addressBlock: 60, services: [{ name: "api", ports: [9000], from: ["web", "self"] }], storage },
                    { name: "db", role: "postgresql", count: db, addressBlock: 120, services: [{ name: "postgresql", ports: [5432], from: ["app", "self"] }], storage },
                ],
            },
        ],
    } as ClusterPlanInput;
}

/**
 * Benchmark 2's plan: 10,000 nodes in 4 regions × 5 groups — two VPC regions and two
 * private-IPv4 regions (members one address each in firewall rules), services between groups,
 * public ports, Block Storage on three groups per region, a NodeBalancer and DNS records.
 */
export function bigPlan(total = 10_000): ClusterPlanInput {
    const regions = [
        { region: "us-ord", privateNetwork: "vpc" },
        { region: "de-fra-2", privateNetwork: "vpc" },
        { region: "us-east", privateNetwork: "private-ip" },
        { region: "eu-central", privateNetwork: "private-ip" },
    ];
    // Shares of a region's nodes per group; the last group takes the rest.
    const shares = [0.4, 0.24, 0.2, 0.12];
    const perRegion = total / regions.length;
    return {
        name: "big",
        tags: ["bench"],
        defaults: { sshKeys: [BENCH_KEY] },
        exposure: { adminCidrs: ["203.0.113.0/24", "2001:db8::/32"] },
        regions: regions.map((r, ri) => {
            const counts = shares.map((s) => Math.round(perRegion * s));
            counts.push(perRegion - counts.reduce((a, b) => a + b, 0));
            const block = (i: number) => (r.privateNetwork === "vpc" ? { addressBlock: 1 + i * 40 } : {});
            return {
                region: r.region,
                privateNetwork: r.privateNetwork,
                tags: [`region-${ri}`],
                nodeGroups: [
                    { name: "web", count: counts[0], ...block(0), services: [{ name: "http", ports: [8080, 8443], from: ["self"] }], publicPorts: [443] },
                    { name: "app", count: counts[1], ...block(1), services: [{ name: "api", ports: [9000, "9100-9110"], from: ["web"] }] },
                    {
                        name: "db",
                        role: "postgresql",
                        count: counts[2],
                        ...block(2),
                        bootOrder: 1,
                        services: [{ name: "postgresql", ports: [5432], from: ["app", "self"] }],
                        storage: [
                            { name: "data", sizeGb: 100, mountPath: "/var/lib/postgresql" },
                            { name: "wal", sizeGb: 20, mountPath: "/var/lib/postgresql-wal", deletionPolicy: "retain" },
                        ],
                    },
                    {
                        name: "cache",
                        count: counts[3],
                        ...block(3),
                        services: [{ name: "redis", ports: [6379], from: ["app"] }],
                        storage: [{ name: "aof", sizeGb: 20, mountPath: "/var/lib/redis" }],
                    },
                    {
                        name: "queue",
                        count: counts[4],
                        ...block(4),
                        services: [{ name: "amqp", ports: [5672], protocol: "tcp", from: ["app", "self"] }],
                        storage: [{ name: "data", sizeGb: 50, mountPath: "/var/lib/rabbitmq", filesystem: "xfs" }],
                    },
                ],
            };
        }),
        loadBalancers: [
            { name: "front", region: "us-ord", listeners: [{ port: 443, protocol: "tcp", target: { group: "web", port: 8443 } }] },
        ],
        dns: { domain: "big.example.com", soaEmail: "hostmaster@example.com" },
    } as ClusterPlanInput;
}

/**
 * Benchmark 2's oversized plan: benchmark 1's plan at 4,500 nodes with DNS names. First boot
 * lists every VPC member of the region in /etc/hosts, with its FQDN: every group's user data
 * is over Linode's 65,535 bytes, so validation measures (and must reject) every node.
 */
export function oversizedPlan(n = 4500): ClusterPlanInput {
    return { ...clusterPlan(n), dns: { domain: "cluster.example.com", soaEmail: "hostmaster@example.com" } } as ClusterPlanInput;
}
