/**
 * What the offline engine reads from a question before routing: the entity names it mentions, its date phrases and
 * numbers, the capitalised words that look like names but match nothing in the warehouse, and a masked form in
 * which each of those is replaced by a placeholder word, so "status of the IXIS deal" and "status of the Acme deal"
 * look alike to the nearest-example search.
 */
import type { DateSpan } from './dates.ts';
import { findDatePhrases } from './dates.ts';
import { type EntityIndex, type Mention, nameKind, WORDS_MATCH } from './entities.ts';
import { isReserved, PHRASES, SLANG, STOPWORDS, stem, SYNONYMS, type Token, tokenize } from './text.ts';

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
  /** Capitalised words that look like names and match no warehouse value ("Zorblax"), and names the data does not hold. */
  unknownNames: string[];
  /** Names whose words match values but no one record ("Wayne Enterprises"), with the columns their words were found in. */
  missing: Array<{ typed: string; sources: string[] }>;
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
  [...spans].sort((a, b) => b.from - a.from).reduce((out, s) => `${out.slice(0, s.from)} ${s.word} ${out.slice(s.to).replace(POSSESSIVE, '')}`, text);
/** A possessive after a masked name ("Sarah Johnson's"), which would otherwise leave a stray "s" term. */
const POSSESSIVE = /^['’]s\b/u;

/**
 * Placeholder words, one per kind of name (a deal, a person, an account, wherever the column lives), in plain
 * letters so the tokenizer keeps them whole: "DataCorp" is an account whether found in accounts.name or in
 * contacts.account_name, so questions and examples mask alike whatever columns the tools point at.
 */
const entityWord = (source: string): string => `zzent${nameKind(source)}`;

export function termsOf(text: string): string[] {
  const words = tokenize(text).map((t) => SLANG[t.norm] ?? t.norm);
  const joined = words.flatMap((w, i) => (PHRASES[`${words[i - 1]} ${w}`] ? [] : [PHRASES[`${w} ${words[i + 1]}`] ?? w]));
  return joined.map((w) => SYNONYMS[w] ?? w).filter((w) => !STOPWORDS.has(w)).map(stem);
}

/** Text between two tokens that keeps them in one name ("IXIS-Snowflake", "O'Neil & Co"). */
const JOINS_NAME = /^[\s\-–'’&.]*$/u;
/** Text between two mentions that keeps them one name: spaces, hyphens, a possessive; a comma, "at" or "from" does not. */
const SAME_NAME = /^[\s\-–:'’]*$/u;

/** "the Warehouse Modernisation deal at Kestrel Energy": a record's name and its account's, named apart. */
const AT_ACCOUNT = /^\s+(?:(?:deal|opportunity|opp)\s+)?(?:at|with|for)\s+(?:the\s+)?$/iu;

/**
 * Which of the index's matches a question really names. A match is dropped when a better one covers the same
 * words ("laura novak" is the person, not "Nova Labs" one typo away), when it is only part of a name whose other
 * words match nothing ("Enterprises" in "Wayne Enterprises"), or when two names side by side belong to no one
 * record ("Kestrel Energy" has no "Warehouse Modernisation" deal). What is dropped that way is a name the data does
 * not hold, reported back as such.
 */
function settleMentions(text: string, tokens: Token[], found: Mention[], ctx: QuestionContext, isDate: (from: number, to: number) => boolean):
  { mentions: Mention[]; missing: Array<{ from: number; to: number; sources: string[] }> } {
  const sorted = [...found].sort((a, b) => a.from - b.from || b.to - a.to);
  // A longer name holding every typed word beats a shorter one inside it ("Microsoft Enterprise" the deal over
  // "Microsoft" the account); otherwise the surer match wins, then the longer.
  const covers = (a: Mention, b: Mention): boolean => a.from <= b.from && a.to >= b.to && a.to - a.from > b.to - b.from;
  const better = (a: Mention, b: Mention): boolean => (covers(a, b) && a.confidence >= WORDS_MATCH) ||
    (!(covers(b, a) && b.confidence >= WORDS_MATCH) &&
      (a.confidence > b.confidence || (a.confidence === b.confidence && a.to - a.from > b.to - b.from)));
  let mentions = sorted.filter((m) => !sorted.some((o) => o !== m && o.source !== m.source && o.from < m.to && o.to > m.from && better(o, m)));
  const missing: Array<{ from: number; to: number; sources: string[] }> = [];
  // Two names side by side with no record holding both, or one name cut in two: the thing named does not exist.
  // Two names of one record side by side narrow each other: only values sharing a record stay close.
  const narrowed = new Map<Mention, string[]>();
  for (let i = 0; i < mentions.length; i++) {
    const a = mentions[i]!;
    for (const b of mentions.slice(i + 1)) {
      if (b.from < a.to || !(SAME_NAME.test(text.slice(a.to, b.from)) || (AT_ACCOUNT.test(text.slice(a.to, b.from)) && a.source !== b.source))) continue;
      if (a.source.split('.')[0] !== b.source.split('.')[0]) continue;
      const aShared = ctx.entities?.shared(a, b) ?? [];
      if (aShared.length === 0) {
        missing.push({ from: a.from, to: b.to, sources: [a.source, b.source] });
        continue;
      }
      narrowed.set(a, aShared);
      narrowed.set(b, ctx.entities?.shared(b, a) ?? []);
    }
  }
  // Narrowed to one value, that value is what a parameter gets: the typed words alone would find the others too.
  mentions = mentions.map((m) => {
    const close = narrowed.get(m);
    return close ? { ...m, close, bind: close.length === 1 ? close[0]! : m.bind, paired: true } : m;
  });
  const covered = (t: Token): boolean => mentions.some((m) => t.start >= m.from && t.end <= m.to);
  const nameLike = (t: Token, i: number): boolean => i > 0 && /^\p{Lu}/u.test(t.raw) && !STOPWORDS.has(t.norm) &&
    !ctx.specWords.has(t.norm) && !isReserved(t.norm) && !isDate(t.start, t.end);
  // Runs of name words: a run with a word no value holds is a name the data does not have, whatever its other words match.
  for (let i = 0; i < tokens.length; ) {
    if (!nameLike(tokens[i]!, i) && !covered(tokens[i]!)) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < tokens.length && (nameLike(tokens[j + 1]!, j + 1) || covered(tokens[j + 1]!)) &&
      JOINS_NAME.test(text.slice(tokens[j]!.end, tokens[j + 1]!.start))) j++;
    const run = tokens.slice(i, j + 1);
    if (run.length > 1 && run.some((t) => covered(t)) && run.some((t, k) => !covered(t) && nameLike(t, i + k))) {
      const from = run[0]!.start;
      const to = run[run.length - 1]!.end;
      missing.push({ from, to, sources: mentions.filter((m) => m.from >= from && m.to <= to).map((m) => m.source) });
    }
    i = j + 1;
  }
  mentions = mentions.filter((m) => !missing.some((x) => m.from < x.to && m.to > x.from));
  return { mentions, missing };
}

export function analyseQuestion(text: string, ctx: QuestionContext): Question {
  const dates = findDatePhrases(text, ctx.now, ctx.fiscalStart);
  const overlapsDate = (from: number, to: number): boolean => dates.some((d) => from < d.to && to > d.from);
  const tokens = tokenize(text);
  const found = (ctx.entities?.find(text) ?? []).filter((m) => !overlapsDate(m.from, m.to));
  const { mentions, missing } = settleMentions(text, tokens, found, ctx, overlapsDate);
  const taken = [...dates, ...mentions];
  const isTaken = (from: number, to: number): boolean => taken.some((s) => from < s.to && to > s.from);
  const numbers = findNumbers(text).filter((n) => !isTaken(n.from, n.to));
  const inMissing = (t: Token): boolean => missing.some((x) => t.start >= x.from && t.end <= x.to);
  const unknown = tokens.filter((t, i) => i > 0 && /^\p{Lu}/u.test(t.raw) && /\p{Ll}/u.test(t.raw) && !STOPWORDS.has(t.norm) &&
    !ctx.specWords.has(t.norm) && !isReserved(t.norm) && !isTaken(t.start, t.end) && !inMissing(t));
  // Unknown words side by side are one name ("Wayne Enterprises"), as are the missing names found above.
  const unknownSpans: Array<{ from: number; to: number }> = [];
  for (const t of unknown) {
    const last = unknownSpans.at(-1);
    if (last && JOINS_NAME.test(text.slice(last.to, t.start))) last.to = t.end;
    else unknownSpans.push({ from: t.start, to: t.end });
  }
  const names = dropNested([...missing, ...unknownSpans]).sort((a, b) => a.from - b.from);
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
    ...names.map((n) => ({ from: n.from, to: n.to, word: 'zzname' })),
  ];
  return {
    text, mentions, dates, numbers, unknownNames: names.map((n) => text.slice(n.from, n.to)),
    missing: missing.map((x) => ({ typed: text.slice(x.from, x.to), sources: [...new Set(x.sources)] })), terms: termsOf(mask(text, spans)),
  };
}

/** Overlapping entity spans from different columns: keep the outermost, so masking never cuts a word in two. */
function dropNested<T extends { from: number; to: number }>(spans: T[]): T[] {
  return spans.filter((s) => !spans.some((o) => o !== s && o.from <= s.from && o.to >= s.to && (o.to - o.from) > (s.to - s.from)))
    .filter((s, i, all) => !all.slice(0, i).some((o) => s.from < o.to && s.to > o.from));
}
