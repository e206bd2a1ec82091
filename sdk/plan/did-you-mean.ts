/**
 * Edit distance with adjacent transpositions (optimal string alignment): "wbe" is one typo
 * away from "web", as a reader would count it.
 */
export function editDistance(a: string, b: string): number {
    let prev2: number[] = [];
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        for (let j = 1; j <= b.length; j++) {
            let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
            cur.push(d);
        }
        prev2 = prev;
        prev = cur;
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
        // Allow roughly one typo per three characters, and prefixes ("nodeGroup" → "nodeGroups").
        const limit = Math.max(1, Math.floor(Math.max(w.length, cl.length) / 3));
        const prefix = cl.startsWith(w) || w.startsWith(cl);
        // The distance is at least the difference in length: skip hopeless (and huge) words unmeasured.
        if (!prefix && Math.abs(w.length - cl.length) > limit) continue;
        const score = cl === w ? 0 : prefix ? 1 : editDistance(w, cl);
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
    // Suggesting the word itself ("clients" when clients are not configured) helps nobody.
    return hit === undefined || hit === word ? "" : ` (did you mean "${hit}"?)`;
}
