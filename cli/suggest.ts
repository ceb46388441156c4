// "Did you mean …?": the candidates within a small edit distance of a mistyped word.

/** Levenshtein distance between two words. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/** The candidates nearest to `word`: those at the smallest distance up to 2 (a prefix of 3+ letters counts as 0). */
export function suggestions(word: string, candidates: readonly string[]): string[] {
  const w = word.toLowerCase();
  const scored = candidates.map((c) => ({
    c,
    d: w.length >= 3 && c.startsWith(w) ? 0 : editDistance(w, c.toLowerCase()),
  }));
  const best = Math.min(3, ...scored.map((x) => x.d));
  return best > 2 ? [] : scored.filter((x) => x.d === best).map((x) => x.c);
}
