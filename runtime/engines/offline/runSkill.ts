/**
 * Runs one skill inside a collaborator: its steps in order (parameters resolved per step, then the tool through
 * the toolbox), emitting `tool_call` / `tool_result` events, then renders the skill's answer template from what the
 * steps returned. Stops with a plain explanation when a required parameter cannot be filled or a non-optional step
 * returns no rows.
 *
 * A failed step is never read as "no rows": its template view has `ok: false` and no rows, the answer says in
 * plain words what could not be checked and why (honest.ts), and the run carries the gaps so the conversation is
 * recorded as partial. When no step worked, or a non-optional one failed, the template is not rendered at all.
 *
 * A tool that needs approval is not called: the skill stops with an `approval_needed` event carrying the resolved
 * call (runtime/approvals takes it from there).
 */
import { needsApproval, type ManifestAgent, type ManifestSkill, type ManifestTool } from '../../../compiler/manifest.ts';
import type { Toolbox, ToolResult } from '../../tools/toolbox.ts';
import { toolResultFields } from '../toolResultFields.ts';
import type { AnswerGap, TraceEvent } from '../trace.ts';
import type { DateRange } from './dates.ts';
import { ambiguousName, didYouMean, severalRecords, gapOf, missingTool, noRows, notChecked, nothingChecked, unresolved } from './honest.ts';
import type { Question } from './question.ts';
import { type MetricReader, metricParams } from './metricQuestion.ts';
import { narrowByQuestion } from './narrowRows.ts';
import { type ReadAs, recordPart, type Resolution, resolveStep } from './resolve.ts';
import type { StoredTurn } from '../../sessions/sessionStore.ts';
import type { TemplateEngine } from './template.ts';

export interface AgentRun {
  text: string;
  skill?: string;
  /** False when the skill stopped early (the text then explains why). */
  answered: boolean;
  /** Steps that failed, in plain words; the answer says so and is partial. */
  gaps?: AnswerGap[];
  entities: Record<string, string>;
  dates?: DateRange;
  /** The skill stopped at a call that waits for approval (an approval_needed event was emitted). */
  awaitingApproval?: boolean;
}

export interface RunContext {
  tools: ReadonlyMap<string, ManifestTool>;
  toolbox: Toolbox;
  templates: TemplateEngine;
  now: Date;
  fiscalStart: number;
  /** ISO time for an event happening now (the engine's clock plus elapsed time). */
  at: () => string;
  signal?: AbortSignal;
  /** Reads a question as a metric query, for steps of a `metrics` tool. */
  metrics?: MetricReader;
}

const SUMMARY_CHARS = 200;
const EMPTY_STEP = Object.freeze({
  ok: false, rows: [], columns: [], row_count: 0, rowCount: 0, total_rows: 0, totals: {}, truncated: false, text: '', error: 'skipped',
});

/** A step as its template reads it; `error` is the plain reason, never the tool's own message. */
const stepView = (r: ToolResult, gap: AnswerGap | undefined): Record<string, unknown> => ({
  ok: r.ok, rows: r.rows ?? [], columns: r.columns ?? [], row_count: r.stats.rowCount, rowCount: r.stats.rowCount,
  total_rows: r.stats.totalRows ?? r.stats.rowCount, totals: r.totals ?? {}, truncated: r.stats.truncated,
  text: r.text ?? '', error: gap?.reason ?? '',
});

const rowsSummary = (r: ToolResult): string =>
  r.stats.totalRows !== undefined && r.stats.totalRows !== r.stats.rowCount ? `${r.stats.rowCount} of ${r.stats.totalRows} rows`
  : `${r.stats.rowCount} rows${r.stats.truncated ? ' (more matched)' : ''}`;

const summary = (r: ToolResult): string =>
  (r.error ? `${r.error.code}: ${r.error.message}` : r.rows ? rowsSummary(r) : (r.text ?? '')).slice(0, SUMMARY_CHARS);

/** Where a turn keeps the measure its figure computed, beside the names its lookups bound. */
export const METRIC_MEASURE = 'metrics.measure';

/**
 * A metrics step's parameters: the question read as a metric query, under the step's own `with` values (a skill
 * that always asks for one measure names it there; a value that renders empty, `filters: ""`, keeps the question's
 * reading out of that part). No measure in either is a parameter the question lacks.
 */
async function resolveMetricStep(tool: ManifestTool, step: ManifestSkill['steps'][number], question: Question, scope: Record<string, unknown>, ctx: RunContext,
  previous: StoredTurn | undefined): Promise<Resolution> {
  // A follow-up that names no measure ("and by region?") keeps the one the figure before it computed.
  const reading = ctx.metrics?.read(question, previous?.entities?.[METRIC_MEASURE]);
  // ... and its period too, when it names none of its own (a measure read from the question itself has a place).
  const carried = reading !== undefined && reading.spans.measure.to === reading.spans.measure.from;
  const period = reading?.period ?? (carried ? previous?.dates : undefined);
  const params: Record<string, unknown> = reading ? metricParams({ ...reading, ...(period ? { period } : {}) }) : {};
  for (const [name, expression] of Object.entries(step.with)) {
    const value = (await ctx.templates.render(expression, scope)).trim();
    if (value !== '') params[name] = value;
    else delete params[name];
  }
  if (params.measure === undefined) return { ok: false, parameter: tool.parameters.find((p) => p.name === 'measure')!, fromStep: false };
  return { ok: true, params, entities: { [METRIC_MEASURE]: String(params.measure) }, emptyWith: [], readAs: [], ...(period ? { dates: period } : {}) };
}

/** A lookup by a name the question gave, its matches ordered by the question's other words (narrowRows.ts). */
function namedFirst(tool: ManifestTool, entities: Record<string, string>, question: Question, result: ToolResult): ToolResult {
  if (!result.rows || result.rows.length < 2) return result;
  const source = tool.parameters.map((p) => (p.resolve && 'values' in p.resolve ? p.resolve.values : undefined)).find((v) => v !== undefined && v in entities);
  const field = source?.split('.')[1];
  return field ? { ...result, rows: narrowByQuestion(result.rows, field, question) } : result;
}

export async function* runSkill(
  agent: ManifestAgent, skill: ManifestSkill, question: Question, previous: StoredTurn | undefined, ctx: RunContext,
): AsyncGenerator<TraceEvent, AgentRun> {
  const scope: Record<string, unknown> = { question: question.text, params: {}, now: ctx.now.toISOString() };
  const params = scope.params as Record<string, unknown>;
  const turn = { skill: skill.name, entities: {} as Record<string, string>, dates: undefined as DateRange | undefined };
  const example = skill.examples[0];
  const gaps: AnswerGap[] = [];
  const readAs: ReadAs[] = [];
  let worked = 0;
  // A skill that acts says so when it stops early: the asker must never wonder whether something was changed.
  const acting = skill.steps.map((s) => ctx.tools.get(s.tool)).filter((t): t is ManifestTool => t !== undefined && needsApproval(t));
  const acts = acting.length > 0;
  // The record an action is about is named before its new value or message, never inside it.
  const named = acts ? recordPart(question, acting) : question;
  const said = (text: string): string => (acts && !/nothing (was|to) |changed nothing/iu.test(text) ? `${text} Nothing was changed or sent.` : text);
  const stop = (text: string): AgentRun => ({ ...turn, text: said(text), answered: false, ...(gaps.length ? { gaps } : {}) });
  for (const [i, step] of skill.steps.entries()) {
    const tool = ctx.tools.get(step.tool);
    if (!tool) {
      gaps.push(missingTool(step.tool));
      return stop(nothingChecked(gaps));
    }
    const resolveContext = { question: named, scope, previous, now: ctx.now, fiscalStart: ctx.fiscalStart, templates: ctx.templates, acting: acts };
    const resolved = tool.kind === 'metrics' ? await resolveMetricStep(tool, step, question, scope, ctx, previous) : await resolveStep(tool, step, resolveContext);
    if (!resolved.ok && resolved.ambiguous) return stop(ambiguousName(resolved.ambiguous));
    if (!resolved.ok && resolved.unsure) return stop(didYouMean(resolved.unsure));
    if (!resolved.ok && resolved.several) return stop(severalRecords(resolved.several));
    if (!resolved.ok) {
      // A name the question should have given is missing: say so, even for an optional step. A value an earlier
      // step had no rows for only skips an optional step (its template sees an empty result).
      if (!step.optional || !resolved.fromStep) {
        return stop(unresolved(resolved.parameter, tool, resolved.fromStep ? [] : named.unknownNames, example, resolved.problem));
      }
      scope[step.as ?? step.tool] = EMPTY_STEP;
      continue;
    }
    Object.assign(turn.entities, resolved.entities);
    for (const r of resolved.readAs) if (!readAs.some((x) => x.typed === r.typed)) readAs.push(r);
    turn.dates ??= resolved.dates;
    Object.assign(params, resolved.params);
    const callId = `${agent.name}-${i + 1}`;
    if (needsApproval(tool)) {
      // A call bound to what an earlier step did not find is never proposed: the template says nothing was changed.
      if (resolved.emptyWith.length > 0) {
        scope[step.as ?? step.tool] = EMPTY_STEP;
        continue;
      }
      yield { type: 'approval_needed', agent: agent.name, at: ctx.at(), tool: tool.name, callId, parameters: resolved.params };
      return { ...turn, text: `${tool.name} needs a person's approval before it runs; nothing has been changed yet.`, answered: true, awaitingApproval: true };
    }
    yield { type: 'tool_call', agent: agent.name, at: ctx.at(), tool: tool.name, callId, parameters: resolved.params };
    const startedAt = ctx.at();
    const started = performance.now();
    const result = namedFirst(tool, resolved.entities, question, await ctx.toolbox.run(tool.name, resolved.params, ctx.signal));
    yield {
      type: 'tool_result', agent: agent.name, at: startedAt, durationMs: Math.round(performance.now() - started), tool: tool.name,
      callId, summary: summary(result), ...toolResultFields(result),
    };
    const gap = result.ok ? undefined : gapOf(tool, result.error?.code ?? 'execution');
    scope[step.as ?? step.tool] = stepView(result, gap);
    if (gap) {
      gaps.push(gap);
      if (!step.optional) return stop(nothingChecked(gaps));
      continue;
    }
    worked += 1;
    if (!step.optional && result.rows && result.rows.length === 0) return stop(noRows(resolved.params, example));
  }
  if (worked === 0 && gaps.length > 0) return stop(nothingChecked(gaps));
  // A corrected name leads the answer, so nobody takes a record for the one they typed without being told.
  const readNote = readAs.map((r) => `I read "${r.typed}" as ${r.value}.`).join(' ');
  const rendered = `${readNote ? `_${readNote}_\n\n` : ''}${(await ctx.templates.render(skill.answer, scope)).replace(/\n{3,}/gu, '\n\n').trim()}`;
  if (gaps.length === 0) return { ...turn, text: rendered, answered: true };
  return { ...turn, text: `${rendered}\n\n${notChecked(gaps)}`, answered: true, gaps };
}
