import * as fs from "node:fs";
import { PlanInputError } from "./input-error";

/** Plans are small (counts, not node lists); anything bigger is a mistake or an attack. */
export const MAX_PLAN_BYTES = 5 * 1024 * 1024;

/** Reads a plan file as UTF-8 text, refusing anything that cannot be a plan, with one clear reason. */
export function readPlanFile(file: string): string {
    let stat: fs.Stats;
    try {
        stat = fs.statSync(file);
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "ENOENT") throw new PlanInputError("no such file", file);
        if (code === "EACCES") throw new PlanInputError("permission denied", file);
        throw new PlanInputError(`cannot read: ${code ?? (e as Error).message}`, file);
    }
    if (stat.isDirectory()) throw new PlanInputError("is a directory, not a plan file", file);
    if (!stat.isFile()) throw new PlanInputError("is not a regular file", file);
    if (stat.size > MAX_PLAN_BYTES) {
        throw new PlanInputError(
            `is ${(stat.size / 1024 / 1024).toFixed(1)} MB; plans are limited to ${MAX_PLAN_BYTES / 1024 / 1024} MB`,
            file,
        );
    }
    let bytes: Buffer;
    try {
        bytes = fs.readFileSync(file);
    } catch (e) {
        throw new PlanInputError(`cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, file);
    }
    return decodePlanBytes(bytes, file);
}

/** Decodes bytes as UTF-8 (a UTF-8 BOM is fine), explaining other encodings and binary data. */
export function decodePlanBytes(bytes: Uint8Array, file?: string): string {
    if (bytes.length > MAX_PLAN_BYTES) {
        throw new PlanInputError(`is larger than ${MAX_PLAN_BYTES / 1024 / 1024} MB; plans are small`, file);
    }
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
        throw new PlanInputError("is UTF-16 encoded; save it as UTF-8", file);
    }
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
    if (text.trim() === "" || /^(\s*#[^\n]*\n?)*\s*$/.test(text)) {
        throw new PlanInputError("is empty: a plan needs at least a name and one region", file);
    }
    return text;
}

function firstInvalidUtf8(bytes: Uint8Array): number {
    for (let i = 0; i < bytes.length; i++) {
        try {
            new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, i + 1));
        } catch {
            // The decoder fails only at the end of an incomplete sequence; look for a definite error.
            if (i + 4 >= bytes.length) return i;
            try {
                new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, i + 4));
            } catch {
                return i;
            }
        }
    }
    return bytes.length;
}
