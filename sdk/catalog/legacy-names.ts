/**
 * Names from the original toolkit's era (Linode API v3 / early v4) and what replaced them.
 * Regions and plan types map to current ids; retired images are rejected with their successor.
 */

/** Old datacenter names and early-v4 ids → current region ids. */
export const LEGACY_REGIONS: Record<string, string> = {
    newark: "us-east",
    "us-east-1a": "us-east",
    atlanta: "us-southeast",
    "us-southeast-1a": "us-southeast",
    dallas: "us-central",
    "us-south-1a": "us-central",
    "us-central-1a": "us-central",
    fremont: "us-west",
    "us-west-1a": "us-west",
    london: "eu-west",
    "eu-west-1a": "eu-west",
    frankfurt: "eu-central",
    "eu-central-1a": "eu-central",
    tokyo: "ap-northeast",
    tokyo2: "ap-northeast",
    "ap-northeast-1a": "ap-northeast",
    "ap-northeast-1b": "ap-northeast",
    singapore: "ap-south",
    "ap-south-1a": "ap-south",
    toronto1: "ca-central",
    mumbai1: "ap-west",
    sydney1: "ap-southeast",
};

/**
 * Old plan names ("Linode 1024", memory in MB) and g5 ids → the smallest current shared plan
 * with at least as much memory.
 */
export const LEGACY_TYPES: Record<string, string> = {
    "Linode 1024": "g6-nanode-1",
    "Linode 2048": "g6-standard-1",
    "Linode 4096": "g6-standard-2",
    "Linode 8192": "g6-standard-4",
    "Linode 12288": "g6-standard-6",
    "Linode 16384": "g6-standard-6",
    "Linode 24576": "g6-standard-8",
    "Linode 32768": "g6-standard-8",
    "Linode 40960": "g6-standard-16",
    "Linode 49152": "g6-standard-16",
    "Linode 65536": "g6-standard-16",
    "Linode 81920": "g6-standard-20",
    "Linode 98304": "g6-standard-20",
    "Linode 131072": "g6-standard-24",
    "Linode 163840": "g6-standard-32",
    "Linode 196608": "g6-standard-32",
    "g5-nanode-1": "g6-nanode-1",
    "g5-standard-1": "g6-standard-1",
    "g5-standard-2": "g6-standard-2",
    "g5-standard-4": "g6-standard-4",
    "g5-standard-6": "g6-standard-6",
    "g5-standard-8": "g6-standard-8",
    "g5-standard-12": "g6-standard-16",
    "g5-standard-16": "g6-standard-16",
    "g5-standard-20": "g6-standard-20",
    "g5-highmem-1": "g7-highmem-1",
    "g5-highmem-2": "g7-highmem-2",
    "g5-highmem-4": "g7-highmem-4",
    "g5-highmem-8": "g7-highmem-8",
    "g5-highmem-16": "g7-highmem-16",
};

/** The current type for an old plan name or g5 id ("Linode 2048", "linode 2048", "g5-standard-1"), if any. */
export function legacyTypeFor(name: string): string | undefined {
    const key = name.trim().replace(/\s+/g, " ").toLowerCase();
    const hit = Object.keys(LEGACY_TYPES).find((k) => k.toLowerCase() === key);
    return hit === undefined ? undefined : LEGACY_TYPES[hit];
}

/** Retired distributions → the image a user should move to (never mapped silently). */
export const RETIRED_IMAGES: Array<{ match: RegExp; replacement: string }> = [
    { match: /^(linode\/)?ubuntu(1[0-9])\.(04|10)(lts)?$/i, replacement: "linode/ubuntu24.04" },
    { match: /^(linode\/)?ubuntu(2[0-1])\.(10)$/i, replacement: "linode/ubuntu24.04" },
    { match: /^(linode\/)?debian([5-9]|10)$/i, replacement: "linode/debian12" },
    { match: /^(linode\/)?centos[5-8](\.\d+)?$/i, replacement: "linode/rocky9" },
    { match: /^(linode\/)?centos-stream8$/i, replacement: "linode/centos-stream9" },
    { match: /^(linode\/)?fedora(2\d|3\d|4[01])$/i, replacement: "linode/fedora43" },
    { match: /^(linode\/)?alpine3\.(1?\d)$/i, replacement: "linode/alpine3.22" },
    { match: /^(linode\/)?opensuse(42\.\d|15\.[0-5])$/i, replacement: "linode/opensuse15.6" },
    { match: /^(linode\/)?slackware14\.\d$/i, replacement: "linode/slackware15.0" },
];

/** The original toolkit's `distribution` labels ("Ubuntu 16.04 LTS", "Debian 9") → image ids. */
export function distributionToImageId(distribution: string): string {
    const d = distribution.trim().toLowerCase();
    const m = /^(ubuntu|debian|centos|fedora|alpine|opensuse|arch|gentoo|slackware|rocky|almalinux|kali)\s*(linux)?\s*(leap|stream)?\s*([0-9.]*)\s*(lts)?$/.exec(d);
    if (!m) return distribution;
    const [, name, , edition, version] = m;
    const family = edition === "stream" ? `${name}-stream` : name;
    return version ? `linode/${family}${version}` : `linode/${family}`;
}

export function retiredImageReplacement(image: string): string | undefined {
    return RETIRED_IMAGES.find((r) => r.match.test(image))?.replacement;
}
