import { describe, expect, it } from 'vitest';
import { collect, summarise } from '../../../runtime/engines/collect.ts';
import { buildConversationRecord } from '../../../runtime/engines/conversation.ts';
import type { TraceEvent } from '../../../runtime/engines/trace.ts';

const t = (ms: number): string => new Date(Date.UTC(2025, 10, 14, 9, 0, 0, ms)).toISOString();
/** A trace as a model-driven engine emits it: no collaborator answer event, a failed and a good tool call. */
const events: TraceEvent[] = [
  { type: 'route', agent: 'manager', at: t(0), target: 'data', confidence: 0.9 },
  { type: 'delegate', agent: 'manager', at: t(10), target: 'data', input: 'pipeline?' },
  { type: 'tool_call', agent: 'data', at: t(20), tool: 'pipeline_by_stage', callId: 'c1', parameters: { period_start: '2025-10-01' } },
  { type: 'tool_result', agent: 'data', at: t(20), durationMs: 30, tool: 'pipeline_by_stage', callId: 'c1', ok: true, rowCount: 3 },
  { type: 'tool_call', agent: 'data', at: t(60), tool: 'web_search', callId: 'c2', parameters: { query: 'x' } },
  { type: 'tool_result', agent: 'data', at: t(60), durationMs: 5, tool: 'web_search', callId: 'c2', ok: false, error: 'not_configured: set WEB_SEARCH_API_KEY' },
  { type: 'delegate', agent: 'manager', at: t(10), durationMs: 70, target: 'data', input: 'pipeline?', output: 'Pipeline: $1M' },
  { type: 'answer', agent: 'manager', at: t(0), durationMs: 100, text: 'Pipeline: $1M', usage: { inputTokens: 10, outputTokens: 5 } },
];
const kinds = { pipeline_by_stage: 'sql', web_search: 'web_search' } as const;
const input = { text: 'pipeline?', sessionId: 's1', correlationId: 'corr-1', channel: 'webhook', startedAt: t(0), toolKinds: kinds };

describe('collect', () => {
  it('takes the final answer from the last event and the answering collaborator from the delegation', async () => {
    async function* stream() { yield* events; }
    expect(await collect(stream())).toMatchObject({ answer: 'Pipeline: $1M', agent: 'data', status: 'done', events });
  });

  it('reports failure when the stream ends in an error, or ends empty', () => {
    const failed = summarise([events[0]!, { type: 'error', agent: 'manager', at: t(5), code: 'throttled', message: 'slow down' }]);
    expect(failed).toMatchObject({ status: 'failed', agent: 'data', answer: '', error: { code: 'throttled', message: 'slow down' } });
    expect(summarise([])).toMatchObject({ status: 'failed', error: { code: 'no_events' } });
  });

  it('names the entry agent when it answered itself', () => {
    const r = summarise([{ type: 'route', agent: 'manager', at: t(0), target: 'manager' }, { type: 'answer', agent: 'manager', at: t(0), text: 'I can help with...' }]);
    expect(r).toMatchObject({ agent: 'manager', status: 'done' });
  });
});

describe('buildConversationRecord', () => {
  const record = buildConversationRecord(input, events);

  it('records input, invocations with durations, and one handoff with its output', () => {
    expect(record).toMatchObject({ conversation_id: 'corr-1', session_id: 's1', channel: 'webhook', started_at: t(0), finished_at: t(100) });
    expect(record.user_input).toEqual({ text: 'pipeline?', channel: 'webhook', session_id: 's1', received_at: t(0) });
    expect(record.agent_invocations).toEqual([
      { agent: 'manager', started_at: t(0), duration_ms: 100 },
      { agent: 'data', started_at: t(20), duration_ms: 45 },
    ]);
    expect(record.collaboration_map).toEqual([{ from: 'manager', to: 'data', at: t(10), input: 'pipeline?', output: 'Pipeline: $1M', duration_ms: 70 }]);
  });

  it('pairs tool calls with results, keeps errors, and counts SQL by tool kind', () => {
    expect(record.tool_executions).toEqual([
      { tool: 'pipeline_by_stage', agent: 'data', call_id: 'c1', parameters: { period_start: '2025-10-01' }, started_at: t(20), ok: true, rows: 3, duration_ms: 30 },
      { tool: 'web_search', agent: 'data', call_id: 'c2', parameters: { query: 'x' }, started_at: t(60), ok: false, duration_ms: 5, error: 'not_configured: set WEB_SEARCH_API_KEY' },
    ]);
    expect(record.error_handling).toEqual([{ agent: 'data', at: t(60), code: 'tool_failed', message: 'web_search: not_configured: set WEB_SEARCH_API_KEY' }]);
    expect(record.counts).toEqual({ agents: 2, tools: 2, sql_queries: 1 });
    expect(record.timing_data).toEqual({ total_ms: 100, agents: { manager: 100, data: 45 }, tools: { pipeline_by_stage: 30, web_search: 5 } });
    expect(record.response_content).toEqual({ text: 'Pipeline: $1M', agent: 'data', status: 'done' });
  });

  it('without tool kinds, counts tools that returned rows as queries; a call with no result is an error', () => {
    const r = buildConversationRecord({ ...input, toolKinds: undefined }, events.slice(0, 5));
    expect(r.counts.sql_queries).toBe(1);
    expect(r.tool_executions[1]).toMatchObject({ tool: 'web_search', ok: false, error: 'no result recorded' });
    expect(r.response_content.status).toBe('failed');
  });
});
