/**
 * Known entity names: the distinct warehouse values that tool parameters point at (`resolve: {values:
 * table.column}` and the other columns the tool's SQL compares the same placeholder with, nameColumns.ts), indexed
 * by word so a question can be searched for them ("IXIS" -> "IXIS-Snowflake Cost Replacement"). The index is built
 * once per engine by running `SELECT DISTINCT column FROM table` on the warehouse given to the engine: the one
 * place the offline engine reads the warehouse other than through tools, because no tool returns a whole column and
 * the names must be known before any tool can be called. For columns of one table it also reads which values share a
 * row, so it knows which names belong to one record (is there a "Warehouse Modernisation" deal at Kestrel Energy?).
 *
 * How sure a match is (`confidence`, compiler/SPEC_FORMAT.md "Names in questions"): every typed word exactly as in
 * the value 0.9 (the whole value exactly 1.0), a typed word that starts a value word ("Micro" -> Microsoft) 0.8, one
 * typo 0.75, two typos 0.5. A word is compared with value words of the same first letter only. Names bind at
 * `BIND_MIN` and above.
 */
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { distance } from 'fastest-levenshtein';
import { isReserved, SLANG, STOPWORDS, type Token, tokenize, typoBudget } from './text.ts';

/** What the values of a name column are, in the user's words: a deal, a person, an account, else a record. */
const KINDS: Array<[RegExp, string]> = [[/\.opportunity_name$/u, 'deal'], [/\.full_name$/u, 'person'], [/(?:^accounts\.name$|\.account_name$)/u, 'account']];
export const nameKind = (source: string): string => KINDS.find(([re]) => re.test(source))?.[1] ?? source.split('.')[0]!.replace(/[^a-z0-9]/giu, '');

/** Confidence at which a name binds to a parameter; below it the answer says no such record was found. */
export const BIND_MIN = 0.6;

const SCORE = { whole: 1, words: 0.9, prefix: 0.8, typo: [1, 0.75, 0.5] } as const;
/** A typed word shorter than this never stands for a longer value word ("Ac" is not Acme). */
const PREFIX_MIN = 4;

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
  /** 0..1, of the best value (see the file comment). */
  confidence: number;
  /** The typed words are one whole value exactly ("DataCorp"), not part of several. */
  exact: boolean;
  /** Distinct values that match as well as the best one (at most 20): more than one, none exact, means "which one?". */
  close: string[];
  /** Ids of every matching value in its column (for record checks across columns). */
  ids: number[];
  /** Beside another name of the same record ("Kestrel Energy" + "BI Acceleration"), which narrowed it. */
  paired?: boolean;
}

const MAX_SPAN = 5;
const MAX_CANDIDATES = 20;
const TYPO_CACHE = 10_000;

/** A value word a typed word may stand for, with how sure that is. */
interface Alternative {
  word: string;
  score: number;
}

export class ValueIndex {
  private readonly postings = new Map<string, number[]>();
  /** First letter + length -> value words, the candidates for a typo. */
  private readonly byLength = new Map<string, string[]>();
  /** Every value word, sorted, for prefix look-ups. */
  private readonly sorted: string[];
  private readonly alternativesOf = new Map<string, Alternative[]>();
  /** Each value's words, computed once (a span is checked against many values). */
  private readonly wordsOf: Array<Set<string>>;
  /** A word in more values than this is too common to identify a name on its own ("Expansion", "Inc"). */
  private readonly commonLimit: number;

  constructor(
    readonly source: string,
    private readonly values: string[],
    /** Words the specs use in lower case ("deal", "risk"): never the anchor of a name. */
    private readonly genericWords: ReadonlySet<string>,
  ) {
    this.wordsOf = values.map((value, id) => {
      const words = new Set(tokenize(value).map((t) => t.norm));
      for (const word of words) {
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
      return words;
    });
    this.sorted = [...this.postings.keys()].sort();
    this.commonLimit = Math.max(50, Math.floor(values.length * 0.02));
  }

  get size(): number {
    return this.values.length;
  }

  value(id: number): string {
    return this.values[id]!;
  }

  /** Value words that start with `word` (at most a few dozen: a prefix that common identifies nothing). */
  private prefixed(word: string): string[] {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid]! < word) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < this.sorted.length && out.length < 40 && this.sorted[i]!.startsWith(word); i++) {
      if (this.sorted[i] !== word) out.push(this.sorted[i]!);
    }
    return out;
  }

  /**
   * The value words a typed word stands for: itself, longer words it starts, or close spellings when it is long
   * enough to have typos. Candidates must share the first letter (people rarely mistype it) so the scan stays small
   * at a million values; answers are remembered, as the same words come back in every question. Domain terms
   * ("MQL", "ARR") and ordinary spec words stand for nothing but themselves.
   */
  private alternatives(word: string): Alternative[] {
    const known = this.alternativesOf.get(word);
    if (known) return known;
    const out: Alternative[] = [];
    if (!isReserved(word)) {
      if (this.postings.has(word)) out.push({ word, score: 1 });
      const ordinary = (w: string): boolean => STOPWORDS.has(w) || this.genericWords.has(w) || w in SLANG || /^\d+$/u.test(w);
      // Only a name word can stand in for another: "pipe" is not short for the "Pipeline" in a deal name.
      if (!ordinary(word) && !this.postings.has(word)) {
        if (word.length >= PREFIX_MIN) for (const w of this.prefixed(word)) if (!ordinary(w)) out.push({ word: w, score: SCORE.prefix });
        const budget = typoBudget(word);
        for (let len = word.length - budget; len <= word.length + budget && budget > 0; len++) {
          for (const candidate of this.byLength.get(`${word[0]}${len}`) ?? []) {
            const edits = distance(word, candidate);
            if (edits <= budget && !candidate.startsWith(word) && !ordinary(candidate)) out.push({ word: candidate, score: SCORE.typo[edits]! });
          }
        }
      }
    }
    if (this.alternativesOf.size >= TYPO_CACHE) this.alternativesOf.clear();
    this.alternativesOf.set(word, out);
    return out;
  }

  private distinctive(word: string, alts: Alternative[]): boolean {
    if (STOPWORDS.has(word) || this.genericWords.has(word) || /^\d+$/u.test(word)) return false;
    return alts.some((a) => (this.postings.get(a.word)?.length ?? Infinity) <= this.commonLimit);
  }

  /** Values holding a word of every position of the span, with the score of the weakest position. */
  private matches(span: Array<{ alts: Alternative[] }>): Array<{ id: number; score: number }> {
    // Start from the rarest word's values and check the others word by word: common words ("Cost") can have
    // hundreds of thousands of values at scale, so their lists are never copied.
    const size = (s: { alts: Alternative[] }): number => s.alts.reduce((n, a) => n + (this.postings.get(a.word)?.length ?? 0), 0);
    const rarest = span.reduce((a, b) => (size(b) < size(a) ? b : a));
    const smallest = new Set(rarest.alts.flatMap((a) => this.postings.get(a.word) ?? []));
    const out: Array<{ id: number; score: number }> = [];
    for (const id of smallest) {
      const words = this.wordsOf[id]!;
      let score = 1;
      for (const s of span) {
        const best = s.alts.reduce((m, a) => (words.has(a.word) && a.score > m ? a.score : m), 0);
        score = Math.min(score, best);
        if (score === 0) break;
      }
      if (score > 0) out.push({ id, score });
    }
    return out;
  }

  /** Names from this column mentioned in `text`, longest span first at each position. */
  find(text: string, tokens: Token[] = tokenize(text)): Mention[] {
    const info = tokens.map((t) => {
      const alts = this.alternatives(t.norm);
      return { token: t, alts, distinctive: alts.length > 0 && this.distinctive(t.norm, alts) };
    });
    const mentions: Mention[] = [];
    for (let i = 0; i < info.length; ) {
      let found: Mention | undefined;
      for (let len = Math.min(MAX_SPAN, info.length - i); len >= 1 && !found; len--) {
        const span = info.slice(i, i + len);
        if (!span.some((s) => s.distinctive) || span.some((s) => s.alts.length === 0)) continue;
        if (STOPWORDS.has(span[0]!.token.norm) || STOPWORDS.has(span[len - 1]!.token.norm)) continue;
        const matched = this.matches(span);
        if (matched.length === 0) continue;
        found = this.mention(text, span.map((s) => s.token), matched);
        mentions.push(found);
        i += len;
      }
      if (!found) i++;
    }
    return mentions;
  }

  private mention(text: string, span: Token[], matched: Array<{ id: number; score: number }>): Mention {
    const from = span[0]!.start;
    const to = span[span.length - 1]!.end;
    const typed = text.slice(from, to);
    const typedWords = span.map((t) => t.norm).join(' ');
    const scored = matched.map(({ id, score }) => {
      const whole = score === 1 && tokenize(this.values[id]!).map((t) => t.norm).join(' ') === typedWords;
      return { id, value: this.values[id]!, score: whole ? SCORE.whole : score === 1 ? SCORE.words : score };
    }).sort((a, b) => b.score - a.score || a.value.length - b.value.length || a.value.localeCompare(b.value));
    const best = scored[0]!;
    const values = scored.slice(0, MAX_CANDIDATES).map((v) => v.value);
    const close = scored.filter((v) => v.score === best.score).slice(0, MAX_CANDIDATES).map((v) => v.value);
    const typedFound = best.score >= SCORE.words && values.every((v) => v.toLowerCase().includes(typed.toLowerCase()));
    return {
      source: this.source, from, to, typed, values, bind: typedFound ? typed : best.value,
      confidence: best.score, exact: best.score === SCORE.whole, close, ids: scored.map((v) => v.id),
    };
  }
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/u;

export interface EntityIndex {
  readonly sources: readonly string[];
  find(text: string): Mention[];
  /**
   * Values of `a` that share a record with a value of `b` (two columns of one table): "Kestrel Energy" and
   * "Warehouse Modernisation" share none when that account has no such deal. Empty for columns of different tables.
   */
  shared(a: Mention, b: Mention): string[];
}

/** The name columns of one table, with which values share a row. */
interface TableNames {
  indexes: ValueIndex[];
  /** `i:j` -> for each value id of column i, the ids of column j's values that share a row with it. */
  partners: Map<string, number[][]>;
}

/** A column's distinct values with ids DuckDB and this index agree on (their sort order). */
const idsOf = (table: string, column: string): string =>
  `SELECT v, CAST(row_number() OVER (ORDER BY v) - 1 AS INTEGER) AS id FROM (SELECT DISTINCT ${column} AS v FROM ${table} WHERE ${column} IS NOT NULL)`;

/**
 * Which values of two columns share a row, as value ids grouped by the column with fewer values (a few hundred deal
 * names, each with its accounts): a million rows come back as a few hundred id lists, not a million strings.
 */
async function loadPartners(warehouse: Warehouse, table: string, columns: [string, string], sizes: [number, number]): Promise<[number[][], number[][]]> {
  const [by, other] = sizes[0] <= sizes[1] ? [0, 1] : [1, 0];
  const result = await warehouse.query(`WITH a AS (${idsOf(table, columns[by]!)}), b AS (${idsOf(table, columns[other]!)})
    SELECT a.id AS x, array_to_string(list(DISTINCT b.id), ',') AS ys FROM ${table} t
    JOIN a ON t.${columns[by]} = a.v JOIN b ON t.${columns[other]} = b.v GROUP BY a.id`, { maxRows: 10_000_000 });
  const forward: number[][] = Array.from({ length: sizes[by]! }, () => []);
  const backward: number[][] = Array.from({ length: sizes[other]! }, () => []);
  for (const row of result.rows) {
    const x = Number(row.x);
    for (const y of String(row.ys).split(',').map(Number)) {
      forward[x]!.push(y);
      backward[y]!.push(x);
    }
  }
  return by === 0 ? [forward, backward] : [backward, forward];
}

/**
 * Loads the distinct values of every `table.column` in `sources` (identifiers checked: they are spliced into SQL),
 * and for columns of one table which values share a row.
 */
export async function loadEntityIndex(warehouse: Warehouse, sources: string[], genericWords: ReadonlySet<string>): Promise<EntityIndex> {
  const byTable = new Map<string, string[]>();
  for (const source of [...new Set(sources)].sort()) {
    if (!IDENTIFIER.test(source)) throw new Error(`offline engine: resolve.values '${source}' is not table.column`);
    const [table, column] = source.split('.') as [string, string];
    byTable.set(table, [...(byTable.get(table) ?? []), column]);
  }
  const tables = new Map<string, TableNames>();
  for (const [table, columns] of byTable) {
    const names: TableNames = { indexes: [], partners: new Map() };
    for (const column of columns) {
      const result = await warehouse.query(idsOf(table, column), { maxRows: 10_000_000 });
      const values: string[] = [];
      for (const row of result.rows) values[Number(row.id)] = String(row.v);
      names.indexes.push(new ValueIndex(`${table}.${column}`, values, genericWords));
    }
    for (let i = 0; i < columns.length; i++) for (let j = i + 1; j < columns.length; j++) {
      const [ij, ji] = await loadPartners(warehouse, table, [columns[i]!, columns[j]!], [names.indexes[i]!.size, names.indexes[j]!.size]);
      names.partners.set(`${i}:${j}`, ij);
      names.partners.set(`${j}:${i}`, ji);
    }
    tables.set(table, names);
  }
  const all = [...tables.values()].flatMap((t) => t.indexes);
  const locate = (m: Mention): { names: TableNames; column: number } | undefined => {
    for (const names of tables.values()) {
      const column = names.indexes.findIndex((i) => i.source === m.source);
      if (column >= 0) return { names, column };
    }
    return undefined;
  };
  return {
    sources: all.map((i) => i.source),
    find: (text) => {
      const tokens = tokenize(text);
      return all.flatMap((i) => i.find(text, tokens));
    },
    shared: (a, b) => {
      const la = locate(a);
      const lb = locate(b);
      if (!la || !lb || la.names !== lb.names || la.column === lb.column) return [];
      const partners = la.names.partners.get(`${la.column}:${lb.column}`)!;
      const wanted = new Set(b.ids);
      const out: string[] = [];
      for (const id of a.ids) {
        if ((partners[id] ?? []).some((y) => wanted.has(y))) out.push(la.names.indexes[la.column]!.value(id));
        if (out.length >= MAX_CANDIDATES) break;
      }
      return out;
    },
  };
}
