/**
 * Fills one tool step's parameters, in this order: the step's `with` expressions (Liquid over earlier steps), the
 * parameter's `resolve` hint read from the question (a warehouse name, a date phrase, a number, the text itself),
 * an enum value the question names, the previous turn's names and dates (follow-ups), then declared defaults.
 * Returns the first required parameter it could not fill instead of guessing one.
 */
import type { ManifestParameter, ManifestSkillStep, ManifestTool } from '../../../compiler/manifest.ts';
import { type DateRange, namedRange } from './dates.ts';
import type { Question } from './question.ts';
import type { SessionTurn } from './session.ts';
import type { TemplateEngine } from './template.ts';
import { fieldChange, notificationParts } from './requests.ts';

export interface ResolveContext {
  question: Question;
  /** Template scope: question, params, earlier steps. */
  scope: Record<string, unknown>;
  previous?: SessionTurn;
  now: Date;
  fiscalStart: number;
  templates: TemplateEngine;
}

export type Resolution =
  /**
   * `emptyWith`: parameters whose `with` expression came out empty (an earlier step found nothing to bind);
   * `inexact`: names as typed that were bound to a value not containing them (a typo or near match).
   */
  | { ok: true; params: Record<string, unknown>; entities: Record<string, string>; dates?: DateRange; emptyWith: string[]; inexact: string[] }
  | { ok: false; parameter: ManifestParameter; fromStep: boolean; problem?: string };

interface Found { entities: Record<string, string>; dates?: DateRange; problem?: string; inexact: string[] }

const MONEY_PARAM = /amount|value|revenue|arr|acv|size|threshold|min|max/iu;

const coerce = (p: ManifestParameter, v: unknown): unknown => {
  if (p.type === 'number' || p.type === 'integer') return Number(v);
  if (p.type === 'boolean') return v === true || v === 'true';
  return v;
};

function fromQuestion(p: ManifestParameter, tool: ManifestTool, ctx: ResolveContext, out: Found): unknown {
  const r = p.resolve;
  const q = ctx.question;
  if (r && 'values' in r) {
    const own = q.mentions.find((m) => m.source === r.values);
    if (own) {
      if (own.bind.toLowerCase() !== own.typed.toLowerCase() && !own.values.every((v) => v.toLowerCase().includes(own.typed.toLowerCase()))) out.inexact.push(own.typed);
      return (out.entities[r.values] = own.bind);
    }
    // Reuse the previous turn's name only when this question names nothing it could mean instead.
    const previous = ctx.previous?.entities[r.values];
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
    return q.numbers.find((n) => n.money === wantMoney)?.value ?? r.default;
  }
  if (r && 'text' in r) return q.text;
  if (r && 'change' in r) {
    const rule = tool.write?.tables[r.change];
    const change = rule ? fieldChange(q.text, rule) : { ok: false as const, problem: `${tool.name} cannot write ${r.change}.` };
    if (!change.ok) {
      out.problem = `${change.problem} Nothing was changed.`;
      return undefined;
    }
    return JSON.stringify({ [change.column]: change.value });
  }
  if (r && 'notify' in r) return notificationParts(q.text)[r.notify];
  if (p.enum) {
    const lower = q.text.toLowerCase();
    return p.enum.find((e) => new RegExp(`\\b${e.toLowerCase().replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')}\\b`, 'u').test(lower));
  }
  return undefined;
}

export async function resolveStep(tool: ManifestTool, step: ManifestSkillStep, ctx: ResolveContext): Promise<Resolution> {
  const params: Record<string, unknown> = {};
  const out: Found = { entities: {}, inexact: [] };
  const emptyWith: string[] = [];
  for (const p of tool.parameters) {
    const expression = step.with[p.name];
    let value: unknown;
    if (expression !== undefined) {
      value = (await ctx.templates.render(expression, ctx.scope)).trim();
      if (value === '' && p.required) return { ok: false, parameter: p, fromStep: true };
      if (value === '') emptyWith.push(p.name);
    } else {
      value = fromQuestion(p, tool, ctx, out);
    }
    if (value === undefined || value === '') value = p.default;
    if (value === undefined || value === '') {
      if (p.required) return { ok: false, parameter: p, fromStep: false, ...(out.problem ? { problem: out.problem } : {}) };
      continue;
    }
    params[p.name] = coerce(p, value);
  }
  return { ok: true, params, entities: out.entities, dates: out.dates, emptyWith, inexact: out.inexact };
}
