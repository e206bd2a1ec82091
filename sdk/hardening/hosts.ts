/**
 * The cluster's part of /etc/hosts: one block between markers, rewritten as a whole at first
 * boot and by member sync, so lines outside it (the image's own) are never touched.
 */
export const HOSTS_BEGIN = "# BEGIN LCT cluster hosts (managed by LCT: edits inside this block are overwritten)";
export const HOSTS_END = "# END LCT cluster hosts";

export interface HostEntry {
    address: string;
    names: string[];
}

/** The node itself: Debian's 127.0.1.1 convention, so its own name resolves without DNS. */
export function selfEntry(hostname: string, fqdn: string | undefined): HostEntry {
    return { address: "127.0.1.1", names: fqdn ? [fqdn, hostname] : [hostname] };
}

export function renderHostsLines(entries: readonly HostEntry[]): string {
    return entries.map((e) => `${e.address} ${e.names.join(" ")}\n`).join("");
}

/**
 * Shell function shared by the first-boot helper and member sync: replaces the LCT block of
 * /etc/hosts with the file given, atomically, and only when it differs.
 */
export const HOSTS_SPLICE_FUNCTION = `lct_hosts_splice() {
    local block="$1" hosts="\${2:-/etc/hosts}" tmp
    tmp=$(mktemp "\${hosts}.lct.XXXXXX")
    if [ -f "$hosts" ]; then
        awk -v b='${HOSTS_BEGIN}' -v e='${HOSTS_END}' '$0 == b { skip = 1; next } $0 == e { skip = 0; next } !skip' "$hosts" > "$tmp"
    fi
    { printf '%s\\n' '${HOSTS_BEGIN}'; cat "$block"; printf '%s\\n' '${HOSTS_END}'; } >> "$tmp"
    if [ -f "$hosts" ] && cmp -s "$tmp" "$hosts"; then
        rm -f "$tmp"
    else
        chmod 0644 "$tmp"
        mv -f "$tmp" "$hosts"
    fi
}`;
