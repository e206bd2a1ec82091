/**
 * Pinned upstream releases: software Debian 12 does not package, fetched at first boot from the
 * project's own permanent archive and checked against the SHA-512 the project published before
 * anything is unpacked (fetch.ts). A version is offered only with a checksum LCT could find
 * published; this machine has no internet, so the archives themselves were never downloaded here:
 * each checksum is quoted from where it was found, and that is said in `source`. A template's
 * version parameter (e.g. `kafkaVersion`) chooses among the versions of its software.
 */
export interface UpstreamRelease {
    software: string;
    version: string;
    /** On the project's permanent archive (archive.apache.org keeps every release; mirrors drop old ones). */
    url: string;
    /** Lower-case hex, as `sha512sum` prints it. */
    sha512: string;
    /** Where the checksum was taken from. */
    source: string;
}

const STRIMZI = "strimzi/strimzi-kafka-operator kafka-versions.yaml (commit 01bad4471cc834a82aedf9b857f8cd39d67969a5), which copies Apache's .sha512 files";

export const UPSTREAM_RELEASES: readonly UpstreamRelease[] = [
    {
        software: "kafka",
        version: "4.1.2",
        url: "https://archive.apache.org/dist/kafka/4.1.2/kafka_2.13-4.1.2.tgz",
        sha512: "78ac6e488b1071122f9608dfdb363f6fe50e1dbbc492347002c0398dfbf77e0d8caa5bf794c5937379721004dfe92025937d238b0faf4eb715529417fd43b491",
        source: `${STRIMZI}; the same value appears in independent public projects pinning this release`,
    },
    {
        software: "kafka",
        version: "3.9.1",
        url: "https://archive.apache.org/dist/kafka/3.9.1/kafka_2.13-3.9.1.tgz",
        sha512: "1ea204ba73411737a275429ca976d440f007ff0957b90b19be41dc5a4bae52617267769be9f0b5791714d0b3c4c760605bd426faea39edd90763585523fa2cfe",
        source: `${STRIMZI}; the same value appears in independent public projects pinning this release`,
    },
];

/** The releases of one software, newest first (the first is the default). */
export function releasesOf(software: string): UpstreamRelease[] {
    return UPSTREAM_RELEASES.filter((r) => r.software === software);
}

export function findRelease(software: string, version: string): UpstreamRelease | undefined {
    return UPSTREAM_RELEASES.find((r) => r.software === software && r.version === version);
}
