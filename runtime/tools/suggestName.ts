import { distance } from 'fastest-levenshtein';

/** "Did you mean": the closest known name within a third of the name's length in edit distance (TypeScript's rule). */
export function suggestName(name: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(name.length / 3));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d <= limit && (!best || d < best.distance)) best = { candidate, distance: d };
  }
  return best?.candidate;
}

