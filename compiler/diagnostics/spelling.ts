/**
 * "Did you mean": the closest candidate within a bounded edit distance, after the TypeScript compiler's
 * getSpellingSuggestion — at most a third of the name's length may differ (min 1, max 3 edits), and a candidate
 * that differs only in case wins outright.
 */
import { distance as levenshtein } from 'fastest-levenshtein';

export function spellingSuggestion(name: string, candidates: Iterable<string>): string | undefined {
  const maxDistance = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    if (candidate.toLowerCase() === name.toLowerCase()) return candidate;
    if (Math.abs(candidate.length - name.length) > maxDistance) continue;
    const distance = levenshtein(name, candidate);
    const better = distance < bestDistance || (distance === bestDistance && best !== undefined && candidate < best);
    if (better && distance <= maxDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}
