/**
 * Known entity names: the distinct warehouse values that tool parameters point at (`resolve: {values:
 * table.column}`), indexed by word so a question can be searched for them ("IXIS" -> "IXIS-Snowflake Cost
 * Replacement"). The index is built once per engine by running `SELECT DISTINCT column FROM table` on the
 * warehouse given to the engine: the one place the offline engine reads the warehouse other than through tools,
 * because no tool returns a whole column and the names must be known before any tool can be called.
 */
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { distance } from 'fastest-levenshtein';
import { STOPWORDS, type Token, tokenize, typoBudget } from './text.ts';

export interface Mention {
  /** `table.column` the name was found in. */
  source: string;
  from: number;
  to: number;
  /** The words as the user typed them. */
  typed: string;
  /** Matching values, best first (at most 20). */
  values: string[];
  /** What a parameter gets: the typed words when every match contains them (the SQL's ILIKE finds them), else the best value. */
  bind: string;
}

const MAX_SPAN = 5;
const MAX_CANDIDATES = 20;
const TYPO_CACHE = 10_000;

export class ValueIndex {
  private readonly postings = new Map<string, number[]>();
  /** First letter + length -> value words, the candidates for a typo. */
  private readonly byLength = new Map<string, string[]>();
  private readonly typos = new Map<string, string[]>();
  /** A word in more values than this is too common to identify a name on its own ("Expansion", "Inc"). */
  private readonly commonLimit: number;

  constructor(
    readonly source: string,
    private readonly values: string[],
    /** Words the specs use in lower case ("deal", "risk"): never the anchor of a name. */
    private readonly genericWords: ReadonlySet<string>,
  ) {
    values.forEach((value, id) => {
      for (const word of new Set(tokenize(value).map((t) => t.norm))) {
        let list = this.postings.get(word);
        if (!list) {
          list = [];
          this.postings.set(word, list);
          const key = `${word[0]}${word.length}`;
          const similar = this.byLength.get(key) ?? [];
          similar.push(word);
          this.byLength.set(key, similar);
        }
        list.push(id);
      }
    });
    this.commonLimit = Math.max(50, Math.floor(values.length * 0.02));
  }

  get size(): number {
    return this.values.length;
  }

  /**
   * The value words a typed word stands for: itself, or close spellings when it is long enough to have typos.
   * Candidates must share the first letter (people rarely mistype it) so the scan stays small at a million values;
   * answers are remembered, as the same words come back in every question.
   */
  private alternatives(word: string): string[] {
    if (this.postings.has(word)) return [word];
    const known = this.typos.get(word);
    if (known) return known;
    const budget = STOPWORDS.has(word) || this.genericWords.has(word) ? 0 : typoBudget(word);
    const out: string[] = [];
    for (let len = word.length - budget; len <= word.length + budget && budget > 0; len++) {
      for (const candidate of this.byLength.get(`${word[0]}${len}`) ?? []) {
        if (distance(word, candidate) <= budget) out.push(candidate);
      }
    }
    if (this.typos.size >= TYPO_CACHE) this.typos.clear();
    this.typos.set(word, out);
    return out;
  }

  private distinctive(word: string, alts: string[]): boolean {
    if (STOPWORDS.has(word) || this.genericWords.has(word) || /^\d+$/u.test(word)) return false;
    return alts.some((a) => (this.postings.get(a)?.length ?? Infinity) <= this.commonLimit);
  }

  private matches(span: Array<{ alts: string[] }>): number[] {
    // Start from the rarest word's values and check the others word by word: common words ("Cost") can have
    // hundreds of thousands of values at scale, so their lists are never copied.
    const size = (s: { alts: string[] }): number => s.alts.reduce((n, a) => n + (this.postings.get(a)?.length ?? 0), 0);
    const rarest = span.reduce((a, b) => (size(b) < size(a) ? b : a));
    const smallest = rarest.alts.flatMap((a) => this.postings.get(a) ?? []);
    const others = span.map((s) => new Set(s.alts));
    return [...new Set(smallest)].filter((id) => {
      const words = new Set(tokenize(this.values[id]!).map((t) => t.norm));
      return others.every((alts) => [...alts].some((a) => words.has(a)));
    });
  }

  /** Names from this column mentioned in `text`, longest span first at each position. */
  find(text: string, tokens: Token[] = tokenize(text)): Mention[] {
    const info = tokens.map((t) => {
      const alts = this.alternatives(t.norm);
      return { token: t, alts, distinctive: alts.length > 0 && this.distinctive(t.norm, alts), exact: alts[0] === t.norm };
    });
    const mentions: Mention[] = [];
    for (let i = 0; i < info.length; ) {
      let found: Mention | undefined;
      for (let len = Math.min(MAX_SPAN, info.length - i); len >= 1 && !found; len--) {
        const span = info.slice(i, i + len);
        if (!span.some((s) => s.distinctive) || span.some((s) => s.alts.length === 0)) continue;
        if (STOPWORDS.has(span[0]!.token.norm) || STOPWORDS.has(span[len - 1]!.token.norm)) continue;
        const ids = this.matches(span);
        if (ids.length === 0) continue;
        const values = ids.map((id) => this.values[id]!).sort((a, b) => a.length - b.length || a.localeCompare(b)).slice(0, MAX_CANDIDATES);
        const from = span[0]!.token.start;
        const to = span[len - 1]!.token.end;
        const typed = text.slice(from, to);
        const typedFound = span.every((s) => s.exact) && values.every((v) => v.toLowerCase().includes(typed.toLowerCase()));
        found = { source: this.source, from, to, typed, values, bind: typedFound ? typed : values[0]! };
        mentions.push(found);
        i += len;
      }
      if (!found) i++;
    }
    return mentions;
  }
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/u;

export interface EntityIndex {
  readonly sources: readonly string[];
  find(text: string): Mention[];
}

/** Loads the distinct values of every `table.column` in `sources` (identifiers checked: they are spliced into SQL). */
export async function loadEntityIndex(warehouse: Warehouse, sources: string[], genericWords: ReadonlySet<string>): Promise<EntityIndex> {
  const indexes: ValueIndex[] = [];
  for (const source of [...new Set(sources)].sort()) {
    if (!IDENTIFIER.test(source)) throw new Error(`offline engine: resolve.values '${source}' is not table.column`);
    const [table, column] = source.split('.');
    const result = await warehouse.query(`SELECT DISTINCT ${column} AS v FROM ${table} WHERE ${column} IS NOT NULL`, { maxRows: 10_000_000 });
    indexes.push(new ValueIndex(source, result.rows.map((r) => String(r.v)), genericWords));
  }
  return {
    sources: indexes.map((i) => i.source),
    find: (text) => {
      const tokens = tokenize(text);
      return indexes.flatMap((i) => i.find(text, tokens));
    },
  };
}
