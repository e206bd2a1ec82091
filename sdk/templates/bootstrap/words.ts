/** A word for the shell: bare when safe, else single-quoted. */
export function shellWord(s: string): string {
    return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}
