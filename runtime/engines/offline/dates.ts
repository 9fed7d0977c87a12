/**
 * Date phrases -> date ranges, against an injectable clock. Relative periods ("this quarter", "Q4 2025", "last 30
 * days", "this week") are parsed by hand because quarters follow the manifest's fiscal-year start month
 * (`defaults.fiscalYearStartMonth`; 1 = calendar quarters) and chrono-node has no notion of them; explicit dates
 * ("Dec 31", "since Oct 1", "in December") go to chrono-node. All arithmetic is in UTC; ranges are inclusive
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

type Rule = [RegExp, (m: RegExpMatchArray, c: Clock) => DateRange];

const rules: Rule[] = [
  [/\b(this|current|next|last|previous|prior|the) (fiscal )?quarter\b/gi, (m, c) =>
    months(quarterStartAbs(c) + 3 * SHIFT[m[1]!.toLowerCase()]!, 3)],
  [/\bq([1-4])(?:\s*(?:fy)?\s*'?(\d{4}|\d{2}))?\b/gi, (m, c) => {
    const year = m[2] ? (m[2].length === 2 ? 2000 + Number(m[2]) : Number(m[2])) : undefined;
    const fy = year === undefined ? fiscalYearStartAbs(c) : labelledFiscalYearStartAbs(year, c.fiscalStart);
    return months(fy + (Number(m[1]) - 1) * 3, 3);
  }],
  [/\b(this|current|next|last|previous|prior) (fiscal )?year\b/gi, (m, c) =>
    months(fiscalYearStartAbs(c) + 12 * SHIFT[m[1]!.toLowerCase()]!, 12)],
  [/\b(this|current|next|last|previous|prior) month\b/gi, (m, c) =>
    months(absMonth(c.now) + SHIFT[m[1]!.toLowerCase()]!, 1)],
  [/\b(this|current|next|last|previous|prior) week\b/gi, (m, c) => {
    const monday = dayStart(c.now) - ((c.now.getUTCDay() + 6) % 7) * DAY + 7 * DAY * SHIFT[m[1]!.toLowerCase()]!;
    return { start: iso(monday), end: iso(monday + 6 * DAY) };
  }],
  [/\b(?:last|past|previous) (\d{1,4}) (days?|weeks?|months?)\b/gi, (m, c) => {
    const n = Number(m[1]);
    const today = dayStart(c.now);
    if (m[2]!.startsWith('month')) {
      const d = new Date(today);
      return { start: iso(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, d.getUTCDate())), end: iso(today) };
    }
    return { start: iso(today - n * UNIT_DAYS[m[2]!.toLowerCase()]! * DAY), end: iso(today) };
  }],
  [/\b(?:next|coming) (\d{1,4}) (days?|weeks?|months?)\b/gi, (m, c) => {
    const n = Number(m[1]);
    const today = dayStart(c.now);
    if (m[2]!.startsWith('month')) {
      const d = new Date(today);
      return { start: iso(today), end: iso(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, d.getUTCDate())) };
    }
    return { start: iso(today), end: iso(today + n * UNIT_DAYS[m[2]!.toLowerCase()]! * DAY) };
  }],
  [/\b(?:year to date|ytd)\b/gi, (_m, c) => ({ start: iso(monthStart(fiscalYearStartAbs(c))), end: iso(dayStart(c.now)) })],
  [/\b(?:quarter to date|qtd)\b/gi, (_m, c) => ({ start: iso(monthStart(quarterStartAbs(c))), end: iso(dayStart(c.now)) })],
  [/\b(today|yesterday|tomorrow)\b/gi, (m, c) => {
    const d = dayStart(c.now) + { today: 0, yesterday: -DAY, tomorrow: DAY }[m[1]!.toLowerCase() as 'today']!;
    return { start: iso(d), end: iso(d) };
  }],
];

/**
 * Only text with a digit, a month or a weekday can hold an explicit date; chrono-node costs milliseconds per call,
 * which every question and every routing example would otherwise pay.
 */
const MAYBE_DATE = /\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b/iu;

/** Explicit dates via chrono-node, read only where the hand rules found nothing. */
function explicitDates(text: string, c: Clock): DateSpan[] {
  if (!MAYBE_DATE.test(text)) return [];
  const found = chrono.casual.parse(text, { instant: c.now, timezone: 0 });
  const dated = found.filter((r) => r.start.isCertain('month') || r.start.isCertain('day'));
  if (dated.length === 0) return [];
  const range = (r: chrono.ParsedResult): DateRange => {
    const s = dayStart(r.start.date());
    if (r.end) return { start: iso(s), end: iso(dayStart(r.end.date())) };
    if (!r.start.isCertain('day')) return months(absMonth(new Date(s)), 1);
    return { start: iso(s), end: iso(s) };
  };
  const first = dated[0]!;
  const last = dated[dated.length - 1]!;
  const before = text.slice(0, first.index).toLowerCase();
  let out: DateRange = range(first);
  if (dated.length >= 2) out = { start: range(first).start, end: range(last).end };
  else if (/\b(since|after|from)\s*$/u.test(before)) out = { start: out.start, end: iso(dayStart(c.now)) };
  else if (/\b(by|before|until|through)\s*$/u.test(before)) out = { start: iso(dayStart(c.now)), end: out.end };
  return [{ ...out, from: first.index, to: last.index + last.text.length, phrase: text.slice(first.index, last.index + last.text.length) }];
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
      rest = rest.slice(0, m.index) + ' '.repeat(m[0].length) + rest.slice(m.index! + m[0].length);
    }
  }
  spans.push(...explicitDates(rest, c));
  return spans.sort((a, b) => a.from - b.from);
}

/** A named default such as `this_quarter` (the spelling specs use) as a range. */
export function namedRange(name: string, now: Date, fiscalStart = 1): DateRange | undefined {
  const [span] = findDatePhrases(name.replace(/_/gu, ' '), now, fiscalStart);
  return span && { start: span.start, end: span.end };
}
