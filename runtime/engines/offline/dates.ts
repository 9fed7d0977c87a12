/**
 * Date phrases -> date ranges, against an injectable clock. Relative and fiscal periods ("this quarter", "next q",
 * "Q4 2025", "FY25 Q4", "H1 2027", "FY2026", "last 30 days", "this week", "EOQ") are parsed by hand because quarters
 * follow the manifest's fiscal-year start month (`defaults.fiscalYearStartMonth`; 1 = calendar quarters) and
 * chrono-node has no notion of them; explicit dates ("Dec 31", "in December", "next Tuesday") go to chrono-node; a
 * bare year ("for 2025") is that calendar year. "since X" runs to today, "by X" from today, "from X to Y" is one
 * range. "last N days" is N days counting today. All arithmetic is in UTC; ranges are inclusive
 * `YYYY-MM-DD` strings. A fiscal year is labelled by the calendar year it ends in (FY2026 starting Feb 2025), the
 * usual convention; with calendar quarters the two coincide.
 */
import * as chrono from 'chrono-node';

export interface DateRange {
  start: string;
  end: string;
}

export interface DateSpan extends DateRange {
  /** Character offsets of the phrase in the question. */
  from: number;
  to: number;
  phrase: string;
}

const DAY = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const dayStart = (d: Date): number => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
/** Months counted from year 0 so quarter arithmetic never has to carry years by hand. */
const absMonth = (d: Date): number => d.getUTCFullYear() * 12 + d.getUTCMonth();
const monthStart = (abs: number): number => Date.UTC(Math.floor(abs / 12), abs % 12, 1);
const months = (fromAbs: number, count: number): DateRange => ({
  start: iso(monthStart(fromAbs)),
  end: iso(monthStart(fromAbs + count) - DAY),
});

interface Clock {
  now: Date;
  fiscalStart: number;
}

const fiscalYearStartAbs = ({ now, fiscalStart }: Clock): number =>
  absMonth(now) - ((now.getUTCMonth() - (fiscalStart - 1) + 12) % 12);
const quarterStartAbs = (c: Clock): number => {
  const fy = fiscalYearStartAbs(c);
  return fy + Math.floor((absMonth(c.now) - fy) / 3) * 3;
};
/** Start of the fiscal year labelled `year` (the calendar year it ends in). */
const labelledFiscalYearStartAbs = (year: number, fiscalStart: number): number =>
  fiscalStart === 1 ? year * 12 : (year - 1) * 12 + (fiscalStart - 1);

const SHIFT: Record<string, number> = { this: 0, current: 0, the: 0, next: 1, last: -1, previous: -1, prior: -1 };
const UNIT_DAYS: Record<string, number> = { day: 1, days: 1, week: 7, weeks: 7 };
const shift = (word: string): number => SHIFT[word.toLowerCase()]!;
/** "25" -> 2025, "2025" -> 2025. */
const fullYear = (y: string): number => (y.length === 2 ? 2000 + Number(y) : Number(y));

type Rule = [RegExp, (m: RegExpMatchArray, c: Clock) => DateRange];

/** `n` whole units ending today (today counts: "last 7 days" is today and the six days before it). */
function lastUnits(n: number, unit: string, c: Clock): DateRange {
  const today = dayStart(c.now);
  if (unit.startsWith('month')) {
    const d = new Date(today);
    return { start: iso(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, d.getUTCDate()) + DAY), end: iso(today) };
  }
  return { start: iso(today - (n * UNIT_DAYS[unit.toLowerCase()]! - 1) * DAY), end: iso(today) };
}

/** `n` whole units starting today. */
function nextUnits(n: number, unit: string, c: Clock): DateRange {
  const today = dayStart(c.now);
  if (unit.startsWith('month')) {
    const d = new Date(today);
    return { start: iso(today), end: iso(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, d.getUTCDate()) - DAY) };
  }
  return { start: iso(today), end: iso(today + (n * UNIT_DAYS[unit.toLowerCase()]! - 1) * DAY) };
}

const quarterOf = (year: string | undefined, quarter: string, c: Clock): DateRange => {
  const fy = year === undefined ? fiscalYearStartAbs(c) : labelledFiscalYearStartAbs(fullYear(year), c.fiscalStart);
  return months(fy + (Number(quarter) - 1) * 3, 3);
};
const halfOf = (year: string | undefined, half: string, c: Clock): DateRange => {
  const fy = year === undefined ? fiscalYearStartAbs(c) : labelledFiscalYearStartAbs(fullYear(year), c.fiscalStart);
  return months(fy + (Number(half) - 1) * 6, 6);
};
const YEAR = String.raw`'?(\d{4}|\d{2})`;

/**
 * Hand rules, tried in this order; each phrase found is blanked so later rules do not read part of it again
 * ("Q4" in "FY25 Q4", "2025" in "H1 2025").
 */
const rules: Rule[] = [
  // End of the quarter / year / month: from today to that end ("deals closing by EOQ").
  [/\b(?:eoq|end of (?:the )?(?:fiscal )?quarter)\b/gi, (_m, c) => ({ start: iso(dayStart(c.now)), end: months(quarterStartAbs(c), 3).end })],
  [/\b(?:eoy|end of (?:the )?(?:fiscal )?year)\b/gi, (_m, c) => ({ start: iso(dayStart(c.now)), end: months(fiscalYearStartAbs(c), 12).end })],
  [/\b(?:eom|end of (?:the )?month)\b/gi, (_m, c) => ({ start: iso(dayStart(c.now)), end: months(absMonth(c.now), 1).end })],
  [/\b(this|current|next|last|previous|prior|the) (fiscal )?(?:quarter|q)\b/gi, (m, c) => months(quarterStartAbs(c) + 3 * shift(m[1]!), 3)],
  // Fiscal forms in either order: "FY25 Q4", "FY2026 Q1", "Q4 FY25", "Q4 of FY25", "Q4 2025", "q2 '24", "Q4".
  [new RegExp(String.raw`\bfy\s*${YEAR}\s*q([1-4])\b`, 'gi'), (m, c) => quarterOf(m[1], m[2]!, c)],
  [new RegExp(String.raw`\bq([1-4])(?:\s*(?:of\s+)?(?:fy)?\s*${YEAR})?\b`, 'gi'), (m, c) => quarterOf(m[2], m[1]!, c)],
  // Halves: "H1 2027", "H2 FY26", "FY26 H1", "H2".
  [new RegExp(String.raw`\bfy\s*${YEAR}\s*h([12])\b`, 'gi'), (m, c) => halfOf(m[1], m[2]!, c)],
  [new RegExp(String.raw`\bh([12])(?:\s*(?:of\s+)?(?:fy)?\s*${YEAR})?\b`, 'gi'), (m, c) => halfOf(m[2], m[1]!, c)],
  [/\b(first|second) half(?: of(?: the)? (?:(this|next|last) (?:fiscal )?year|fy\s*'?(\d{4}|\d{2})|(\d{4})))?\b/gi, (m, c) => {
    const half = m[1]!.toLowerCase() === 'first' ? '1' : '2';
    if (m[2]) return months(fiscalYearStartAbs(c) + 12 * shift(m[2]) + (Number(half) - 1) * 6, 6);
    return halfOf(m[3] ?? m[4], half, c);
  }],
  [new RegExp(String.raw`\bfy\s*${YEAR}\b`, 'gi'), (m, c) => months(labelledFiscalYearStartAbs(fullYear(m[1]!), c.fiscalStart), 12)],
  [/\b(this|current|next|last|previous|prior) (fiscal )?year\b/gi, (m, c) => months(fiscalYearStartAbs(c) + 12 * shift(m[1]!), 12)],
  [/\b(this|current|next|last|previous|prior) month\b/gi, (m, c) => months(absMonth(c.now) + shift(m[1]!), 1)],
  [/\b(this|current|next|last|previous|prior) week\b/gi, (m, c) => {
    const monday = dayStart(c.now) - ((c.now.getUTCDay() + 6) % 7) * DAY + 7 * DAY * shift(m[1]!);
    return { start: iso(monday), end: iso(monday + 6 * DAY) };
  }],
  [/\b(?:last|past|previous) (\d{1,4}) (days?|weeks?|months?)\b/gi, (m, c) => lastUnits(Number(m[1]), m[2]!, c)],
  [/\b(?:next|coming) (\d{1,4}) (days?|weeks?|months?)\b/gi, (m, c) => nextUnits(Number(m[1]), m[2]!, c)],
  [/\b(?:year[- ]to[- ]date|ytd)\b/gi, (_m, c) => ({ start: iso(monthStart(fiscalYearStartAbs(c))), end: iso(dayStart(c.now)) })],
  [/\b(?:quarter[- ]to[- ]date|qtd)\b/gi, (_m, c) => ({ start: iso(monthStart(quarterStartAbs(c))), end: iso(dayStart(c.now)) })],
  [/\b(today|yesterday|tomorrow)\b/gi, (m, c) => {
    const d = dayStart(c.now) + { today: 0, yesterday: -DAY, tomorrow: DAY }[m[1]!.toLowerCase() as 'today']!;
    return { start: iso(d), end: iso(d) };
  }],
];

/** A year on its own ("revenue trend for 2025"): the calendar year. Read last, after chrono took "Dec 31, 2025". */
const BARE_YEAR = /\b((?:19|20)\d{2})\b/gu;
/** "for 45 days", "30 days": a length of time, not a date (chrono would read "45 days" as 45 days from now). */
const DURATION = /^(?:for\s+|over\s+)?\d+\s+(?:days?|weeks?|months?|years?)$/iu;

/**
 * Only text with a digit, a month or a weekday can hold an explicit date; chrono-node costs milliseconds per call,
 * which every question and every routing example would otherwise pay.
 */
const MAYBE_DATE = /\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b/iu;

/** Explicit dates via chrono-node, read only where the hand rules found nothing. */
function explicitDates(text: string, c: Clock): DateSpan[] {
  if (!MAYBE_DATE.test(text)) return [];
  const found = chrono.casual.parse(text, { instant: c.now, timezone: 0 });
  const dated = found.filter((r) => (r.start.isCertain('month') || r.start.isCertain('day') || r.start.isCertain('weekday')) &&
    !DURATION.test(r.text.trim()));
  if (dated.length === 0) return [];
  const range = (r: chrono.ParsedResult): DateRange => {
    const s = dayStart(r.start.date());
    if (r.end) return { start: iso(s), end: iso(dayStart(r.end.date())) };
    if (!r.start.isCertain('day') && !r.start.isCertain('weekday')) return months(absMonth(new Date(s)), 1);
    return { start: iso(s), end: iso(s) };
  };
  const first = dated[0]!;
  const last = dated[dated.length - 1]!;
  const out: DateRange = dated.length >= 2 ? { start: range(first).start, end: range(last).end } : range(first);
  return [{ ...out, from: first.index, to: last.index + last.text.length, phrase: text.slice(first.index, last.index + last.text.length) }];
}

const blank = (text: string, from: number, to: number): string => text.slice(0, from) + ' '.repeat(to - from) + text.slice(to);
const OPEN_START = /\b(?:since|after)\s*$/iu;
/** "from" opens a range only before a day ("from Oct 1"); "MQLs from last week" means during last week. */
const FROM = /\bfrom\s*$/iu;
const OPEN_END = /\b(?:by|before|until|till|through)\s*$/iu;
const RANGE_START = /\b(?:from|between)\s*$/iu;
const RANGE_JOIN = /^\s*(?:to|through|until|till|and|-|–)\s*$/iu;

const SINCE = /\bsince\s*$/iu;
const NAMES_YEAR = /\d{4}|'\d{2}|\bfy\s*\d{2}/iu;
const yearEarlier = (day: string): string => {
  const d = new Date(`${day}T00:00:00Z`);
  return iso(Date.UTC(d.getUTCFullYear() - 1, d.getUTCMonth(), d.getUTCDate()));
};

/**
 * The start of a range that runs to today. A month or day named without a year is read as its nearest occurrence,
 * which in November is next March; "since March" then means the March before today, not an empty range ("after
 * March" may look ahead, and keeps the range it names).
 */
const sinceStart = (s: DateSpan, today: string): string => (s.start > today && !NAMES_YEAR.test(s.phrase) ? yearEarlier(s.start) : s.start);

/**
 * Reads the words around each phrase: "from Q3 to Q4" and "between Q3 and Q4" are one range; "since Q3" runs to
 * today, "by EOQ" from today.
 */
function withContext(text: string, spans: DateSpan[], c: Clock): DateSpan[] {
  const today = iso(dayStart(c.now));
  const out: DateSpan[] = [];
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i]!;
    const next = spans[i + 1];
    const before = text.slice(out.at(-1)?.to ?? 0, s.from);
    if (next && RANGE_START.test(before) && RANGE_JOIN.test(text.slice(s.to, next.from))) {
      out.push({ start: s.start, end: next.end, from: s.from, to: next.to, phrase: text.slice(s.from, next.to) });
      i++;
    } else if (OPEN_START.test(before) || (FROM.test(before) && s.start === s.end)) out.push({ ...s, start: SINCE.test(before) ? sinceStart(s, today) : s.start, end: today });
    else if (OPEN_END.test(before)) out.push({ ...s, start: s.end >= today ? today : s.start });
    else out.push(s);
  }
  return out;
}

/** Every date phrase in `text`, left to right. */
export function findDatePhrases(text: string, now: Date, fiscalStart = 1): DateSpan[] {
  const c: Clock = { now, fiscalStart };
  const spans: DateSpan[] = [];
  let rest = text;
  for (const [re, make] of rules) {
    for (const m of rest.matchAll(re)) {
      spans.push({ ...make(m, c), from: m.index!, to: m.index! + m[0].length, phrase: m[0] });
      // Blank the phrase so later rules (and chrono) do not read "Q4" in "Q4 2025" twice.
      rest = blank(rest, m.index!, m.index! + m[0].length);
    }
  }
  for (const span of explicitDates(rest, c)) {
    spans.push(span);
    rest = blank(rest, span.from, span.to);
  }
  for (const m of rest.matchAll(BARE_YEAR)) {
    spans.push({ ...months(Number(m[1]) * 12, 12), from: m.index!, to: m.index! + m[0].length, phrase: m[0] });
  }
  return withContext(text, spans.sort((a, b) => a.from - b.from), c);
}

/** A named default such as `this_quarter` (the spelling specs use) as a range. */
export function namedRange(name: string, now: Date, fiscalStart = 1): DateRange | undefined {
  const [span] = findDatePhrases(name.replace(/_/gu, ' '), now, fiscalStart);
  return span && { start: span.start, end: span.end };
}
