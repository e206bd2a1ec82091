import { describe, expect, it } from "vitest";
import { bundledCatalog } from "../../sdk/catalog/load";
import { memoryIO } from "../../sdk/cli/io";
import { runCli } from "../../sdk/cli/main";

async function lct(args: string[]) {
    const io = memoryIO({ env: {} });
    const code = await runCli(args, io);
    return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe("lct catalog regions|types|images", () => {
    it("lists regions with their capabilities and the catalogue date", async () => {
        const r = await lct(["catalog", "regions"]);
        expect(r.code).toBe(0);
        const lines = r.stdout.trim().split("\n");
        expect(lines).toHaveLength(bundledCatalog.regions.length + 1);
        expect(lines).toContain("us-ord         Chicago, IL        Linodes, Metadata, Block Storage, NodeBalancers, Cloud Firewall, Placement Group, VPCs");
        expect(lines.at(-1)).toBe("(34 regions; catalogue of 2026-07-01)");
    });

    it("lists types with specs and monthly prices", async () => {
        const r = await lct(["catalog", "types"]);
        const lines = r.stdout.trim().split("\n");
        expect(lines[0]).toBe("g6-nanode-1        nanode       1 vCPU    1 GB  $5/month");
        expect(lines).toContain("g7-highmem-4       highmem      4 vCPU   90 GB  $240/month");
        expect(lines.at(-1)).toBe("(37 types; catalogue of 2026-07-01)");
    });

    it("lists images with their cloud-init support and end of life", async () => {
        const lines = (await lct(["catalog", "images"])).stdout.trim().split("\n");
        expect(lines).toContain("linode/kali                        no cloud-init (use configMethod: stackscript)");
        expect(lines).toContain("linode/centos7                     cloud-init  EOL 2024-06-30");
        expect(lines.at(-1)).toBe("(34 images; catalogue of 2026-07-01)");
    });

    it("--json gives the catalogue entries", async () => {
        for (const kind of ["regions", "types", "images"] as const) {
            const r = await lct(["catalog", kind, "--json"]);
            expect(r.code).toBe(0);
            expect(JSON.parse(r.stdout)).toEqual(bundledCatalog[kind]);
        }
    });
});
