import { isIPv4, isIPv6 } from "node:net";

/** An IP network as numbers: IPv4 in 32 bits, IPv6 in 128 bits. */
export interface Network {
    version: 4 | 6;
    /** Network address (host bits cleared). */
    base: bigint;
    prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

export function ipv4ToBigInt(ip: string): bigint {
    return ip.split(".").reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
}

export function bigIntToIpv4(n: bigint): string {
    return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join(".");
}

function ipv6ToBigInt(ip: string): bigint {
    let text = ip;
    // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
    const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
    if (v4) {
        const n = ipv4ToBigInt(v4[1]!);
        text = text.slice(0, -v4[1]!.length) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
    }
    const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
    const h = head ? head.split(":") : [];
    const t = tail === undefined ? [] : tail ? tail.split(":") : [];
    const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
    return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Parses "a.b.c.d/nn", "a.b.c.d" (= /32), or the IPv6 equivalents; undefined when invalid. */
export function parseCidr(text: string): Network | undefined {
    const [addr, prefixText, extra] = text.trim().split("/");
    if (extra !== undefined || addr === undefined) return undefined;
    const version = isIPv4(addr) ? 4 : isIPv6(addr) ? 6 : undefined;
    if (!version) return undefined;
    if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
    const prefix = prefixText === undefined ? BITS[version] : Number(prefixText);
    if (prefix > BITS[version]) return undefined;
    const value = version === 4 ? ipv4ToBigInt(addr) : ipv6ToBigInt(addr);
    return { version, base: value & mask(version, prefix), prefix };
}

/** Whether the text has host bits set beyond its prefix (e.g. 10.0.0.5/24). */
export function hasHostBits(text: string): boolean {
    const n = parseCidr(text);
    if (!n) return false;
    const addr = text.split("/")[0]!;
    const value = n.version === 4 ? ipv4ToBigInt(addr) : ipv6ToBigInt(addr);
    return value !== n.base;
}

function mask(version: 4 | 6, prefix: number): bigint {
    const bits = BITS[version];
    return ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
}

export function networkSize(n: Network): bigint {
    return 1n << BigInt(BITS[n.version] - n.prefix);
}

export function overlaps(a: Network, b: Network): boolean {
    if (a.version !== b.version) return false;
    const aEnd = a.base + networkSize(a) - 1n;
    const bEnd = b.base + networkSize(b) - 1n;
    return a.base <= bEnd && b.base <= aEnd;
}

export function contains(outer: Network, inner: Network): boolean {
    return (
        outer.version === inner.version &&
        inner.prefix >= outer.prefix &&
        (inner.base & mask(outer.version, outer.prefix)) === outer.base
    );
}

export function formatNetwork(n: Network): string {
    if (n.version === 4) return `${bigIntToIpv4(n.base)}/${n.prefix}`;
    const hex = Array.from({ length: 8 }, (_, i) => ((n.base >> BigInt(112 - i * 16)) & 0xffffn).toString(16));
    return `${hex.join(":").replace(/(^|:)0(:0)+(:|$)/, "::")}/${n.prefix}`;
}

export function isRfc1918(n: Network): boolean {
    return ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].some((r) => contains(parseCidr(r)!, n));
}

/** Linode's shared private network; VPC subnets must not overlap it. */
export const LINODE_PRIVATE_RANGE = "192.168.128.0/17";
/** Where NodeBalancers connect to their back-end nodes from. */
export const NODEBALANCER_SOURCE_RANGE = "192.168.255.0/24";

/**
 * The fewest CIDR blocks covering exactly these IPv4 addresses. VPC members get consecutive
 * addresses, so a whole group usually collapses to a few blocks (firewall rules stay small).
 * IPv4 fits a double exactly, so this works on numbers: BigInt arithmetic made it a hot spot
 * for 10,000-node plans (bench/plan-validate.ts).
 */
export function aggregateIpv4(addresses: readonly string[]): string[] {
    const values = [...new Set(addresses.map(ipv4ToNumber))].sort((a, b) => a - b);
    const out: string[] = [];
    let i = 0;
    while (i < values.length) {
        let start = values[i]!;
        let end = start;
        while (i + 1 < values.length && values[i + 1] === end + 1) end = values[++i]!;
        i++;
        // Cover [start, end] with maximal aligned blocks.
        while (start <= end) {
            let size = 1;
            let prefix = 32;
            while (prefix > 0 && start % (size * 2) === 0 && start + size * 2 - 1 <= end) {
                size *= 2;
                prefix--;
            }
            out.push(`${numberToIpv4(start)}/${prefix}`);
            start += size;
        }
    }
    return out;
}

/** A dotted IPv4 address (valid, as plan-time addresses are) as a number; by characters, no split: it runs per member. */
export function ipv4ToNumber(ip: string): number {
    let n = 0;
    let octet = 0;
    for (let i = 0; i < ip.length; i++) {
        const c = ip.charCodeAt(i);
        if (c === 46) {
            n = n * 256 + octet;
            octet = 0;
        } else octet = octet * 10 + (c - 48);
    }
    return n * 256 + octet;
}

export function numberToIpv4(n: number): string {
    return `${Math.floor(n / 16777216) % 256}.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
}
