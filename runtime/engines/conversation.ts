/**
 * The conversation record: what the seed exported per question (user input, agent invocations, tool executions,
 * collaboration map, response, timings, errors, counts), built from trace events alone so it is the same whatever
 * engine ran. Exports and metrics read it; field names are the seed's, in snake_case, and fixed here once (the
 * original drifted between writer and reader).
 */
import type { ToolKind } from '../../compiler/manifest.ts';
import { countSqlQueries } from './collect.ts';
import type { AnswerGap, TraceEvent } from './trace.ts';

export interface ConversationInput {
  text: string;
  sessionId: string;
  correlationId: string;
  channel: string;
  /** ISO 8601. */
  startedAt: string;
  /** Tool name -> kind, to count SQL queries (collect.ts `countSqlQueries`). */
  toolKinds?: Record<string, ToolKind>;
}

export interface AgentInvocation {
  agent: string;
  started_at: string;
  duration_ms: number;
}

export interface ToolExecution {
  tool: string;
  agent: string;
  call_id: string;
  parameters: Record<string, unknown>;
  rows?: number;
  /** Records that matched in all, when the rows returned were cut. */
  total_rows?: number;
  started_at: string;
  duration_ms?: number;
  ok: boolean;
  error?: string;
}

export interface Handoff {
  from: string;
  to: string;
  at: string;
  input: string;
  output?: string;
  duration_ms?: number;
}

export type ConversationStatus = 'done' | 'partial' | 'failed';

export interface ConversationRecord {
  conversation_id: string;
  session_id: string;
  channel: string;
  started_at: string;
  finished_at: string;
  user_input: { text: string; channel: string; session_id: string; received_at: string };
  agent_invocations: AgentInvocation[];
  tool_executions: ToolExecution[];
  collaboration_map: Handoff[];
  /** `partial`: answered, but some steps failed; `gaps` says what could not be checked, in the answer's words. */
  response_content: { text: string; agent: string; skill?: string; status: ConversationStatus; gaps?: AnswerGap[] };
  /** Milliseconds: total, per agent and per tool (summed over calls). */
  timing_data: { total_ms: number; agents: Record<string, number>; tools: Record<string, number> };
  error_handling: Array<{ agent: string; at: string; code: string; message: string }>;
  counts: { agents: number; tools: number; sql_queries: number };
}

const ms = (iso: string): number => Date.parse(iso);
const endOf = (e: TraceEvent): number => ms(e.at) + (e.durationMs ?? 0);

export function buildConversationRecord(input: ConversationInput, events: TraceEvent[]): ConversationRecord {
  const start = ms(input.startedAt);
  const finish = Math.max(start, ...events.map(endOf));
  const agents = new Map<string, { from: number; to: number }>();
  for (const e of events) {
    const span = agents.get(e.agent) ?? { from: ms(e.at), to: endOf(e) };
    agents.set(e.agent, { from: Math.min(span.from, ms(e.at)), to: Math.max(span.to, endOf(e)) });
  }
  const results = new Map(events.flatMap((e) => (e.type === 'tool_result' ? [[e.callId, e] as const] : [])));
  const tool_executions: ToolExecution[] = events.flatMap((e) => {
    if (e.type !== 'tool_call') return [];
    const r = results.get(e.callId);
    return [{
      tool: e.tool, agent: e.agent, call_id: e.callId, parameters: e.parameters, started_at: e.at, ok: r?.ok ?? false,
      ...(r?.rowCount !== undefined ? { rows: r.rowCount } : {}), ...(r?.totalRows !== undefined ? { total_rows: r.totalRows } : {}),
      ...(r?.durationMs !== undefined ? { duration_ms: r.durationMs } : {}),
      ...(r?.error ? { error: r.error } : r ? {} : { error: 'no result recorded' }),
    }];
  });
  // A delegation is reported twice (when it starts, and with the output when it returns): keep the latest per target.
  const handoffs = new Map<string, Handoff>();
  for (const e of events) {
    if (e.type !== 'delegate') continue;
    const key = `${e.agent}->${e.target}@${e.at}`;
    handoffs.set(key, { from: e.agent, to: e.target, at: e.at, input: e.input,
      ...(e.output !== undefined ? { output: e.output } : {}), ...(e.durationMs !== undefined ? { duration_ms: e.durationMs } : {}) });
  }
  const last = events[events.length - 1];
  const answered = last?.type === 'answer';
  const delegated = [...handoffs.values()].at(-1);
  const skill = [...events].reverse().find((e) => e.type === 'answer' && e.skill);
  const toolTimes: Record<string, number> = {};
  for (const t of tool_executions) toolTimes[t.tool] = (toolTimes[t.tool] ?? 0) + (t.duration_ms ?? 0);
  return {
    conversation_id: input.correlationId,
    session_id: input.sessionId,
    channel: input.channel,
    started_at: input.startedAt,
    finished_at: new Date(finish).toISOString(),
    user_input: { text: input.text, channel: input.channel, session_id: input.sessionId, received_at: input.startedAt },
    agent_invocations: [...agents].map(([agent, s]) => ({ agent, started_at: new Date(s.from).toISOString(), duration_ms: Math.round(s.to - s.from) })),
    tool_executions,
    collaboration_map: [...handoffs.values()],
    response_content: {
      text: answered ? last.text : '', agent: delegated?.to ?? last?.agent ?? '',
      status: !answered ? 'failed' : last.gaps?.length ? 'partial' : 'done',
      ...(skill?.type === 'answer' && skill.skill ? { skill: skill.skill } : {}),
      ...(answered && last.gaps?.length ? { gaps: last.gaps } : {}),
    },
    timing_data: {
      total_ms: Math.round(finish - start),
      agents: Object.fromEntries([...agents].map(([a, s]) => [a, Math.round(s.to - s.from)])),
      tools: toolTimes,
    },
    error_handling: events.flatMap((e) => e.type === 'error' ? [{ agent: e.agent, at: e.at, code: e.code, message: e.message }]
      : e.type === 'tool_result' && !e.ok ? [{ agent: e.agent, at: e.at, code: 'tool_failed', message: `${e.tool}: ${e.error ?? 'failed'}` }] : []),
    counts: { agents: agents.size, tools: tool_executions.length, sql_queries: countSqlQueries(events, input.toolKinds) },
  };
}
