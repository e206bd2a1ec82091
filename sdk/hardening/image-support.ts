import { error, type PlanIssue, warning } from "../plan/issues";
import { DEFAULTS } from "../plan/normalize/normalize";
import { forEachGroup, type PlanRule } from "../plan/rules/rule";

/**
 * The images the first-boot hardening is written for. Its steps need apt and dpkg, systemd,
 * Debian's OpenSSH layout (`Include sshd_config.d/*.conf` at the top of sshd_config, the
 * `ssh` unit, `DebianBanner`) and OpenSSH 8.5 or later, whose sshd knows the dev-sec
 * key exchange `sntrup761x25519-sha512@openssh.com` (`sshd -t` rejects the drop-in otherwise,
 * and first boot stops before the completion marker). Hence no Debian 11 (OpenSSH 8.4), no
 * Ubuntu 20.04 (8.2), and no RPM, Alpine, Arch, Gentoo, openSUSE or Slackware image.
 * Variants of a release (`linode/debian12-kube-…`, `linode/ubuntu24.04-nvidia`) are the same OS.
 */
export const SUPPORTED_IMAGES: ReadonlyArray<{ release: string; image: string }> = [
    { release: "Debian 12", image: "linode/debian12" },
    { release: "Debian 13", image: "linode/debian13" },
    { release: "Ubuntu 22.04", image: "linode/ubuntu22.04" },
    { release: "Ubuntu 24.04", image: "linode/ubuntu24.04" },
];

/** Whether the hardening supports an image id (a release or one of its variants). */
export function hardeningSupportsImage(image: string): boolean {
    return SUPPORTED_IMAGES.some((s) => image === s.image || image.startsWith(`${s.image}-`));
}

const SUPPORTED_TEXT = `${SUPPORTED_IMAGES.map((s) => s.image).join(", ")} (or their variants such as linode/debian12-kube-…)`;

/**
 * A group whose hardening profile is not `none` must run a supported image. Errors go to the
 * field that chose the image: the group's `image`, or `defaults.image` once for every group
 * that inherits it. Private images cannot be told apart, so they get a warning.
 */
export const imageSupportRule: PlanRule = {
    id: "hardening.image",
    phase: "plan",
    check({ plan, catalog }) {
        const issues: PlanIssue[] = [];
        const fromDefaults: string[] = [];
        const defaultImage = plan.defaults?.image ?? DEFAULTS.image;
        forEachGroup(plan, (g, path, region) => {
            const profile = g.hardening?.profile ?? plan.defaults?.hardening ?? DEFAULTS.hardening;
            if (profile === "none") return;
            const image = g.image ?? defaultImage;
            if (hardeningSupportsImage(image)) return;
            // Unknown public ids are reported by catalog.image; an image of its own is a guess.
            if (!image.startsWith("private/") && !catalog.image(image)) return;
            if (g.image === undefined) {
                fromDefaults.push(`${region.region}/${g.name}`);
                return;
            }
            issues.push(problem(image, `${path}.image`, `group ${g.name}`));
        });
        if (fromDefaults.length > 0) issues.push(problem(defaultImage, "defaults.image", `group${fromDefaults.length > 1 ? "s" : ""} ${fromDefaults.join(", ")}`));
        return issues;
    },
};

function problem(image: string, path: string, who: string): PlanIssue {
    if (image.startsWith("private/")) {
        return warning(
            "hardening.image-private",
            path,
            `LCT cannot tell which OS the private image ${image} runs; the hardening of ${who} works only on Debian 12 or 13 and Ubuntu 22.04 or 24.04 (apt, systemd, OpenSSH 8.5+); make sure the image is built from one of ${SUPPORTED_TEXT}`,
        );
    }
    return error(
        "hardening.image",
        path,
        `image ${image} is not supported by LCT's node hardening (${who}): its first-boot steps need Debian 12 or 13 or Ubuntu 22.04 or 24.04 (apt, systemd, OpenSSH 8.5+) and would fail before the completion marker; use ${SUPPORTED_TEXT}, or opt out with hardening: { profile: none }`,
    );
}
