/**
 * Packing a bundle as .tgz (node-tar) or .zip (yazl): reproducible (sorted entries, one fixed
 * mtime, no owner names), files 0644 and folders 0755.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type BundleFile, bundleDirectories } from "./bundle";

export type ArchiveFormat = "tgz" | "zip";

/** Every entry's modification time (SOURCE_DATE_EPOCH style reproducibility). */
export const ARCHIVE_MTIME = new Date("2024-01-01T00:00:00Z");

export function archiveFormatOf(file: string): ArchiveFormat | undefined {
    if (/\.(tgz|tar\.gz)$/i.test(file)) return "tgz";
    if (/\.zip$/i.test(file)) return "zip";
    return undefined;
}

function checkPaths(files: readonly BundleFile[]): void {
    for (const f of files) {
        if (f.path.startsWith("/") || f.path.split("/").some((p) => p === ".." || p === "")) {
            throw new Error(`bundle path "${f.path}" must be relative and plain`);
        }
    }
}

export async function packBundle(files: readonly BundleFile[], format: ArchiveFormat, mtime: Date = ARCHIVE_MTIME): Promise<Buffer> {
    checkPaths(files);
    return format === "zip" ? packZip(files, mtime) : packTgz(files, mtime);
}

async function packTgz(files: readonly BundleFile[], mtime: Date): Promise<Buffer> {
    const tar = require("tar") as typeof import("tar");
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lct-bundle-"));
    try {
        const dirs = bundleDirectories(files);
        for (const d of dirs) fs.mkdirSync(path.join(tmp, d), { recursive: true, mode: 0o755 });
        for (const d of dirs) fs.chmodSync(path.join(tmp, d), 0o755);
        for (const f of files) {
            const p = path.join(tmp, f.path);
            fs.writeFileSync(p, f.content, { mode: f.mode });
            fs.chmodSync(p, f.mode);
        }
        const entries = [...dirs, ...files.map((f) => f.path)].sort();
        const chunks: Buffer[] = [];
        const stream = tar.create({ gzip: true, cwd: tmp, portable: true, mtime, noDirRecurse: true }, entries);
        for await (const c of stream as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
        return Buffer.concat(chunks);
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

async function packZip(files: readonly BundleFile[], mtime: Date): Promise<Buffer> {
    const yazl = require("yazl") as typeof import("yazl");
    const zip = new yazl.ZipFile();
    for (const d of bundleDirectories(files)) zip.addEmptyDirectory(d, { mtime, mode: 0o40755 });
    for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
        zip.addBuffer(Buffer.from(f.content, "utf8"), f.path, { mtime, mode: 0o100000 | f.mode });
    }
    zip.end();
    const chunks: Buffer[] = [];
    for await (const c of zip.outputStream as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
    return Buffer.concat(chunks);
}
