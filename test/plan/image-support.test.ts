import { afterAll, describe, expect, it } from "vitest";
import { bundledCatalog } from "../../sdk/catalog/load";
import { memoryIO } from "../../sdk/cli/io";
import { runCli } from "../../sdk/cli/main";
import { hardeningRules, hardeningSupportsImage, SUPPORTED_IMAGES } from "../../sdk/hardening";
import { check, errorsOf, planWith, tempDir, warningsOf } from "./helpers";

/**
 * hardening.image: the first-boot hardening is apt/dpkg + systemd + OpenSSH ≥ 8.5 (Debian's
 * layout); a plan that would boot anything else with a profile other than `none` is invalid.
 */
const g = (p: any, i = 0) => p.regions[0].nodeGroups[i];
const withHardening = (plan: unknown) => check(plan, { rules: hardeningRules });
const imageIssues = (plan: unknown) =>
    withHardening(plan)
        .issues.filter((i) => i.rule.startsWith("hardening.image"))
        .map(({ rule, path, message }) => ({ rule, path, message }));

const SUPPORTED = "linode/debian12, linode/debian13, linode/ubuntu22.04, linode/ubuntu24.04 (or their variants such as linode/debian12-kube-…)";
const rejected = (image: string, path: string, who: string) => ({
    rule: "hardening.image",
    path,
    message: `image ${image} is not supported by LCT's node hardening (${who}): its first-boot steps need Debian 12 or 13 or Ubuntu 22.04 or 24.04 (apt, systemd, OpenSSH 8.5+) and would fail before the completion marker; use ${SUPPORTED}, or opt out with hardening: { profile: none }`,
});

describe("hardening.image", () => {
    it("accepts every catalogue image of a supported release, variants included, and only those", () => {
        const accepted = bundledCatalog.images.map((i) => i.id).filter(hardeningSupportsImage);
        expect(accepted).toEqual([
            "linode/debian12",
            "linode/debian12-kube-v1.33.10",
            "linode/debian12-kube-v1.34.6",
            "linode/debian12-kube-v1.35.3",
            "linode/debian12-kube-v1.36.0",
            "linode/debian13",
            "linode/ubuntu22.04",
            "linode/ubuntu22.04-kube",
            "linode/ubuntu24.04",
            "linode/ubuntu24.04-kube-vmulti",
            "linode/ubuntu24.04-nvidia",
        ]);
        // A prefix is not a release: Debian 1, Ubuntu 22.04.5-something-else are not variants.
        for (const id of ["linode/debian1", "linode/debian120", "linode/ubuntu22.045", "linode/debian11", "linode/ubuntu20.04", "linode/ubuntu25.10"]) {
            expect(hardeningSupportsImage(id), id).toBe(false);
        }
        expect(SUPPORTED_IMAGES.map((s) => s.image)).toEqual(["linode/debian12", "linode/debian13", "linode/ubuntu22.04", "linode/ubuntu24.04"]);
        for (const s of SUPPORTED_IMAGES) expect(bundledCatalog.images.map((i) => i.id)).toContain(s.image);
    });

    it("passes the default image and every supported one", () => {
        expect(imageIssues(planWith(() => {}))).toEqual([]);
        for (const image of ["linode/debian12", "linode/debian13", "linode/ubuntu22.04", "linode/ubuntu24.04", "linode/debian12-kube-v1.36.0"]) {
            expect(errorsOf(withHardening(planWith((p) => (g(p).image = image)))), image).toEqual([]);
        }
    });

    it.each(["linode/rocky9", "linode/almalinux9", "linode/alpine3.22", "linode/debian11", "linode/ubuntu20.04", "linode/ubuntu25.10", "linode/fedora43", "linode/arch"])(
        "rejects %s at the group's image, naming the supported images",
        (image) => {
            expect(imageIssues(planWith((p) => (g(p).image = image)))).toEqual([rejected(image, "regions[0].nodeGroups[0].image", "group web")]);
        },
    );

    it("rejects images without cloud-init too, next to the capability error, and with a StackScript", () => {
        expect(errorsOf(withHardening(planWith((p) => ((g(p).image = "linode/kali"), (g(p).configMethod = "stackscript")))))).toEqual([
            rejected("linode/kali", "regions[0].nodeGroups[0].image", "group web"),
        ]);
        expect(errorsOf(withHardening(planWith((p) => (g(p).image = "linode/slackware15.0")))).map((i) => i.rule).sort()).toEqual(["capabilities.cloud-init", "hardening.image"]);
    });

    it("reports an inherited default image once, at defaults.image, naming every group that uses it", () => {
        const plan = planWith((p) => {
            p.defaults = { image: "linode/rocky9" };
            p.regions[0].nodeGroups.push({ name: "db", count: 1 }, { name: "lab", count: 1, hardening: { profile: "none" } }, { name: "deb", count: 1, image: "linode/debian12" });
            p.regions.push({ region: "eu-central", nodeGroups: [{ name: "edge", count: 1, image: "linode/fedora43", hardening: { profile: "strict" } }] });
        });
        expect(imageIssues(plan)).toEqual([
            rejected("linode/rocky9", "defaults.image", "groups us-ord/web, us-ord/db"),
            rejected("linode/fedora43", "regions[1].nodeGroups[0].image", "group edge"),
        ]);
    });

    it("lets an explicit opt-out (profile none) use any image, as a group or as the default", () => {
        expect(imageIssues(planWith((p) => ((g(p).image = "linode/rocky9"), (g(p).hardening = { profile: "none" }))))).toEqual([]);
        expect(imageIssues(planWith((p) => (p.defaults = { image: "linode/alpine3.22", hardening: "none" })))).toEqual([]);
        // ...but a group's own profile beats the default opt-out.
        expect(imageIssues(planWith((p) => ((p.defaults = { image: "linode/alpine3.22", hardening: "none" }), (g(p).hardening = { profile: "baseline" }))))).toEqual([
            rejected("linode/alpine3.22", "defaults.image", "group us-ord/web"),
        ]);
    });

    it("leaves unknown ids to catalog.image, and warns about private images it cannot judge", () => {
        expect(errorsOf(withHardening(planWith((p) => (g(p).image = "linode/rocky99")))).map((i) => i.rule)).toEqual(["catalog.image"]);
        const c = withHardening(planWith((p) => (g(p).image = "private/12345")));
        expect(errorsOf(c)).toEqual([]);
        expect(warningsOf(c)).toEqual([
            {
                rule: "hardening.image-private",
                path: "regions[0].nodeGroups[0].image",
                message: `LCT cannot tell which OS the private image private/12345 runs; the hardening of group web works only on Debian 12 or 13 and Ubuntu 22.04 or 24.04 (apt, systemd, OpenSSH 8.5+); make sure the image is built from one of ${SUPPORTED}`,
            },
        ]);
    });
});

describe("lct validate", () => {
    const tmp = tempDir();
    afterAll(() => tmp.cleanup());

    it("fails a plan with image linode/rocky9, with line and column (the audit's example)", async () => {
        const file = tmp.file("rocky.yaml", "name: demo\nexposure: { adminCidrs: [203.0.113.0/24] }\nregions:\n  - region: us-ord\n    nodeGroups:\n      - { name: web, count: 2, image: linode/rocky9 }\n");
        const io = memoryIO({ cwd: tmp.dir, env: {} });
        const code = await runCli(["validate", file], io);
        expect(code).toBe(1);
        expect(io.stdout() + io.stderr()).toContain(`${file}:6:39: error: regions[0].nodeGroups[0].image: image linode/rocky9 is not supported by LCT's node hardening (group web)`);
    });
});
