/**
 * The result payload delivered to the receiver: the seed's fields (tracking_id, source_system, source_process,
 * original_query, ai_response, processing_metadata, webhook_metadata) plus `status` and `error`, so that a failed
 * request is delivered too, saying so, instead of the seed's silence.
 */
import type { Outcome, OutcomeAction, WebhookInbound } from '../../processing/inbound.ts';
import type { PendingActionView } from './statusStore.ts';
import type { TraceEvent } from '../../engines/trace.ts';

export interface ResultPayload {
  tracking_id: string;
  status: 'done' | 'failed' | 'awaiting_approval';
  source_system: string;
  source_process: string | null;
  original_query: string;
  ai_response: { response: string; response_plain: string; session_id: string; timestamp: string };
  processing_metadata: {
    total_duration_seconds: number;
    agents_invoked: string[];
    data_sources: string[];
    queries_executed: number;
    skill: string | null;
  };
  error: { code: string; message: string } | null;
  /** The action waiting for approval (approve or reject it at /webhook/{tracking_id}/approve|reject), or the one settled. */
  pending_action: PendingActionView | null;
  webhook_metadata: { delivered_at: string; delivery_attempt: number };
}

export function buildResultPayload(message: WebhookInbound, outcome: Outcome, delivery: { at: string; attempt: number }): ResultPayload {
  return {
    tracking_id: message.webhook.trackingId,
    status: outcome.status,
    source_system: message.webhook.sourceSystem,
    source_process: message.webhook.sourceProcess ?? null,
    original_query: message.text,
    ai_response: {
      response: outcome.answer,
      response_plain: markdownToPlain(outcome.answer),
      session_id: message.webhook.sessionId,
      timestamp: outcome.finishedAt,
    },
    processing_metadata: {
      total_duration_seconds: round((Date.parse(outcome.finishedAt) - Date.parse(outcome.startedAt)) / 1000),
      agents_invoked: agentsInvoked(outcome.events),
      data_sources: dataSources(outcome.events),
      queries_executed: outcome.sqlQueries,
      skill: outcome.skill ?? null,
    },
    error: outcome.error ?? null,
    pending_action: outcome.action ? actionView(outcome.action) : null,
    webhook_metadata: { delivered_at: delivery.at, delivery_attempt: delivery.attempt },
  };
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

export function agentsInvoked(events: readonly TraceEvent[]): string[] {
  const agents = new Set<string>();
  for (const e of events) {
    agents.add(e.agent);
    if (e.type === 'delegate') agents.add(e.target);
  }
  return [...agents];
}

/** Tools the agents called, by name (the seed listed systems such as "Firebolt"; tool names say more). */
export const dataSources = (events: readonly TraceEvent[]): string[] =>
  [...new Set(events.flatMap((e) => (e.type === 'tool_call' ? [e.tool] : [])))];

/** Markdown reduced to plain text for receivers that cannot render it (the seed's response_plain). */
export function markdownToPlain(markdown: string): string {
  return markdown
    .replace(/```[a-z]*\n?/gi, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^*\w])[*_]([^*_\n]+)[*_](?=[^*\w]|$)/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/^\s*[-*+]\s+/gm, '- ')
    .trim();
}

export const actionView = (action: OutcomeAction): PendingActionView => ({
  id: action.id, tool: action.tool, status: action.status, expires_at: action.expiresAt, preview: action.preview,
  ...(action.askerId ? { asked_by: action.askerId } : {}), ...(action.decidedBy ? { decided_by: action.decidedBy } : {}),
});
