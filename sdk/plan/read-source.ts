import * as fs from "node:fs";
import { PlanInputError } from "./input-error";

/** Plans are small (counts, not node lists); anything bigger is a mistake or an attack. */
export const MAX_PLAN_BYTES = 5 * 1024 * 1024;

/**
 * Reads a plan file as UTF-8 text, refusing anything that cannot be a plan, with one clear reason.
 * Messages name the file as `shownAs` (what the user typed), defaulting to `file`.
 */
export function readPlanFile(file: string, shownAs: string = file): string {
    let stat: fs.Stats;
    try {
        stat = fs.statSync(file);
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "ENOENT") throw new PlanInputError("no such file", shownAs);
        if (code === "EACCES") throw new PlanInputError("permission denied", shownAs);
        throw new PlanInputError(`cannot read: ${code ?? (e as Error).message}`, shownAs);
    }
    if (stat.isDirectory()) throw new PlanInputError("is a directory, not a plan file", shownAs);
    if (!stat.isFile()) throw new PlanInputError("is not a regular file", shownAs);
    if (stat.size > MAX_PLAN_BYTES) {
        throw new PlanInputError(
            `is ${(stat.size / 1024 / 1024).toFixed(1)} MB; plans are limited to ${MAX_PLAN_BYTES / 1024 / 1024} MB`,
            shownAs,
        );
    }
    let bytes: Buffer;
    try {
        bytes = fs.readFileSync(file);
    } catch (e) {
        throw new PlanInputError(`cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, shownAs);
    }
    return decodePlanBytes(bytes, shownAs);
}

/** Decodes bytes as UTF-8 (a UTF-8 BOM is fine), explaining other encodings and binary data. */
export function decodePlanBytes(bytes: Uint8Array, file?: string): string {
    if (bytes.length > MAX_PLAN_BYTES) {
        throw new PlanInputError(`is larger than ${MAX_PLAN_BYTES / 1024 / 1024} MB; plans are small`, file);
    }
    const wide = wideEncoding(bytes);
    if (wide) throw new PlanInputError(`is ${wide} encoded; save it as UTF-8`, file);
    const nul = bytes.indexOf(0);
    if (nul >= 0) {
        throw new PlanInputError(`contains a NUL byte at offset ${nul}: this looks like a binary file, not YAML or JSON`, file);
    }
    let text: string;
    try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
        throw new PlanInputError(`is not valid UTF-8 text (at byte ${firstInvalidUtf8(bytes)}); save it as UTF-8`, file);
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    // Line by line: a single regular expression over the whole text backtracks exponentially.
    if (text.split("\n").every((line) => line.trim() === "" || line.trimStart().startsWith("#"))) {
        throw new PlanInputError("is empty: a plan needs at least a name and one region", file);
    }
    return text;
}

/**
 * UTF-32 or UTF-16, by byte-order mark, or — without one — by the NUL bytes that ASCII text
 * has in every other (UTF-16) or three of every four (UTF-32) positions.
 */
export function wideEncoding(bytes: Uint8Array): string | undefined {
    const [a, b, c, d] = [bytes[0], bytes[1], bytes[2], bytes[3]];
    if (a === 0xff && b === 0xfe && c === 0 && d === 0) return "UTF-32";
    if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return "UTF-32";
    if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) return "UTF-16";
    const sample = bytes.subarray(0, Math.min(bytes.length, 4096) & ~3);
    if (sample.length < 4) return undefined;
    const zeroAt = [0, 0, 0, 0];
    for (let i = 0; i < sample.length; i++) if (sample[i] === 0) zeroAt[i % 4]!++;
    // Mostly, not all: a few characters beyond Latin-1 have no NUL byte.
    const quarter = sample.length / 4;
    const all = (k: number) => zeroAt[k]! >= 0.8 * quarter;
    const none = (k: number) => zeroAt[k]! <= 0.05 * quarter;
    if ((all(1) && all(2) && all(3) && none(0)) || (all(0) && all(1) && all(2) && none(3))) return "UTF-32";
    if ((all(1) && all(3) && none(0) && none(2)) || (all(0) && all(2) && none(1) && none(3))) return "UTF-16";
    return undefined;
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence (one linear pass). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
    let i = 0;
    while (i < bytes.length) {
        const b = bytes[i]!;
        if (b < 0x80) {
            i++;
            continue;
        }
        // Sequence length and the allowed range of the second byte (no overlongs, no surrogates, ≤ U+10FFFF).
        const [len, lo, hi] =
            b >= 0xc2 && b <= 0xdf ? [2, 0x80, 0xbf]
            : b === 0xe0 ? [3, 0xa0, 0xbf]
            : b === 0xed ? [3, 0x80, 0x9f]
            : b >= 0xe1 && b <= 0xef ? [3, 0x80, 0xbf]
            : b === 0xf0 ? [4, 0x90, 0xbf]
            : b >= 0xf1 && b <= 0xf3 ? [4, 0x80, 0xbf]
            : b === 0xf4 ? [4, 0x80, 0x8f]
            : [0, 0, 0];
        if (len === 0) return i;
        const second = bytes[i + 1];
        if (second === undefined || second < lo || second > hi) return i;
        for (let k = 2; k < len; k++) {
            const c = bytes[i + k];
            if (c === undefined || c < 0x80 || c > 0xbf) return i;
        }
        i += len;
    }
    return bytes.length;
}
