/**
 * Turns an engine's trace events into the Outcome a channel delivers. An empty or failed answer becomes a short
 * apology naming the correlation id, so users never get silence, an empty message or a stack trace (all three
 * happened in the seed's implementation).
 */
import { summarise } from '../engines/collect.ts';
import type { ToolKind } from '../../compiler/manifest.ts';
import type { TraceEvent } from '../engines/trace.ts';
import type { InboundMessage, Outcome } from './inbound.ts';

export function apology(correlationId: string, code: string): string {
  return `Sorry, I could not answer this one (${code}). Please try again; if it keeps failing, quote reference ${correlationId}.`;
}

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
