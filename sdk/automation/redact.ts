/**
 * Defence in depth for text LCT passes on from `pulumi` (its progress output, error messages):
 * any secret LCT knows of — the Linode token, the passphrase, a Pulumi access token, a value it
 * is storing — is replaced by "[secret]" before it reaches a terminal or a log. Pulumi masks
 * secrets itself; this covers what it cannot know (a provider echoing a request, a typo'd flag).
 */
export type Redactor = (text: string) => string;

/** Secret values from the environment of a `pulumi` run. */
export const SECRET_ENV_NAMES = ["LINODE_TOKEN", "LINODE_CLI_TOKEN", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_ACCESS_TOKEN"] as const;

export function secretsFromEnv(env: NodeJS.ProcessEnv): string[] {
    return SECRET_ENV_NAMES.map((n) => env[n]).filter((v): v is string => typeof v === "string");
}

/**
 * A redactor for these values. Very short values (under 6 characters) are not replaced: they
 * would mangle ordinary text and protect nothing. Multi-line values (keys) are also replaced
 * line by line, so a partial echo is caught too.
 */
export function redactor(secrets: readonly string[]): Redactor {
    const pieces = new Set<string>();
    for (const s of secrets) {
        const t = s.trim();
        if (t.length >= 6) pieces.add(t);
        if (t.includes("\n")) for (const line of t.split(/\r?\n/)) if (line.trim().length >= 16 && !/^-----(BEGIN|END) /.test(line.trim())) pieces.add(line.trim());
    }
    // Longest first, so that a value containing another is replaced whole.
    const list = [...pieces].sort((a, b) => b.length - a.length);
    if (list.length === 0) return (text) => text;
    return (text) => {
        let out = text;
        for (const p of list) if (out.includes(p)) out = out.split(p).join("[secret]");
        return out;
    };
}

/** Strips ANSI colour and cursor sequences (pulumi may colour its output). */
export function stripAnsi(text: string): string {
    return text.replace(/\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g, "");
}

/** Re-assembles streamed chunks into whole lines (a chunk may end mid-line), redacted. */
export class LineBuffer {
    private pending = "";
    constructor(
        private readonly emit: (line: string) => void,
        private readonly redact: Redactor,
    ) {}

    write(chunk: string): void {
        this.pending += chunk;
        const lines = this.pending.split(/\r?\n/);
        this.pending = lines.pop() ?? "";
        for (const l of lines) this.emit(this.redact(stripAnsi(l)));
    }

    flush(): void {
        if (this.pending !== "") this.emit(this.redact(stripAnsi(this.pending)));
        this.pending = "";
    }
}
