/**
 * Misspelt ordinary words ("staus", "deel", "notfy") read as the routing vocabulary word they are one or two edits
 * from, so a typo does not hide what a question is about. Only words the routing examples, skill examples and
 * descriptions use are targets, and only for words they do not already contain; names and placeholders are never
 * touched (they are masked before). Same first letter, the usual typo budget (one edit from four letters, two from
 * eight), ties going to the word more documents use.
 */
import { distance } from 'fastest-levenshtein';

const PLACEHOLDER = /^zz[a-z]+$/u;
const MIN_LENGTH = 4;
const budget = (word: string): number => (word.length >= 8 ? 2 : word.length >= MIN_LENGTH ? 1 : 0);

export class Speller {
  /** Number of documents using each word. */
  private readonly counts = new Map<string, number>();
  private readonly byFirst = new Map<string, string[]>();
  private readonly cache = new Map<string, string>();

  constructor(documents: string[][]) {
    for (const terms of documents) for (const t of new Set(terms)) this.counts.set(t, (this.counts.get(t) ?? 0) + 1);
    for (const word of this.counts.keys()) {
      if (PLACEHOLDER.test(word)) continue;
      this.byFirst.set(word[0]!, [...(this.byFirst.get(word[0]!) ?? []), word]);
    }
  }

  correct(word: string): string {
    if (this.counts.has(word) || PLACEHOLDER.test(word) || /\d/u.test(word) || word.length < MIN_LENGTH) return word;
    const known = this.cache.get(word);
    if (known) return known;
    let best = word;
    let bestEdits = budget(word) + 1;
    for (const candidate of this.byFirst.get(word[0]!) ?? []) {
      if (Math.abs(candidate.length - word.length) >= bestEdits) continue;
      const edits = distance(word, candidate);
      if (edits < bestEdits || (edits === bestEdits && best !== word && this.counts.get(candidate)! > this.counts.get(best)!)) {
        if (edits <= budget(word)) {
          best = candidate;
          bestEdits = edits;
        }
      }
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(word, best);
    return best;
  }

  /** Every term corrected. */
  correctAll(terms: string[]): string[] {
    return terms.map((t) => this.correct(t));
  }
}
