/**
 * The parts of a question that narrow what it asks for — an amount threshold, a region, a segment, a customer type,
 * an owner, a stage, "top N", "for N days", a period — found by a table of patterns, so the engine can tell whether
 * each one reached a tool parameter. One that no parameter took is declared in the answer and in `not_done`
 * ("I can't filter by region yet; this covers every region"), never dropped without a word.
 *
 * A parameter takes a kind when its name matches the kind's `param` pattern (`min_amount` takes an amount,
 * `customer_type` a customer type, any date parameter the period) and it was given the value the question holds.
 */
import type { DateSpan } from './dates.ts';
import { date } from './filters.ts';
import type { Question } from './question.ts';

export type QualifierKind = 'amount' | 'region' | 'segment' | 'customer_type' | 'owner' | 'stage' | 'top' | 'days' | 'period';

export interface Qualifier {
  kind: QualifierKind;
  /** As typed. */
  phrase: string;
  /** Canonical value: "EMEA", "PLG", 500000, 45; for a period its first day. */
  value: string | number;
  from: number;
  to: number;
  /** For a period, its last day. */
  end?: string;
}

export interface NotDone {
  /** The words of the question that were not applied or not done. */
  part: string;
  reason: string;
}

interface KindRule {
  /** Parameter names that take this kind. */
  param: RegExp;
  /** What no parameter could do, in the user's words ("filter by region yet"). */
  cannot: (q: Qualifier) => string;
  /** What the answer does instead ("covers every region"). */
  instead: string;
}

const KINDS: Record<QualifierKind, KindRule> = {
  amount: { param: /amount|size|threshold|value/u, cannot: () => 'filter by deal size here', instead: 'covers deals of every size' },
  region: { param: /region|territory|geo/u, cannot: () => 'filter by region yet', instead: 'covers every region' },
  segment: { param: /segment/u, cannot: () => 'filter by segment here', instead: 'covers every segment' },
  customer_type: { param: /customer_type/u, cannot: (q) => `limit this to ${q.value} customers`, instead: 'covers every customer type' },
  owner: { param: /owner|rep\b/u, cannot: () => 'filter by owner here', instead: 'covers every owner' },
  stage: { param: /stage/u, cannot: () => 'limit this to one stage here', instead: 'covers every stage' },
  top: { param: /limit|top|count|max_results/u, cannot: () => 'change how many are listed here', instead: 'shows the usual number' },
  days: { param: /days/u, cannot: (q) => `change the time window to ${q.value} days here`, instead: 'uses its standard rule' },
  period: { param: /period|start|end|date|from|to/u, cannot: () => 'limit this to a period', instead: 'covers all the data I have' },
};

export const QUALIFIER_KINDS: ReadonlySet<string> = new Set(Object.keys(KINDS));

/** Whether a tool parameter of this name takes this kind of qualifier (`min_amount` an amount, `region` a region). */
export const paramTakes = (kind: QualifierKind, name: string): boolean => KINDS[kind].param.test(name);

const fullReason = (q: Qualifier): string => `I can't ${KINDS[q.kind].cannot(q)}, so this ${KINDS[q.kind].instead}.`;
const partialReason = (q: Qualifier): string => `Only part of this answer is limited to it; the rest ${KINDS[q.kind].instead}.`;

/** Words that name one value of a kind; the first capture or the whole match is the phrase. */
const VALUES: Array<[QualifierKind, RegExp, string]> = [
  ['region', /\b(?:emea|europe)\b/giu, 'EMEA'],
  ['region', /\b(?:apac|asia[- ]pacific)\b/giu, 'APAC'],
  ['region', /\b(?:latam|latin america)\b/giu, 'LATAM'],
  ['region', /\b(?:north america|amer|nam)\b/giu, 'North America'],
  ['segment', /\benterprise(?= (?:segment|deals?|customers?|accounts?|pipeline|pipe|revenue|logos?)\b)/giu, 'Enterprise'],
  ['segment', /\b(?:mid[- ]?market)\b/giu, 'Mid-Market'],
  ['segment', /\bsmb\b/giu, 'SMB'],
  ['customer_type', /\bplg\b/giu, 'PLG'],
  ['customer_type', /\bcommit(?= (?:customers?|accounts?|logos?)\b)/giu, 'Commit'],
  ['stage', /\b(?:in|at) (?:the )?(discover|discovery|proof of concept|poc|proposal|negotiat(?:e|ion)|verbal commit)(?: stage)?\b/giu, ''],
];
const STAGE_NAMES: Record<string, string> = {
  discover: 'Discover', discovery: 'Discover', 'proof of concept': 'Proof of Concept', poc: 'Proof of Concept',
  proposal: 'Proposal', negotiate: 'Negotiate', negotiation: 'Negotiate', 'verbal commit': 'Verbal Commit',
};

const AMOUNT = /\b(over|above|more than|greater than|at least|bigger than|larger than|under|below|less than|smaller than)\s+\$?\s*(\d[\d,.]*)\s*(k|m|mm|b|thousand|million|billion)?\b/giu;
const SCALE: Record<string, number> = { k: 1e3, thousand: 1e3, m: 1e6, mm: 1e6, million: 1e6, b: 1e9, billion: 1e9 };
const TOP = /\b(?:top|first|biggest|largest)\s+(\d{1,4})\b/giu;
const DAYS = /\b(?:for|over|in|of|past)?\s*(\d{1,4})\+?\s+days?\b(?!\s+ago)/giu;
const DAYS_CONTEXT = /\b(stall|stalled|stale|inactive|no activity|without activity|quiet|idle|untouched|no touch|dormant)\b/iu;
const OWNER = /\b(?:owned by|owner|rep|ae)\s+(\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+)?)|\b(\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+)?)['’]s\s+(?:deals|pipeline|pipe|opportunities|forecast|book|accounts)\b/gu;

const inDate = (q: Question, from: number, to: number): boolean => q.dates.some((d) => from < d.to && to > d.from);

/** Every qualifier of the question, left to right. */
export function findQualifiers(q: Question): Qualifier[] {
  const out: Qualifier[] = [];
  for (const [kind, re, value] of VALUES) {
    for (const m of q.text.matchAll(re)) {
      const word = (m[1] ?? m[0]).toLowerCase();
      out.push({ kind, phrase: m[0], value: value || STAGE_NAMES[word] || m[1]!, from: m.index!, to: m.index! + m[0].length });
    }
  }
  for (const m of q.text.matchAll(AMOUNT)) {
    const value = Number(m[2]!.replace(/,/gu, '')) * (m[3] ? SCALE[m[3].toLowerCase()]! : 1);
    if (value >= 1000) out.push({ kind: 'amount', phrase: m[0], value, from: m.index!, to: m.index! + m[0].length });
  }
  for (const m of q.text.matchAll(TOP)) out.push({ kind: 'top', phrase: m[0], value: Number(m[1]), from: m.index!, to: m.index! + m[0].length });
  if (DAYS_CONTEXT.test(q.text)) {
    for (const m of q.text.matchAll(DAYS)) {
      const from = m.index! + m[0].search(/\S/u);
      const to = m.index! + m[0].length;
      if (!inDate(q, from, to)) out.push({ kind: 'days', phrase: q.text.slice(from, to), value: Number(m[1]), from, to });
    }
  }
  for (const m of q.text.matchAll(OWNER)) {
    out.push({ kind: 'owner', phrase: m[0], value: (m[1] ?? m[2])!, from: m.index!, to: m.index! + m[0].length });
  }
  for (const d of q.dates) out.push(periodOf(d));
  return out.sort((a, b) => a.from - b.from);
}

const periodOf = (d: DateSpan): Qualifier =>
  ({ kind: 'period', phrase: d.phrase, value: d.start, end: d.end, from: d.from, to: d.to });

/** Parameters a step was called with, by tool. */
export type CalledWith = Array<{ tool: string; params: Record<string, unknown> }>;

const matchesValue = (q: Qualifier, v: unknown): boolean => {
  if (q.kind === 'period') return v === q.value || v === q.end;
  if (typeof q.value === 'number') return Number(v) === q.value;
  return typeof v === 'string' && v.toLowerCase().includes(String(q.value).toLowerCase());
};

const takes = (q: Qualifier, call: CalledWith[number]): boolean =>
  Object.entries(call.params).some(([name, v]) => KINDS[q.kind].param.test(name) && matchesValue(q, v));
const couldTake = (q: Qualifier, call: CalledWith[number]): boolean => Object.keys(call.params).some((name) => KINDS[q.kind].param.test(name));

/**
 * The qualifiers not applied, as `not_done` entries: those no call took, and those only some calls took while
 * others had no parameter for them (a minimum amount on the listed deals, not on the totals beside them).
 */
export function unapplied(qualifiers: Qualifier[], calls: CalledWith): NotDone[] {
  return qualifiers.flatMap((q) => {
    if (!calls.some((c) => takes(q, c))) return [{ part: q.phrase, reason: fullReason(q) }];
    return calls.some((c) => !couldTake(q, c)) ? [{ part: q.phrase, reason: partialReason(q) }] : [];
  });
}

/** "Oct 1, 2025 to Dec 31, 2025". */
export const periodText = (start: string, end: string): string => `${date(start)} to ${date(end)}`;
