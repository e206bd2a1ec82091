import { z } from "zod";
import { NAME_PATTERN, slug } from "../plan/schema/primitives";

/**
 * The template file format (templates/<name>.yaml): metadata, typed parameters, documentation
 * of the roles, and the plan body with parameter references. See docs/templates.md.
 *
 * Parameter *definitions* are checked here; parameter *values* in parameters.ts.
 */

/** Parameter names: camelCase, so they never clash with `${…}` syntax or plan keys. */
export const PARAMETER_NAME = /^[a-z][A-Za-z0-9]*$/;

const described = { description: z.string().min(1, { error: "a parameter needs a description" }) };

const integerParameter = z
    .strictObject({
        type: z.literal("integer"),
        ...described,
        default: z.int(),
        min: z.int(),
        max: z.int(),
        /** Quorum sizes: a majority needs an odd number of members. */
        odd: z.boolean().optional(),
        /** e.g. NDB data nodes come in node groups of 2, GlusterFS replica-3 bricks in threes. */
        multipleOf: z.int().min(2).optional(),
        /** Why the range or the rule exists, quoted in error messages. */
        reason: z.string().optional(),
    })
    .refine((p) => p.min <= p.max, { error: "min must not exceed max" });

const booleanParameter = z.strictObject({ type: z.literal("boolean"), ...described, default: z.boolean() });

const stringParameter = z.strictObject({
    type: z.literal("string"),
    ...described,
    default: z.string(),
    /** A regular expression the whole value must match. */
    pattern: z.string().optional(),
    /** How the pattern reads to a person, for messages ("a cluster name: lower-case letters …"). */
    patternDescription: z.string().optional(),
    maxLength: z.int().positive().optional(),
});

const enumParameter = z.strictObject({
    type: z.literal("enum"),
    ...described,
    values: z.array(z.string()).min(2),
    default: z.string(),
});

/** Region capabilities as the catalogue spells them ("VPCs", "Block Storage", …). */
const capabilities = z.array(z.string()).optional();

const regionParameter = z.strictObject({ type: z.literal("region"), ...described, default: z.string(), capabilities });

const regionsParameter = z.strictObject({
    type: z.literal("regions"),
    ...described,
    default: z.array(z.string()),
    minItems: z.int().min(1).default(1),
    maxItems: z.int().min(1).optional(),
    capabilities,
});

const typeParameter = z.strictObject({
    type: z.literal("linode-type"),
    ...described,
    default: z.string(),
    /** Allowed type classes ("dedicated", "highmem", …); any when omitted. */
    classes: z.array(z.string()).optional(),
});

const imageParameter = z.strictObject({ type: z.literal("image"), ...described, default: z.string() });

const cidrsParameter = z.strictObject({
    type: z.literal("cidrs"),
    ...described,
    default: z.array(z.string()),
    minItems: z.int().min(0).default(1),
});

export const parameterSpec = z.discriminatedUnion(
    "type",
    [integerParameter, booleanParameter, stringParameter, enumParameter, regionParameter, regionsParameter, typeParameter, imageParameter, cidrsParameter],
    { error: "a parameter type is one of integer, boolean, string, enum, region, regions, linode-type, image, cidrs" },
);
export type ParameterSpec = z.output<typeof parameterSpec>;
export type ParameterType = ParameterSpec["type"];

/** A port as templates document it: `9093`, `"49152-49251"`, `"4567/udp"`. */
export const documentedPort = z.union([z.int().min(1).max(65535), z.string().regex(/^\d+(-\d+)?(\/(tcp|udp))?$/, { error: 'a port is 9093, "8000-8010" or "4567/udp"' })]);

export const roleSpec = z.strictObject({
    title: z.string(),
    description: z.string(),
    /**
     * `majority`: the role forms a quorum that needs a majority alive, so its node count must
     * be odd and at least 3 (3 tolerate one failure, 5 tolerate two).
     */
    quorum: z.literal("majority").optional(),
    ports: z
        .strictObject({
            /** Inter-node ports: open only to the cluster members that need them. */
            members: z.array(documentedPort).default([]),
            /** Client-facing ports: members plus `exposure.clientCidrs` (or the world, for a public UI). */
            clients: z.array(documentedPort).default([]),
            /** Reached only through a NodeBalancer (from 192.168.255.0/24). */
            balancer: z.array(documentedPort).default([]),
        })
        .default({ members: [], clients: [], balancer: [] }),
    /** Why the role has no bootstrap (required when none is bundled; see bootstrap/index.ts). */
    noBootstrap: z.string().optional(),
});
export type RoleSpec = z.output<typeof roleSpec>;

export const templateFile = z.strictObject({
    $schema: z.string().optional(),
    name: slug("template name", 32),
    title: z.string().min(1).max(80),
    description: z.string().min(1),
    /** Semantic version of the template (recorded in rendered plans). */
    version: z.string().regex(/^\d+\.\d+\.\d+$/, { error: "a template version is MAJOR.MINOR.PATCH" }),
    /** Inventory wirings the roles feed (sdk/inventory/wiring), for documentation and tests. */
    wiring: z.array(z.string()).default([]),
    roles: z.record(z.string().regex(new RegExp(NAME_PATTERN), { error: "a role is a slug" }), roleSpec),
    parameters: z.record(z.string().regex(PARAMETER_NAME, { error: "a parameter name is camelCase: a lower-case letter, then letters and digits" }), parameterSpec),
    /** The plan body: a ClusterPlan with `${parameter}` references, `$if` and `$each`. */
    plan: z.record(z.string(), z.unknown()),
});
export type TemplateFile = z.output<typeof templateFile>;
