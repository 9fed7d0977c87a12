/**
 * The breakdowns a question asks for — "by industry", "per rep", "for each segment", "which reps have the most …",
 * "top 5 industries" — and whether a skill gives them. A skill gives a breakdown its description or one of its
 * examples names ("pipeline by stage", "by segment and by month"), or lists the records the breakdown is by
 * ("customers ranked by churn risk" is per customer). The metric skill gives what the metric reading groups by.
 * One the chosen skill does not give is declared in the answer and in `not_done`, never answered with another
 * report as if it were the breakdown.
 */
import type { Question } from './question.ts';
import { termsOf } from './question.ts';

export interface Grouping {
  /** As typed: "by industry", "which reps". */
  phrase: string;
  /** What the records are grouped by, as typed: "industry", "reps". */
  by: string;
  /** Its terms as the engine reads them ("owner" for "reps"). */
  terms: string[];
  /** The phrase's place in the question. */
  from: number;
  to: number;
  /** Where what it is by is. */
  at: { from: number; to: number };
}

/** One or two words a breakdown is by; a stop at the next function word, date or number keeps it short. */
const WHAT = String.raw`([\p{Ll}][\p{L}-]*(?:\s+(?!(?:and|or|with|for|in|this|last|next|that|who|which|over|under|closing|from|to|of|on|at|than|is|are|has|have|had)\b)[\p{Ll}][\p{L}-]*)?)`;
const PATTERNS: RegExp[] = [
  // "by industry", "per rep", "for each segment", "broken down by source"; not "sorted by value" (an order) or
  // "owned by Sarah" (a name, capitalised, so not matched).
  new RegExp(String.raw`(?<!\b(?:sort|sorted|rank|ranked|order|ordered|owned|closed|won|lost|created|managed|run)\s)\b(?:by|per|for each|for every)\s+(?:the\s+|each\s+|every\s+)?${WHAT}`, 'gud'),
  // "which reps have the most stalled deals", "what industry has the highest win rate"
  new RegExp(String.raw`\b(?:which|what)\s+${WHAT}\s+(?:has|have|had|is|are|was|were|gets?|got|shows?|with)\s+(?:the\s+)?(?:most|highest|lowest|least|fewest|biggest|largest|best|worst|more|fewer)\b`, 'gud'),
  // "top 5 industries by win rate"
  new RegExp(String.raw`\b(?:top|bottom)\s+(?:\d{1,3}\s+)?${WHAT}`, 'gud'),
];

/** Words after "by"/"top" that are an order or an amount, not something to group by. */
const NOT_GROUPS = new Set(['far', 'now', 'then', 'the', 'value', 'amount', 'size', 'score', 'probability', 'date', 'close', 'name', 'default', 'end']);

const overlaps = (a: { from: number; to: number }, b: { from: number; to: number }): boolean => a.from < b.to && b.from < a.to;

export function findGroupings(q: Question): Grouping[] {
  const text = q.text.toLowerCase();
  const out: Grouping[] = [];
  for (const re of PATTERNS) {
    for (const m of text.matchAll(re)) {
      const by = m[1]!;
      const [from, to] = m.indices![1]!;
      const span = { from, to };
      // A capitalised word is a name ("owned by Sarah", "by Friday"): a filter or a deadline, not a breakdown.
      if (/^\p{Lu}/u.test(q.text.slice(from)) && from > 0) continue;
      // A date ("by end of year"), a number or a name the question gives is a filter or a deadline, not a breakdown.
      if ([...q.dates, ...q.numbers, ...q.mentions].some((s) => overlaps(s, span))) continue;
      const terms = termsOf(by);
      if (terms.length === 0 || NOT_GROUPS.has(terms[0]!)) continue;
      if (out.some((g) => overlaps(g.at, span))) continue;
      out.push({ phrase: q.text.slice(m.index, m.index + m[0].length), by: q.text.slice(from, to), terms, from: m.index, to: m.index + m[0].length, at: span });
    }
  }
  return out.sort((a, b) => a.from - b.from);
}

/** The words a skill's breakdowns and records are named by: its description and the breakdowns of its examples. */
export function groupsOfSkill(skill: { description?: string; examples: readonly string[] }, read: (text: string) => Question): Set<string> {
  const words = new Set(termsOf(skill.description ?? ''));
  for (const e of skill.examples) for (const g of findGroupings(read(e))) for (const t of g.terms) words.add(t);
  return words;
}

/** A breakdown a skill gives: the last word of what it is by names one of the skill's breakdowns or records. */
export const givesGrouping = (g: Grouping, groups: ReadonlySet<string>): boolean => groups.has(g.terms[g.terms.length - 1]!);
