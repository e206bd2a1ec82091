/** Edit distance (Levenshtein), for did-you-mean suggestions. */
export function editDistance(a: string, b: string): number {
    const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let diag = prev[0]!;
        prev[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const up = prev[j]!;
            prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
            diag = up;
        }
    }
    return prev[b.length]!;
}

/** The closest candidate within a sensible distance, or undefined. Case-insensitive. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
    const w = word.toLowerCase();
    let best: string | undefined;
    let bestScore = Infinity;
    for (const c of candidates) {
        const cl = c.toLowerCase();
        const d = cl === w ? 0 : editDistance(w, cl);
        // Allow roughly one typo per three characters, and prefixes ("nodeGroup" → "nodeGroups").
        const limit = Math.max(1, Math.floor(Math.max(w.length, cl.length) / 3));
        const score = cl.startsWith(w) || w.startsWith(cl) ? Math.min(d, 1) : d;
        if (score <= limit && score < bestScore) {
            best = c;
            bestScore = score;
        }
    }
    return best;
}

/** " (did you mean \"x\"?)" or "". */
export function didYouMean(word: string, candidates: Iterable<string>): string {
    const hit = closest(word, candidates);
    return hit === undefined ? "" : ` (did you mean "${hit}"?)`;
}
