import type { ReleaseStep } from "./types";
import { shellWord } from "./words";

/**
 * The bash function a bootstrap script uses to install a pinned upstream release. The order is
 * the point: download to a private temporary directory, check the archive with
 * `sha512sum --check` against the pinned value, and only then unpack it — a mismatch (or a
 * failed download) fails first boot with a message saying what was expected and what came,
 * and leaves nothing behind. A release already unpacked with that checksum is left alone, so a
 * second run changes nothing; another version is unpacked next to it and the link moves.
 * Tested for real against local files with a matching and a mismatching checksum.
 */
export const FETCH_RELEASE_FUNCTION: readonly string[] = [
    "# fetch_release NAME VERSION URL SHA512 PREFIX: installs a pinned upstream release in",
    "# PREFIX/NAME-VERSION and points PREFIX/NAME at it. The archive is checked with sha512sum before",
    "# anything is unpacked; a failed download or a mismatch fails the bootstrap and unpacks nothing.",
    "fetch_release() {",
    '    local name="$1" version="$2" url="$3" sha512="$4" prefix="$5"',
    '    local dest="$prefix/$name-$version" work actual',
    '    if [ "$(cat "$dest/.lct-release" 2>/dev/null || true)" != "$sha512" ]; then',
    '        mkdir -p "$prefix"',
    '        work=$(mktemp -d "$prefix/.lct-fetch.XXXXXX")',
    // Redirects may only go to https (archive.apache.org redirects nowhere; a mirror might).
    '        if ! curl -fsSL --retry 5 --retry-delay 5 --proto-redir =https -o "$work/archive" "$url"; then',
    '            rm -rf "$work"',
    '            log "FAILED: could not download $name $version from $url"',
    "            return 1",
    "        fi",
    "        printf '%s  %s\\n' \"$sha512\" \"$work/archive\" > \"$work/archive.sha512\"",
    '        if ! sha512sum --check --strict --quiet "$work/archive.sha512" > /dev/null 2>&1; then',
    '            actual=$(sha512sum < "$work/archive")',
    '            rm -rf "$work"',
    '            log "FAILED: $name $version from $url has SHA-512 ${actual%% *}, not the pinned $sha512; nothing was unpacked"',
    "            return 1",
    "        fi",
    '        mkdir "$work/tree"',
    // Owned by root whatever the archive says: the service user must not rewrite its own code.
    '        if ! tar -xzf "$work/archive" -C "$work/tree" --strip-components=1 --no-same-owner; then',
    '            rm -rf "$work"',
    '            log "FAILED: $name $version from $url passed its checksum but does not unpack"',
    "            return 1",
    "        fi",
    "        printf '%s\\n' \"$sha512\" > \"$work/tree/.lct-release\"",
    '        rm -rf "$dest"',
    '        mv "$work/tree" "$dest"',
    '        rm -rf "$work"',
    "        changed=1",
    '        log "installed $name $version in $dest (SHA-512 verified)"',
    "    fi",
    '    if [ "$(readlink "$prefix/$name" || true)" != "$dest" ]; then',
    '        ln -sfn "$dest" "$prefix/$name"',
    "        changed=1",
    "    fi",
    "}",
];

/** The call installing one release (the checksum is hex: no quoting needed, and none wanted in logs). */
export function fetchReleaseCall(step: ReleaseStep): string {
    const r = step.release;
    if (!/^[0-9a-f]{128}$/.test(r.sha512)) throw new Error(`release ${r.software} ${r.version}: the SHA-512 must be 128 lower-case hex digits`);
    return `fetch_release ${shellWord(step.name)} ${shellWord(r.version)} ${shellWord(r.url)} ${r.sha512} ${shellWord(step.prefix)}`;
}
