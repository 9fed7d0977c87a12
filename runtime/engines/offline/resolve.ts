/**
 * Fills one tool step's parameters, in this order: the step's `with` expressions (Liquid over earlier steps), the
 * parameter's `resolve` hint read from the question (a warehouse name, a date phrase, a number, the text itself),
 * an enum value the question names, the previous turn's names and dates (follow-ups), then declared defaults.
 * Returns the first required parameter it could not fill instead of guessing one.
 */
import type { ManifestParameter, ManifestSkillStep, ManifestTool } from '../../../compiler/manifest.ts';
import { type DateRange, namedRange } from './dates.ts';
import { BIND_MIN, type Mention, WORDS_MATCH } from './entities.ts';
import { nameColumns } from './nameColumns.ts';
import type { Question } from './question.ts';
import type { StoredTurn } from '../../sessions/sessionStore.ts';
import type { TemplateEngine } from './template.ts';
import { fieldChange, notificationParts } from './actionRequests.ts';

export interface ResolveContext {
  question: Question;
  /** Template scope: question, params, earlier steps. */
  scope: Record<string, unknown>;
  previous?: StoredTurn;
  now: Date;
  fiscalStart: number;
  templates: TemplateEngine;
  /**
   * The step belongs to a skill that writes or sends: a name binds only when the data holds its words as typed
   * (no typo or prefix read into a record), and only from the words before the action's own (`recordPart`).
   */
  acting?: boolean;
}

export type Resolution =
  /** `emptyWith`: parameters whose `with` expression came out empty (an earlier step found nothing to bind). */
  | { ok: true; params: Record<string, unknown>; entities: Record<string, string>; dates?: DateRange; emptyWith: string[]; readAs: ReadAs[] }
  | { ok: false; parameter: ManifestParameter; fromStep: boolean; ambiguous?: Ambiguous; problem?: string; unsure?: ReadAs; several?: Several };

/** A name bound to a value that does not hold the words as typed (a typo, a prefix): the answer says how it was read. */
export interface ReadAs {
  typed: string;
  value: string;
}

/** A change that names more than one record of the kind it changes ("the IXIS next step for TechFlow"). */
export interface Several {
  source: string;
  typed: string[];
}

/** Several records a name could mean; `source` is the `table.column` they come from. */
export interface Ambiguous {
  typed: string;
  source: string;
  options: string[];
}

interface Found {
  entities: Record<string, string>;
  dates?: DateRange;
  /** Spans of the question already bound to a parameter of this step (one name fills one parameter). */
  used: Set<string>;
  ambiguous?: Ambiguous;
  /** Why an action parameter could not be read from the question (no field named, a value not allowed). */
  problem?: string;
  readAs: ReadAs[];
  /** A name an action would have bound only as read (a typo, a prefix): the user is asked instead. */
  unsure?: ReadAs;
  several?: Several;
}

const spanKey = (m: Mention): string => `${m.from}:${m.to}`;

/**
 * The mention a name parameter takes: a name in its own column first, then in the other columns its SQL matches
 * ("Kestrel Energy" fills a deal name through the account column), never one already bound to another parameter.
 * Of the matches at that place, the surest: the whole name, then the one with fewest close values (a company
 * narrowed to the one the named person works at), then the parameter's own column.
 */
function pickMention(columns: string[], q: Question, used: Set<string>, optional: boolean): Mention | undefined {
  // An optional name beside a bound one of the same table only narrows it when both name one record: in "status of
  // IXIS, DataCorp and TechFlow" DataCorp is another deal, not IXIS's account.
  const table = (m: Mention): string => m.source.split('.')[0]!;
  const boundTables = new Set(q.mentions.filter((m) => used.has(spanKey(m))).map(table));
  const free = q.mentions.filter((m) => columns.includes(m.source) && !used.has(spanKey(m)) &&
    !(optional && boundTables.has(table(m)) && !m.paired));
  const first = columns.map((c) => free.find((m) => m.source === c)).find((m) => m !== undefined);
  if (!first) return undefined;
  const here = free.filter((m) => m.from === first.from && m.to === first.to);
  const rank = (m: Mention): number[] => [m.exact ? 0 : 1, m.close.length, columns.indexOf(m.source)];
  return here.sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
  })[0];
}

/** Several values match the typed words equally well and none is the whole name: the user must say which. */
function ambiguity(m: Mention): string[] | undefined {
  return !m.exact && m.close.length > 1 ? m.close : undefined;
}

const MONEY_PARAM = /amount|value|revenue|arr|acv|size|threshold|min|max/iu;
const UPPER_BOUND = /\b(?:under|below|less than|smaller than|at most|up to|max(?:imum)?)\s*\$?\s*$/iu;
const LOWER_BOUND = /\b(?:over|above|more than|greater than|bigger than|larger than|at least|min(?:imum)?)\s*\$?\s*$/iu;

const coerce = (p: ManifestParameter, v: unknown): unknown => {
  if (p.type === 'number' || p.type === 'integer') return Number(v);
  if (p.type === 'boolean') return v === true || v === 'true';
  return v;
};

function fromQuestion(tool: ManifestTool, p: ManifestParameter, ctx: ResolveContext, out: Found): unknown {
  const r = p.resolve;
  const q = ctx.question;
  if (r && 'values' in r) {
    const own = pickMention(nameColumns(tool, p), q, out.used, !p.required);
    if (own && own.confidence >= BIND_MIN) {
      out.used.add(spanKey(own));
      const options = ambiguity(own);
      if (options) {
        out.ambiguous = { typed: own.typed, source: own.source, options };
        return undefined;
      }
      // A change goes to one record: a second name of the same kind beside it (not part of it, not narrowing it)
      // leaves which one open, and the engine never picks.
      const table = own.source.split('.')[0];
      const others = ctx.acting ? q.mentions.filter((m) => m.source.split('.')[0] === table && !m.paired && !own.paired &&
        (m.to <= own.from || m.from >= own.to) && m.typed.toLowerCase() !== own.typed.toLowerCase()) : [];
      if (others.length > 0) {
        out.several = { source: own.source, typed: [own.typed, ...new Set(others.map((m) => m.typed))] };
        return undefined;
      }
      if (ctx.acting && own.confidence < WORDS_MATCH) {
        out.unsure = { typed: own.typed, value: own.values[0] ?? own.bind };
        return undefined;
      }
      if (!own.bind.toLowerCase().includes(own.typed.toLowerCase())) out.readAs.push({ typed: own.typed, value: own.bind });
      return (out.entities[r.values] = own.bind);
    }
    // Reuse the previous turn's name only when this question names nothing it could mean instead.
    const previous = ctx.previous?.entities?.[r.values];
    if (previous && q.unknownNames.length === 0) return (out.entities[r.values] = previous);
    return undefined;
  }
  if (r && 'date' in r) {
    const span = q.dates[0];
    const range = span ?? ctx.previous?.dates ?? (r.default ? namedRange(r.default, ctx.now, ctx.fiscalStart) : undefined);
    if (!range) return undefined;
    out.dates = { start: range.start, end: range.end };
    return r.date === 'start' ? range.start : range.end;
  }
  if (r && 'number' in r) {
    const wantMoney = MONEY_PARAM.test(p.name);
    // "under $50K" is no minimum and "over $500K" no maximum: a bound goes only to a parameter of its direction.
    const direction = (n: { from: number }): 'min' | 'max' | undefined => {
      const before = q.text.slice(Math.max(0, n.from - 20), n.from);
      return UPPER_BOUND.test(before) ? 'max' : LOWER_BOUND.test(before) ? 'min' : undefined;
    };
    const fits = (n: { from: number }): boolean => {
      const d = direction(n);
      return !d || !(d === 'max' ? /min/iu : /max/iu).test(p.name);
    };
    return q.numbers.find((n) => n.money === wantMoney && fits(n))?.value ?? r.default;
  }
  if (r && 'text' in r) return q.text;
  if (r && 'change' in r) {
    const rule = tool.kind === 'sql_write' ? tool.write.tables[r.change] : undefined;
    const change = rule ? fieldChange(q.text, rule) : { ok: false as const, problem: `${tool.name} cannot write ${r.change}.` };
    if (!change.ok) {
      out.problem = `${change.problem} Nothing was changed.`;
      return undefined;
    }
    return JSON.stringify({ [change.column]: change.value });
  }
  if (r && 'notify' in r) {
    const parts = notificationParts(q.text);
    if (parts.problem) out.problem = `${parts.problem} Nothing was sent.`;
    return parts[r.notify];
  }
  if (p.enum) {
    const lower = q.text.toLowerCase();
    return p.enum.find((e) => new RegExp(`\\b${e.toLowerCase().replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')}\\b`, 'u').test(lower));
  }
  return undefined;
}

/** Where the action's own words (a new value, a message) start in the question, for the tools of a skill that acts. */
function actionWordsFrom(tools: readonly ManifestTool[], text: string): number {
  const starts = tools.flatMap((tool) => tool.parameters.flatMap((p) => {
    const r = p.resolve;
    if (r && 'change' in r && tool.kind === 'sql_write') {
      const rule = tool.write.tables[r.change];
      const change = rule ? fieldChange(text, rule) : undefined;
      return change?.ok ? [change.from] : [];
    }
    const from = r && 'notify' in r ? notificationParts(text).from : undefined;
    return from === undefined ? [] : [from];
  }));
  return Math.min(text.length, ...starts);
}

/**
 * The question as a skill that acts reads names from it: only the words before the new value or the message. In
 * "update the TechFlow next step to send the IXIS case study" the record is TechFlow; IXIS is what the step says.
 */
export function recordPart(q: Question, tools: readonly ManifestTool[]): Question {
  const end = actionWordsFrom(tools, q.text);
  if (end >= q.text.length) return q;
  const before = (typed: string): boolean => { const at = q.text.indexOf(typed); return at >= 0 && at < end; };
  return {
    ...q, mentions: q.mentions.filter((m) => m.to <= end), unknownNames: q.unknownNames.filter(before),
    missing: q.missing.filter((m) => before(m.typed)),
  };
}

export async function resolveStep(tool: ManifestTool, step: ManifestSkillStep, ctx: ResolveContext): Promise<Resolution> {
  const params: Record<string, unknown> = {};
  const out: Found = { entities: {}, used: new Set(), readAs: [] };
  const emptyWith: string[] = [];
  for (const p of tool.parameters) {
    const expression = step.with[p.name];
    let value: unknown;
    if (expression !== undefined) {
      value = (await ctx.templates.render(expression, ctx.scope)).trim();
      if (value === '' && p.required) return { ok: false, parameter: p, fromStep: true };
      if (value === '') emptyWith.push(p.name);
    } else {
      value = fromQuestion(tool, p, ctx, out);
      if (out.ambiguous) return { ok: false, parameter: p, fromStep: false, ambiguous: out.ambiguous };
      if (out.unsure) return { ok: false, parameter: p, fromStep: false, unsure: out.unsure };
      if (out.several) return { ok: false, parameter: p, fromStep: false, several: out.several };
    }
    if (value === undefined || value === '') value = p.default;
    if (value === undefined || value === '') {
      if (p.required) return { ok: false, parameter: p, fromStep: false, ...(out.problem ? { problem: out.problem } : {}) };
      continue;
    }
    params[p.name] = coerce(p, value);
  }
  return { ok: true, params, entities: out.entities, dates: out.dates, emptyWith, readAs: out.readAs };
}
