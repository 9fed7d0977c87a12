/**
 * Known entity names: the distinct warehouse values that tool parameters point at (`resolve: {values:
 * table.column}` and the other columns the tool's SQL compares the same placeholder with, nameColumns.ts), indexed
 * by word so a question can be searched for them ("IXIS" -> "IXIS-Snowflake Cost Replacement"). The index is built
 * once per engine over the names read from the warehouse (readEntityNames.ts) and packed (packedNames.ts), from
 * the cache beside the warehouse when it has not changed (nameCache.ts); for columns of one table it knows which
 * values share a row, so which names belong to one record (is there a "Warehouse Modernisation" deal at Kestrel
 * Energy?).
 *
 * How sure a match is (`confidence`, compiler/SPEC_FORMAT.md "Names in questions"): every typed word exactly as in
 * the value 0.9 (the whole value exactly 1.0), a typed word that starts a value word ("Micro" -> Microsoft) 0.8, one
 * typo 0.75, two typos 0.5. A word is compared with value words of the same first letter only. Names bind at
 * `BIND_MIN` and above.
 */
import { distance } from 'fastest-levenshtein';
import { type IntLists, invertLists, listAt, listCount, packNames, type PackedNames, type PackedTable, stringAt } from './packedNames.ts';
import { isReserved, SEGMENT_WORDS, SLANG, STOPWORDS, type Token, tokenize, typoBudget } from './text.ts';

/** What the values of a name column are, in the user's words: a deal, a person, an account, else a record. */
const KINDS: Array<[RegExp, string]> = [[/\.opportunity_name$/u, 'deal'], [/\.full_name$/u, 'person'], [/(?:^accounts\.name$|\.account_name$)/u, 'account']];
export const nameKind = (source: string): string => KINDS.find(([re]) => re.test(source))?.[1] ?? source.split('.')[0]!.replace(/[^a-z0-9]/giu, '');

/** Confidence at which a name binds to a parameter; below it the answer says no such record was found. */
export const BIND_MIN = 0.6;

const SCORE = { whole: 1, words: 0.9, prefix: 0.8, typo: [1, 0.75, 0.5] } as const;
/** Confidence of a match holding every typed word as typed. */
export const WORDS_MATCH = SCORE.words;
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

/** A value word (its id in `PackedNames.words`) a typed word may stand for, with how sure that is. */
interface Alternative {
  word: number;
  score: number;
}

/** One name column over packed names: value id -> id of its string. */
export interface NameColumn {
  names: PackedNames;
  values: Int32Array;
}

/** A column of plain values, packed on its own. */
const packedColumn = (values: readonly string[]): NameColumn => {
  const names = packNames({ tables: [{ table: '', columns: [''], values: [[...values]], partners: {} }], valueColumns: {} });
  return { names, values: names.tables[0]!.values[0]! };
};

/** Word id -> ids of the column's values holding that word, ascending (a counting sort over typed arrays). */
function postingsOf({ names, values }: NameColumn): IntLists {
  const { offsets: at, items: wordIds } = names.wordsOf;
  const words = listCount(names.words);
  const offsets = new Int32Array(words + 1);
  for (let v = 0; v < values.length; v++) for (let k = at[values[v]!]!; k < at[values[v]! + 1]!; k++) offsets[wordIds[k]! + 1]!++;
  for (let w = 0; w < words; w++) offsets[w + 1]! += offsets[w]!;
  const next = offsets.slice(0, words);
  const items = new Int32Array(offsets[words]!);
  for (let v = 0; v < values.length; v++) for (let k = at[values[v]!]!; k < at[values[v]! + 1]!; k++) items[next[wordIds[k]!]!++] = v;
  return { offsets, items };
}

export class ValueIndex {
  private readonly names: PackedNames;
  /** Value id -> string id. */
  private readonly values: Int32Array;
  /** Word id -> value ids holding it; a word none of this column's values holds has an empty list. */
  private readonly postings: IntLists;
  /** First letter + length -> value words, the candidates for a typo (built on the first typo looked for). */
  private byLength?: Map<string, number[]>;
  private readonly alternativesOf = new Map<string, Alternative[]>();
  /** A word in more values than this is too common to identify a name on its own ("Expansion", "Inc"). */
  private readonly commonLimit: number;

  constructor(
    readonly source: string,
    /** The column's values: packed with the other columns' (entity names), or a plain list packed here. */
    column: NameColumn | readonly string[],
    /** Words the specs use in lower case ("deal", "risk"): never the anchor of a name. */
    private readonly genericWords: ReadonlySet<string>,
  ) {
    const packed = 'names' in column ? column : packedColumn(column);
    this.names = packed.names;
    this.values = packed.values;
    this.postings = postingsOf(packed);
    this.commonLimit = Math.max(50, Math.floor(this.values.length * 0.02));
  }

  get size(): number {
    return this.values.length;
  }

  value(id: number): string {
    return stringAt(this.names.strings, this.values[id]!);
  }

  private word(id: number): string {
    return stringAt(this.names.words, id);
  }

  /** How many of this column's values hold word `id`. */
  private count(id: number): number {
    return this.postings.offsets[id + 1]! - this.postings.offsets[id]!;
  }

  /** The first word id not sorted before `word`. */
  private lowerBound(word: string): number {
    let lo = 0;
    let hi = listCount(this.names.words);
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.word(mid) < word) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The id of `word` when a value of this column holds it, else -1. */
  private known(word: string): number {
    const id = this.lowerBound(word);
    return id < listCount(this.names.words) && this.count(id) > 0 && this.word(id) === word ? id : -1;
  }

  /** Value words that start with `word` (at most a few dozen: a prefix that common identifies nothing). */
  private prefixed(word: string): number[] {
    const out: number[] = [];
    for (let id = this.lowerBound(word); id < listCount(this.names.words) && out.length < 40 && this.word(id).startsWith(word); id++) {
      if (this.count(id) > 0 && this.word(id) !== word) out.push(id);
    }
    return out;
  }

  /**
   * Value words by first letter and length, in the order the column's values first hold them (as a scan of the
   * values would meet them): by the first value holding each word (its postings are ascending), then by the word's
   * place in that value.
   */
  private similar(key: string): number[] {
    if (!this.byLength) {
      this.byLength = new Map();
      const held: Array<{ id: number; value: number; place: number }> = [];
      for (let id = 0; id < listCount(this.names.words); id++) {
        if (this.count(id) === 0) continue;
        const value = this.postings.items[this.postings.offsets[id]!]!;
        held.push({ id, value, place: listAt(this.names.wordsOf, this.values[value]!).indexOf(id) });
      }
      for (const { id } of held.sort((a, b) => a.value - b.value || a.place - b.place)) {
        const w = this.word(id);
        const group = this.byLength.get(`${w[0]}${w.length}`);
        if (group) group.push(id);
        else this.byLength.set(`${w[0]}${w.length}`, [id]);
      }
    }
    return this.byLength.get(key) ?? [];
  }

  /** Whether value `id` holds word `word`. */
  private holds(id: number, word: number): boolean {
    const { offsets: at, items } = this.names.wordsOf;
    const s = this.values[id]!;
    for (let k = at[s]!; k < at[s + 1]!; k++) if (items[k] === word) return true;
    return false;
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
      const self = this.known(word);
      if (self >= 0) out.push({ word: self, score: 1 });
      const ordinary = (w: string): boolean => STOPWORDS.has(w) || this.genericWords.has(w) || w in SLANG || /^\d+$/u.test(w);
      // Only a name word can stand in for another: "pipe" is not short for the "Pipeline" in a deal name.
      if (!ordinary(word) && self < 0) {
        if (word.length >= PREFIX_MIN) for (const id of this.prefixed(word)) if (!ordinary(this.word(id))) out.push({ word: id, score: SCORE.prefix });
        const budget = typoBudget(word);
        for (let len = word.length - budget; len <= word.length + budget && budget > 0; len++) {
          for (const id of this.similar(`${word[0]}${len}`)) {
            const candidate = this.word(id);
            const edits = distance(word, candidate);
            if (edits <= budget && !candidate.startsWith(word) && !ordinary(candidate)) out.push({ word: id, score: SCORE.typo[edits]! });
          }
        }
      }
    }
    if (this.alternativesOf.size >= TYPO_CACHE) this.alternativesOf.clear();
    this.alternativesOf.set(word, out);
    return out;
  }

  private distinctive(word: string, alts: Alternative[]): boolean {
    if (STOPWORDS.has(word) || this.genericWords.has(word) || SEGMENT_WORDS.has(word) || /^\d+$/u.test(word)) return false;
    return alts.some((a) => this.count(a.word) <= this.commonLimit);
  }

  /** Values holding a word of every position of the span, with the score of the weakest position. */
  private matches(span: Array<{ alts: Alternative[] }>): Array<{ id: number; score: number }> {
    // Start from the rarest word's values and check the others word by word: common words ("Cost") can have
    // hundreds of thousands of values at scale, so their lists are never copied.
    const size = (s: { alts: Alternative[] }): number => s.alts.reduce((n, a) => n + this.count(a.word), 0);
    const rarest = span.reduce((a, b) => (size(b) < size(a) ? b : a));
    const smallest = new Set<number>();
    const { offsets: at, items } = this.postings;
    for (const a of rarest.alts) for (let k = at[a.word]!; k < at[a.word + 1]!; k++) smallest.add(items[k]!);
    const out: Array<{ id: number; score: number }> = [];
    for (const id of smallest) {
      let score = 1;
      for (const s of span) {
        const best = s.alts.reduce((m, a) => (a.score > m && this.holds(id, a.word) ? a.score : m), 0);
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
      const value = this.value(id);
      const whole = score === 1 && tokenize(value).map((t) => t.norm).join(' ') === typedWords;
      return { id, value, score: whole ? SCORE.whole : score === 1 ? SCORE.words : score };
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
  partners(i: number, j: number): IntLists;
}

/** A table's partner lists as packed (`i:j`, i < j), each made the other way round the first time it is asked for. */
function partnersOf(table: PackedTable): TableNames['partners'] {
  const inverted = new Map<string, IntLists>();
  return (i, j) => {
    if (i < j) return table.partners[`${i}:${j}`]!;
    let lists = inverted.get(`${i}:${j}`);
    if (!lists) inverted.set(`${i}:${j}`, (lists = invertLists(table.partners[`${j}:${i}`]!, table.values[i]!.length)));
    return lists;
  };
}

/** The index the engine searches, over names read by `readEntityNames` and packed (from the warehouse or its cache). */
export function indexEntityNames(names: PackedNames, genericWords: ReadonlySet<string>): EntityIndex {
  const tables = new Map<string, TableNames>();
  for (const packed of names.tables) {
    const { table, columns, values } = packed;
    tables.set(table, {
      indexes: columns.map((column, i) => new ValueIndex(`${table}.${column}`, { names, values: values[i]! }, genericWords)),
      partners: partnersOf(packed),
    });
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
      const partners = la.names.partners(la.column, lb.column);
      const wanted = new Set(b.ids);
      const out: string[] = [];
      for (const id of a.ids) {
        if (id < listCount(partners) && listAt(partners, id).some((y) => wanted.has(y))) out.push(la.names.indexes[la.column]!.value(id));
        if (out.length >= MAX_CANDIDATES) break;
      }
      return out;
    },
  };
}
