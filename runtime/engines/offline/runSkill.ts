/**
 * Runs one skill inside a collaborator: its steps in order (parameters resolved per step, then the tool through
 * the toolbox), emitting `tool_call` / `tool_result` events, then renders the skill's answer template from what the
 * steps returned. Stops with a plain explanation when a required parameter cannot be filled, a non-optional step
 * returns no rows, or a non-optional tool fails. A tool that needs approval is not called: the skill stops with an
 * `approval_needed` event carrying the resolved call (runtime/approvals takes it from there).
 */
import { needsApproval, type ManifestAgent, type ManifestSkill, type ManifestTool } from '../../../compiler/manifest.ts';
import type { Toolbox, ToolResult } from '../../tools/toolbox.ts';
import type { TraceEvent } from '../trace.ts';
import type { DateRange } from './dates.ts';
import { noRows, notExact, toolFailed, unresolved } from './honest.ts';
import type { Question } from './question.ts';
import { resolveStep } from './resolve.ts';
import type { SessionTurn } from './session.ts';
import type { TemplateEngine } from './template.ts';

export interface AgentRun {
  text: string;
  skill?: string;
  /** False when the skill stopped early (the text then explains why). */
  answered: boolean;
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
}

const SUMMARY_CHARS = 200;
const EMPTY_STEP = Object.freeze({ ok: false, rows: [], columns: [], row_count: 0, rowCount: 0, truncated: false, text: '', error: 'skipped' });

const stepView = (r: ToolResult): Record<string, unknown> => ({
  ok: r.ok, rows: r.rows ?? [], columns: r.columns ?? [], row_count: r.stats.rowCount, rowCount: r.stats.rowCount,
  truncated: r.stats.truncated, text: r.text ?? '', error: r.error?.message ?? '',
});

const summary = (r: ToolResult): string =>
  (r.error ? `${r.error.code}: ${r.error.message}` : r.rows ? `${r.stats.rowCount} rows` : (r.text ?? '')).slice(0, SUMMARY_CHARS);

export async function* runSkill(
  agent: ManifestAgent, skill: ManifestSkill, question: Question, previous: SessionTurn | undefined, ctx: RunContext,
): AsyncGenerator<TraceEvent, AgentRun> {
  const scope: Record<string, unknown> = { question: question.text, params: {}, now: ctx.now.toISOString() };
  const params = scope.params as Record<string, unknown>;
  const turn = { skill: skill.name, entities: {} as Record<string, string>, dates: undefined as DateRange | undefined };
  const example = skill.examples[0];
  const stop = (text: string): AgentRun => ({ ...turn, text, answered: false });
  const inexact: string[] = [];
  for (const [i, step] of skill.steps.entries()) {
    const tool = ctx.tools.get(step.tool);
    if (!tool) return stop(toolFailed(step.tool, 'unknown_tool', `The manifest has no tool named ${step.tool}.`));
    const resolved = await resolveStep(tool, step, { question, scope, previous, now: ctx.now, fiscalStart: ctx.fiscalStart, templates: ctx.templates });
    if (!resolved.ok) {
      // A name the question should have given is missing: say so, even for an optional step. A value an earlier
      // step had no rows for only skips an optional step (its template sees an empty result).
      if (!step.optional || !resolved.fromStep) {
        return stop(unresolved(resolved.parameter, tool, resolved.fromStep ? [] : question.unknownNames, example, resolved.problem));
      }
      scope[step.as ?? step.tool] = EMPTY_STEP;
      continue;
    }
    inexact.push(...resolved.inexact);
    Object.assign(turn.entities, resolved.entities);
    turn.dates ??= resolved.dates;
    Object.assign(params, resolved.params);
    const callId = `${agent.name}-${i + 1}`;
    if (needsApproval(tool)) {
      // A call bound to what an earlier step did not find is never proposed: the template says nothing was changed.
      if (resolved.emptyWith.length > 0) {
        scope[step.as ?? step.tool] = EMPTY_STEP;
        continue;
      }
      // A change is proposed only for a record named exactly: a near match is a guess, and a write on a guess is not.
      if (inexact.length > 0) return stop(notExact(inexact, Object.values(turn.entities)));
      yield { type: 'approval_needed', agent: agent.name, at: ctx.at(), tool: tool.name, callId, parameters: resolved.params };
      return { ...turn, text: `${tool.name} needs a person's approval before it runs; nothing has been changed yet.`, answered: true, awaitingApproval: true };
    }
    yield { type: 'tool_call', agent: agent.name, at: ctx.at(), tool: tool.name, callId, parameters: resolved.params };
    const startedAt = ctx.at();
    const started = performance.now();
    const result = await ctx.toolbox.run(tool.name, resolved.params, ctx.signal);
    yield {
      type: 'tool_result', agent: agent.name, at: startedAt, durationMs: Math.round(performance.now() - started), tool: tool.name,
      callId, ok: result.ok, rowCount: result.stats.rowCount, summary: summary(result),
      ...(result.rows ? { rows: result.rows } : {}), ...(result.error ? { error: `${result.error.code}: ${result.error.message}` } : {}),
    };
    scope[step.as ?? step.tool] = stepView(result);
    if (step.optional) continue;
    if (!result.ok) return stop(toolFailed(tool.name, result.error?.code ?? 'execution', result.error?.message ?? ''));
    if (result.rows && result.rows.length === 0) return stop(noRows(tool, resolved.params, example));
  }
  const text = (await ctx.templates.render(skill.answer, scope)).replace(/\n{3,}/gu, '\n\n').trim();
  return { ...turn, text, answered: true };
}
