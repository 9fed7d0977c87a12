/**
 * What the offline engine reads from a question before routing: the entity names it mentions, its date phrases and
 * numbers, the capitalised words that look like names but match nothing in the warehouse, and a masked form in
 * which each of those is replaced by a placeholder word, so "status of the IXIS deal" and "status of the Acme deal"
 * look alike to the nearest-example search.
 */
import type { DateSpan } from './dates.ts';
import { findDatePhrases } from './dates.ts';
import type { EntityIndex, Mention } from './entities.ts';
import { STOPWORDS, stem, tokenize } from './text.ts';

export interface NumberSpan {
  value: number;
  /** Written as an amount ("$100k", "over 2M"), as opposed to a count ("top 5"). */
  money: boolean;
  from: number;
  to: number;
}

export interface Question {
  text: string;
  mentions: Mention[];
  dates: DateSpan[];
  numbers: NumberSpan[];
  /** Capitalised words that look like names and match no warehouse value ("Zorblax"). */
  unknownNames: string[];
  /** Stemmed content words of the masked question: what similarity search compares. */
  terms: string[];
}

export interface QuestionContext {
  entities?: EntityIndex;
  now: Date;
  fiscalStart: number;
  /** Every word the specs use (lower case): a capitalised spec word is not an unknown name. */
  specWords: ReadonlySet<string>;
}

const NUMBER = /(\$)?\b(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(k|m|mm|b|thousand|million|billion)?\b/giu;
const SCALE: Record<string, number> = { k: 1e3, thousand: 1e3, m: 1e6, mm: 1e6, million: 1e6, b: 1e9, billion: 1e9 };

function findNumbers(text: string): NumberSpan[] {
  const out: NumberSpan[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const scale = m[3] ? SCALE[m[3].toLowerCase()]! : 1;
    const value = Number(m[2]!.replace(/,/gu, '')) * scale;
    out.push({ value, money: Boolean(m[1] || m[3]) || value >= 1000, from: m.index!, to: m.index! + m[0].length });
  }
  return out;
}

/** Replaces each span by its placeholder, right to left so earlier offsets stay valid. */
const mask = (text: string, spans: Array<{ from: number; to: number; word: string }>): string =>
  [...spans].sort((a, b) => b.from - a.from).reduce((out, s) => `${out.slice(0, s.from)} ${s.word} ${out.slice(s.to)}`, text);

/** Placeholder words: plain letters so the tokenizer keeps them whole. */
const entityWord = (source: string): string => `zzent${source.split('.')[0]!.replace(/[^a-z0-9]/giu, '')}`;

export function termsOf(text: string): string[] {
  return tokenize(text).map((t) => t.norm).filter((w) => !STOPWORDS.has(w)).map(stem);
}

export function analyseQuestion(text: string, ctx: QuestionContext): Question {
  const dates = findDatePhrases(text, ctx.now, ctx.fiscalStart);
  const overlapsDate = (from: number, to: number): boolean => dates.some((d) => from < d.to && to > d.from);
  const mentions = (ctx.entities?.find(text) ?? []).filter((m) => !overlapsDate(m.from, m.to));
  const taken = [...dates, ...mentions];
  const isTaken = (from: number, to: number): boolean => taken.some((s) => from < s.to && to > s.from);
  const numbers = findNumbers(text).filter((n) => !isTaken(n.from, n.to));
  const tokens = tokenize(text);
  const unknown = tokens.filter((t, i) => i > 0 && /^\p{Lu}/u.test(t.raw) && /\p{Ll}/u.test(t.raw) && !STOPWORDS.has(t.norm) &&
    !ctx.specWords.has(t.norm) && !isTaken(t.start, t.end));
  // Entities found in several columns at one place ("IXIS" is an account and part of a deal name) give one
  // placeholder per column, so examples and questions mask the same way.
  const bySpan = new Map<string, { from: number; to: number; words: Set<string> }>();
  for (const m of mentions) {
    const key = `${m.from}:${m.to}`;
    const entry = bySpan.get(key) ?? { from: m.from, to: m.to, words: new Set(['zzname']) };
    entry.words.add(entityWord(m.source));
    bySpan.set(key, entry);
  }
  const spans = [
    ...dropNested([...bySpan.values()]).map((s) => ({ ...s, word: [...s.words].join(' ') })),
    ...dates.map((d) => ({ from: d.from, to: d.to, word: 'zzdate' })),
    ...numbers.map((n) => ({ from: n.from, to: n.to, word: 'zznum' })),
    ...unknown.map((t) => ({ from: t.start, to: t.end, word: 'zzname' })),
  ];
  return { text, mentions, dates, numbers, unknownNames: unknown.map((t) => t.raw), terms: termsOf(mask(text, spans)) };
}

/** Overlapping entity spans from different columns: keep the outermost, so masking never cuts a word in two. */
function dropNested<T extends { from: number; to: number }>(spans: T[]): T[] {
  return spans.filter((s) => !spans.some((o) => o !== s && o.from <= s.from && o.to >= s.to && (o.to - o.from) > (s.to - s.from)))
    .filter((s, i, all) => !all.slice(0, i).some((o) => s.from < o.to && s.to > o.from));
}
