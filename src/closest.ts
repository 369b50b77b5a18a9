// The known name a misspelt one most likely meant: the field checks (issues.ts) and the query checks
// (validation.ts) both suggest with it. A module of its own, so the query checks load no field checks.

/**
 * The known name a misspelt one most likely meant: the same name but for case and separators
 * (`firstname` → `first_name`), else the nearest by edit distance, if near enough to be a typo.
 */
export function closest(name: string, known: string[]): string | undefined {
  // No field name is this long: a long one is no typo of any (and the search would cost its length squared).
  if (name.length > 64) return undefined;
  const plain = (s: string) => s.toLowerCase().replace(/[-_\s]/g, "");
  const wanted = plain(name);
  const same = known.find((k) => plain(k) === wanted);
  if (same) return same;
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(wanted.length / 3)) + 1;
  for (const candidate of known) {
    const d = distance(wanted, plain(candidate));
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** Edit distance with adjacent transpositions (optimal string alignment): `emial` is one edit from `email`. */
function distance(a: string, b: string): number {
  let before: number[] = [];
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        next[j] = Math.min(next[j]!, before[j - 2]! + 1);
    }
    [before, row] = [row, next];
  }
  return row[b.length]!;
}
