import { z } from "zod";
import { parseCidr } from "../../network/cidr";
import { parsePortSpec } from "../../network/ports";

/** Lower-case DNS-style name: cluster, group, service, storage and load-balancer names. */
export const NAME_PATTERN = "^[a-z]([a-z0-9-]*[a-z0-9])?$";

export const slug = (what: string, max: number) =>
    z
        .string({ error: `${what} must be a string` })
        .min(1, { error: `${what} must not be empty` })
        .max(max, { error: `${what} must be at most ${max} characters` })
        .regex(new RegExp(NAME_PATTERN), {
            error: `${what} must be lower-case letters, digits and "-", starting with a letter and not ending with "-"`,
        })
        .refine((s) => !s.includes("--"), { error: `${what} must not contain "--"` });

export const portSpec = z
    .union([z.int(), z.string()], { error: 'a port is a number 1–65535 or a range like "8000-8010"' })
    .refine((p) => parsePortSpec(p) !== undefined, {
        error: 'a port is a number 1–65535 or a range like "8000-8010" (low-high, no leading zeros)',
    })
    .describe('A port (443) or an inclusive range ("8000-8010").');

export const protocol = z.enum(["tcp", "udp"]).describe("Transport protocol.");

export const cidr = z
    .string({ error: "a network must be a string like 203.0.113.0/24" })
    .refine((s) => parseCidr(s) !== undefined, {
        error: "not an IP network: expected an IPv4 or IPv6 address with an optional /prefix, like 203.0.113.0/24",
    })
    .describe("An IPv4 or IPv6 network (203.0.113.0/24, 2001:db8::/32) or a single address.");

export const tag = z.string({ error: "a tag must be a string" }).describe("A Linode tag: 3–50 characters.");

export const sizeGb = z
    .int({ error: "a size must be a whole number of GB" })
    .min(10, { error: "Block Storage volumes are at least 10 GB" })
    .max(16384, { error: "Block Storage volumes are at most 16,384 GB (16 TB)" });

/** A port opened to a set of sources: `443`, `"8000-8010"`, or `{ port: 53, protocol: udp }`. */
export const portRule = z.union(
    [
        portSpec,
        z.strictObject({
            port: portSpec,
            protocol: protocol.default("tcp"),
        }),
    ],
    { error: 'a port entry is 443, "8000-8010", or { port: 53, protocol: udp }' },
);
