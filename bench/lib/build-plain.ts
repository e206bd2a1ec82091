/**
 * Benchmark 1, the plain side: the program a user would write without LCT — one loop
 * registering the same Linode resources LinodeCluster creates for the plan, straight from a
 * spec file (see plain-spec.ts). No batching, no yielding, no stack-trace trimming.
 *
 *   node build-plain.js <spec.json>      (run by bench/cluster-build.ts, one process per run)
 */
import * as linode from "@pulumi/linode";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as fs from "node:fs";
import { installBenchMocks, maxRssMiB, printResult, startClock, waitForRpcs } from "./mocks";
import type { PlainSpec } from "./plain-spec";

async function main(): Promise<void> {
    const spec = JSON.parse(fs.readFileSync(process.argv[2]!, "utf8")) as PlainSpec;
    const counts = await installBenchMocks();
    const clock = startClock();
    const t0 = clock.t0;

    const vpc = new linode.Vpc(spec.vpc.name, { label: spec.vpc.label, region: spec.vpc.region });
    const subnet = new linode.VpcSubnet(spec.vpc.subnetName, { vpcId: vpc.id.apply(Number), label: spec.vpc.subnetLabel, ipv4: spec.vpc.subnet });
    const subnetId = subnet.id.apply(Number);
    const waitFor: pulumi.Output<unknown>[] = [];
    for (const g of spec.groups) {
        const password = new random.RandomPassword(
            g.passwordName,
            { length: 32, special: true, overrideSpecial: "!#%*+-_=?", minLower: 2, minUpper: 2, minNumeric: 2, minSpecial: 2 },
            { additionalSecretOutputs: ["result"] },
        );
        const instances: linode.Instance[] = [];
        for (const node of g.nodes) {
            const userData = g.userData.map((p) => (typeof p === "string" ? p : node[p.put])).join("");
            const instance = new linode.Instance(
                node.instanceName,
                {
                    label: node.label,
                    region: node.region,
                    type: node.type,
                    image: node.image,
                    tags: node.tags,
                    authorizedKeys: spec.adminKeys,
                    rootPass: password.result,
                    booted: true,
                    interfaces: [{ purpose: "public" }, { purpose: "vpc", subnetId, ipv4: { vpc: node.vpcIp } }],
                    metadatas: [{ userData: Buffer.from(userData, "utf8").toString("base64") }],
                },
                { ignoreChanges: ["metadatas", "stackscriptData"] },
            );
            new linode.Volume(
                node.volume.name,
                { label: node.volume.label, region: node.volume.region, size: node.volume.size, linodeId: instance.id.apply(Number), tags: node.volume.tags },
                { protect: true },
            );
            instances.push(instance);
        }
        const fw = new linode.Firewall(g.firewall.name, {
            label: g.firewall.label,
            inboundPolicy: "DROP",
            outboundPolicy: "ACCEPT",
            inbounds: g.firewall.inbound.map((r) => ({
                label: r.label,
                description: r.description,
                action: "ACCEPT",
                protocol: r.protocol,
                ports: r.ports,
                ...(r.ipv4.length ? { ipv4s: r.ipv4 } : {}),
                ...(r.ipv6.length ? { ipv6s: r.ipv6 } : {}),
            })),
            linodes: instances.map((i) => i.id.apply(Number)),
            tags: g.firewall.tags,
        });
        waitFor.push(fw.id);
    }
    const syncMs = performance.now() - t0;
    // Every registration answered (all resource outputs resolve with their answer), and the
    // firewalls — the last resources, waiting on every instance id — registered.
    await Promise.all(waitFor.map((o) => new Promise((resolve) => o.apply(resolve))));
    await waitForRpcs();
    const done = await clock.stop();
    printResult({
        mode: "plain",
        n: spec.n,
        startupMs: t0,
        buildMs: done.ms,
        cpuMs: done.cpuMs,
        gcMs: done.gcMs,
        syncMs,
        customResources: counts.custom,
        componentResources: counts.components,
        maxRssMiB: maxRssMiB(),
        stackTraceLimit: Error.stackTraceLimit,
    });
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
