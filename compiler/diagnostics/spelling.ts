/**
 * "Did you mean": the closest candidate within a bounded edit distance, after the TypeScript compiler's
 * getSpellingSuggestion — at most a third of the name's length may differ (min 1, max 3 edits), and a candidate
 * that differs only in case wins outright.
 */
export function spellingSuggestion(name: string, candidates: Iterable<string>): string | undefined {
  const maxDistance = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    if (candidate.toLowerCase() === name.toLowerCase()) return candidate;
    if (Math.abs(candidate.length - name.length) > maxDistance) continue;
    // A limit one past the best so far keeps ties exact (an early exit returns the limit itself).
    const distance = editDistance(name, candidate, bestDistance + 1);
    const better = distance < bestDistance || (distance === bestDistance && best !== undefined && candidate < best);
    if (better && distance <= maxDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

/** Levenshtein distance, giving up (returning `limit`) once every cell of a row reaches it. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin >= limit) return limit;
    previous = current;
  }
  return previous[b.length]!;
}
