import { createHash } from "node:crypto";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderNodeHelper } from "../../sdk/hardening/node-helper";
import { announceSkip, requireTool, run } from "../support/tools";

/**
 * The volume step's "format only a blank volume" decision, run for real: the helper's own
 * functions (the file is sourced, not executed) on image files holding real signatures made
 * by sfdisk, mkfs and mkswap, and LVM and md-RAID headers written here byte by byte (lvm2 and
 * mdadm are not installed; libblkid reads them all the same). No root needed.
 */
const blkid = requireTool("blkid", "util-linux");
const mkswap = requireTool("mkswap", "util-linux");
const sfdisk = requireTool("sfdisk", "fdisk");
const mkfsExt4 = requireTool("mkfs.ext4", "e2fsprogs");
const tools = [blkid, requireTool("wipefs", "util-linux"), mkswap, sfdisk, mkfsExt4];
for (const t of tools) announceSkip(t);
const missing = tools.some((t) => t.skip !== undefined);

const dir = mkdtempSync(join(tmpdir(), "lct-volumes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const helper = join(dir, "lct-node");
writeFileSync(helper, renderNodeHelper(), { mode: 0o755 });

/** A sparse 16 MiB image, made by `make` (given its path). */
function image(name: string, make: (path: string) => void = () => {}): string {
    const path = join(dir, `${name}.img`);
    writeFileSync(path, "");
    truncateSync(path, 16 * 1024 * 1024);
    make(path);
    return path;
}

function must(r: ReturnType<typeof run>, what: string): void {
    if (r.status !== 0) throw new Error(`${what}: exit ${r.status}\n${r.stderr}`);
}

function writeAt(path: string, offset: number, bytes: Buffer): void {
    const fd = openSync(path, "r+");
    writeSync(fd, bytes, 0, bytes.length, offset);
    closeSync(fd);
}

const partitionTable = (label: "dos" | "gpt") => (path: string) => must(run(sfdisk.path!, ["-q", path], { input: `label: ${label}\n,,L\n` }), "sfdisk");
const ext4 = (path: string) => must(run(mkfsExt4.path!, ["-q", "-F", path]), "mkfs.ext4");

/** An LVM2 physical-volume label in sector 1, with the CRC libblkid verifies (LVM's calc_crc). */
function lvmLabel(path: string): void {
    const label = Buffer.alloc(512);
    label.write("LABELONE", 0, "latin1");
    label.writeBigUInt64LE(1n, 8); // the sector it is in
    label.writeUInt32LE(32, 20); // offset of the PV header
    label.write("LVM2 001", 24, "latin1");
    label.write("A".repeat(32), 32, "latin1"); // PV UUID
    const table = [0x0, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c, 0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c];
    let crc = 0xf597a6cf;
    for (const byte of label.subarray(20)) {
        crc ^= byte;
        crc = (crc >>> 4) ^ table[crc & 15]!;
        crc = (crc >>> 4) ^ table[crc & 15]!;
    }
    label.writeUInt32LE(crc >>> 0, 16);
    writeAt(path, 512, label);
}

/** An md RAID 1.2 superblock (4 KiB into the device): a member of a RAID 1 of two disks. */
function mdSuperblock(path: string): void {
    const sb = Buffer.alloc(256);
    sb.writeUInt32LE(0xa92b4efc, 0); // magic
    sb.writeUInt32LE(1, 4); // major version
    Buffer.from([...Array(16).keys()].map((i) => i + 1)).copy(sb, 16); // set UUID
    sb.write("lct0", 32, "latin1");
    sb.writeUInt32LE(1, 72); // level
    sb.writeUInt32LE(2, 92); // raid disks
    sb.writeBigUInt64LE(8n, 144); // super_offset, in sectors
    writeAt(path, 4096, sb);
}

/** Calls one of the helper's functions on an image, as the volume step does on the device. */
function helperFn(fn: "volume_contents" | "volume_prepare", ...args: string[]) {
    return run("bash", ["-c", `source "$1"; shift; ${fn} "$@"`, "lct-volume-test", helper, ...args]);
}

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

describe.skipIf(missing)("volume step: formats only a blank volume (util-linux libblkid, sfdisk, mke2fs)", () => {
    it("formats a blank volume once; the second run keeps the filesystem and its data", () => {
        const vol = image("blank");
        expect(helperFn("volume_contents", vol).stdout).toBe("blank\n");
        const first = helperFn("volume_prepare", vol, "ext4", "data");
        expect(first.status, first.stderr).toBe(0);
        expect(first.stderr).toContain(`formatting ${vol} as ext4`);
        expect(helperFn("volume_contents", vol).stdout).toBe("ext4\n");
        const before = sha256(vol);
        const second = helperFn("volume_prepare", vol, "ext4", "data");
        expect(second.status, second.stderr).toBe(0);
        expect(second.stderr).toContain(`volume data: ${vol} already holds an ext4 filesystem; mounting it as it is`);
        expect(second.stderr).not.toMatch(/formatting \//);
        expect(sha256(vol)).toBe(before);
    });

    // What each image holds as wipefs names it, and why it must never be formatted.
    const notBlank: Array<[what: string, make: (path: string) => void, fs: "ext4" | "xfs", found: RegExp]> = [
        ["a DOS partition table only (no filesystem TYPE)", partitionTable("dos"), "ext4", /^dos$/],
        ["a GPT partition table only", partitionTable("gpt"), "ext4", /^(PMBR gpt|gpt PMBR)$/],
        ["an ext4 filesystem under a partition table written over it", (p) => (ext4(p), partitionTable("dos")(p)), "ext4", /^(dos ext4|ext4 dos)$/],
        ["an ext4 filesystem where the plan says xfs", ext4, "xfs", /^ext4$/],
        ["swap", (p) => must(run(mkswap.path!, ["-q", p]), "mkswap"), "ext4", /^swap$/],
        ["an LVM2 physical volume", lvmLabel, "ext4", /^LVM2_member$/],
        ["an md RAID member", mdSuperblock, "xfs", /^linux_raid_member$/],
    ];

    it.each(notBlank)("leaves %s untouched, says why, and fails the step", (what, make, fs, found) => {
        const vol = image(what.replace(/\W+/g, "-"), make);
        const contents = helperFn("volume_contents", vol).stdout.trim();
        expect(contents).toMatch(found);
        const before = sha256(vol);
        const r = helperFn("volume_prepare", vol, fs, "data");
        expect(r.status).not.toBe(0);
        expect(r.stderr).toContain(`lct-node: error: volume data: ${vol} is not blank and holds no lone ${fs} filesystem (found: ${contents}); LCT formats only blank volumes`);
        expect(r.stderr).not.toMatch(/formatting \//);
        expect(sha256(vol)).toBe(before);
    });

    it("the old check (blkid TYPE only) sees nothing on a partition-table-only volume: why the probe changed", () => {
        for (const label of ["dos", "gpt"] as const) {
            const vol = image(`old-${label}`, partitionTable(label));
            const r = run(blkid.path!, ["-o", "value", "-s", "TYPE", vol]);
            expect(r.stdout.trim()).toBe("");
            expect(helperFn("volume_contents", vol).stdout.trim()).not.toBe("blank");
        }
    });
});
