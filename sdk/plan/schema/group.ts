import { z } from "zod";
import { MAX_PLAN_NODES } from "../limits";
import { portRule, portSpec, protocol, sizeGb, slug, tag } from "./primitives";

export const hardeningProfile = z
    .enum(["baseline", "strict", "none"])
    .describe("baseline = dev-sec baseline; strict = CIS where stricter; none = explicit opt-out (warned).");

export const configMethod = z
    .enum(["cloud-init", "stackscript"])
    .describe("How first-boot hardening reaches the node: cloud-init user data (Metadata) or a StackScript.");

export const service = z
    .strictObject({
        name: slug("service name", 32),
        ports: z.array(portSpec).min(1, { error: "a service needs at least one port" }),
        protocol: protocol.default("tcp"),
        from: z
            .array(z.string())
            .min(1, { error: "`from` needs at least one source; omit it to allow the whole cluster" })
            .optional()
            .describe(
                'Who may connect: "cluster" (default), "self", a group name, "<region>/<group>", "role:<role>", "clients" (exposure.clientCidrs), "world", or a CIDR.',
            ),
    })
    .describe("A service the group runs; its ports are open only to the sources in `from`.");

export const storage = z
    .strictObject({
        name: slug("storage name", 16),
        sizeGb,
        mountPath: z
            .string()
            .regex(/^\/[A-Za-z0-9._\-/]*$/, { error: 'a mount path is absolute, like "/var/lib/kafka"' })
            .refine((p) => p !== "/" && !p.split("/").includes(".."), {
                error: 'a mount path must not be "/" or contain ".."',
            }),
        filesystem: z.enum(["ext4", "xfs"]).default("ext4"),
        deletionPolicy: z
            .enum(["protect", "retain", "delete"])
            .default("protect")
            .describe(
                "protect: `pulumi destroy` refuses to delete it; retain: destroy leaves the volume in the account; delete: destroyed with the stack.",
            ),
    })
    .describe("A Block Storage volume per node of the group, formatted once and mounted at `mountPath`.");

export const groupHardening = z
    .strictObject({
        profile: hardeningProfile.optional(),
        forwarding: z.boolean().optional().describe("Allow IP forwarding (container and overlay-network roles)."),
        egress: z
            .strictObject({
                mode: z.enum(["open", "restricted"]).default("open"),
                allow: z.array(portRule).optional().describe("Outbound ports allowed when restricted (DNS, NTP, HTTP(S) and cluster traffic are always allowed)."),
            })
            .optional(),
        extraPorts: z.array(portRule).optional().describe("Extra host-firewall openings, from cluster members only."),
    })
    .describe("Per-group hardening overrides.");

export const nodeGroup = z
    .strictObject({
        name: slug("group name", 24),
        role: slug("role", 40).optional().describe("The role this group plays (defaults to the group name)."),
        type: z.string().optional().describe("Linode plan type id, e.g. g6-dedicated-4."),
        image: z.string().optional().describe("Image id, e.g. linode/debian12."),
        count: z
            .int({ error: "count must be a whole number" })
            .min(1, { error: "must be at least 1" })
            .max(MAX_PLAN_NODES, { error: `must be at most ${MAX_PLAN_NODES} (LCT plans at most ${MAX_PLAN_NODES} nodes per cluster)` }),
        services: z.array(service).optional(),
        storage: z.array(storage).optional(),
        bootOrder: z
            .int()
            .min(0)
            .max(1000)
            .optional()
            .describe("Lower boots first; groups with the same order start together and stop in reverse."),
        antiAffinity: z.boolean().optional().describe("Spread the group's nodes across hosts with placement groups."),
        tags: z.array(tag).optional(),
        publicPorts: z.array(portRule).optional().describe("Ports open to the whole Internet on this group."),
        hardening: groupHardening.optional(),
        configMethod: configMethod.optional(),
        addressBlock: z
            .int()
            .min(1)
            .max(254)
            .optional()
            .describe("VPC address block (third octet) for this group; derived from the group name when omitted."),
    })
    .describe("Identical nodes with one role.");
