import { z } from "zod";
import { configMethod, hardeningProfile, nodeGroup } from "./group";
import { cidr, portRule, slug, tag } from "./primitives";

export const privateNetworkMode = z
    .enum(["auto", "vpc", "private-ip"])
    .describe("auto: a VPC where the region offers one, else private IPv4.");

export const region = z
    .strictObject({
        region: z.string().describe("Linode region id, e.g. us-ord."),
        privateNetwork: privateNetworkMode.optional(),
        vpcSubnet: cidr.optional().describe("The region's VPC subnet (RFC 1918); defaults to 10.<n>.0.0/16."),
        tags: z.array(tag).optional(),
        nodeGroups: z.array(nodeGroup).min(1, { error: "a region needs at least one node group" }),
    })
    .describe("A Linode region and the node groups in it.");

export const healthCheck = z.strictObject({
    type: z.enum(["none", "connection", "http", "http_body"]).default("connection"),
    path: z.string().regex(/^\//, { error: 'a health-check path starts with "/"' }).optional(),
    body: z.string().optional().describe("Expected body text for http_body checks."),
    intervalSec: z.int().min(2).max(3600).default(10),
    timeoutSec: z.int().min(1).max(30).default(5),
    attempts: z.int().min(1).max(30).default(3),
    passive: z.boolean().default(true),
});

export const listener = z.strictObject({
    port: z.int().min(1).max(65535),
    protocol: z.enum(["http", "https", "tcp"]).default("http"),
    algorithm: z.enum(["roundrobin", "leastconn", "source"]).default("roundrobin"),
    stickiness: z.enum(["none", "table", "http_cookie"]).default("none"),
    healthCheck: healthCheck.optional(),
    target: z.strictObject({
        group: z.string().describe('Target group: a group name in the load balancer\'s region, or "<region>/<group>".'),
        port: z.int().min(1).max(65535),
    }),
});

export const loadBalancer = z
    .strictObject({
        name: slug("load balancer name", 20),
        region: z.string(),
        clientConnThrottle: z.int().min(0).max(20).default(0),
        tags: z.array(tag).optional(),
        listeners: z.array(listener).min(1, { error: "a load balancer needs at least one listener" }),
    })
    .describe("A NodeBalancer in front of a node group.");

export const dns = z
    .strictObject({
        domain: z.string().regex(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$/i, { error: "not a domain name" }),
        domainId: z.int().positive().optional().describe("Use this existing Linode domain instead of creating one."),
        soaEmail: z.email({ error: "soaEmail must be an e-mail address" }).optional(),
        hostnamePattern: z
            .string()
            .default("{group}-{index}.{region}")
            .describe("Record name per node; placeholders {cluster} {region} {group} {role} {index}."),
        ttlSec: z.int().min(30).max(604800).default(300),
    })
    .describe("DNS A records for every node.");

export const exposure = z
    .strictObject({
        adminCidrs: z.array(cidr).optional().describe("Who may SSH in; unset means the whole Internet (warned)."),
        clientCidrs: z.array(cidr).optional().describe('Application clients: sources named "clients" in services.'),
        publicPorts: z
            .array(
                z.strictObject({
                    ports: z.array(portRule).min(1),
                    groups: z.array(z.string()).optional().describe("Groups to open them on (default: all)."),
                }),
            )
            .optional(),
    })
    .describe("Who may reach the cluster from outside.");

export const defaults = z
    .strictObject({
        image: z.string().default("linode/debian12"),
        type: z.string().default("g6-standard-2"),
        adminUser: z
            .string()
            .regex(/^[a-z_][a-z0-9_-]{0,31}$/, { error: "not a valid Linux user name" })
            .refine((u) => u !== "root", { error: "the admin user must not be root (root login is disabled)" })
            .default("ops"),
        sshKeys: z.array(z.string()).default([]).describe("Public SSH keys; none means LCT generates a key pair."),
        hardening: hardeningProfile.default("baseline"),
        configMethod: configMethod.default("cloud-init"),
    })
    .describe("Values every node group inherits unless it sets its own.");

export const clusterPlan = z
    .strictObject({
        $schema: z.string().optional(),
        name: slug("cluster name", 32),
        description: z.string().max(255).optional(),
        tags: z.array(tag).optional(),
        defaults: defaults.optional(),
        privateNetwork: privateNetworkMode.default("auto"),
        regions: z.array(region).min(1, { error: "a plan needs at least one region" }),
        loadBalancers: z.array(loadBalancer).optional(),
        dns: dns.optional(),
        exposure: exposure.optional(),
        bastion: z
            .string()
            .optional()
            .describe("Group that is the SSH entry point: other groups accept SSH only from it (ProxyJump)."),
        template: z
            .strictObject({
                name: z.string(),
                version: z.string().optional(),
                parameters: z.record(z.string(), z.unknown()).optional(),
            })
            .optional()
            .describe("Set by `lct templates init`: the bundled template this plan came from (inventory wiring uses it)."),
    })
    .describe("An LCT ClusterPlan: the whole cluster, declaratively.");

/** A plan as written (defaults optional). */
export type ClusterPlanInput = z.input<typeof clusterPlan>;
/** A plan after schema parsing (defaults filled in where the schema has them). */
export type ClusterPlan = z.output<typeof clusterPlan>;
export type NodeGroupPlan = ClusterPlan["regions"][number]["nodeGroups"][number];
export type RegionPlan = ClusterPlan["regions"][number];
export type LoadBalancerPlan = NonNullable<ClusterPlan["loadBalancers"]>[number];
export type PortRulePlan = NonNullable<NodeGroupPlan["publicPorts"]>[number];
