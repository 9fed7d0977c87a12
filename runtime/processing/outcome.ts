/**
 * Turns an engine's trace events into the Outcome a channel delivers. An empty or failed answer becomes the apology
 * (apology.ts) naming the error code and the correlation id.
 */
import type { ToolKind } from '../../compiler/manifest.ts';
import { summarise } from '../engines/collect.ts';
import type { TraceEvent } from '../engines/trace.ts';
import { apology } from './apology.ts';
import type { InboundMessage, Outcome } from './inbound.ts';

export function buildOutcome(
  message: InboundMessage, events: TraceEvent[], startedAt: string, finishedAt: string, toolKinds?: Record<string, ToolKind>,
): Outcome {
  const result = summarise(events, toolKinds);
  const answer = result.answer.trim();
  const route = { ...(result.agent ? { agent: result.agent } : {}), ...(result.skill ? { skill: result.skill } : {}) };
  const { sqlQueries } = result;
  if (result.status === 'done' && answer) {
    return { status: 'done', answer, ...route, events, sqlQueries, startedAt, finishedAt };
  }
  const error = result.status === 'done'
    ? { code: 'empty_answer', message: 'The agents finished without any answer text.' }
    : result.error ?? { code: 'no_answer', message: 'The agents finished without an answer.' };
  return { status: 'failed', answer: apology(message.id, error.code), ...route, error, events, sqlQueries, startedAt, finishedAt };
}
