/**
 * Drains an engine's event stream into one result: the entry agent's final answer (the last event), the
 * collaborator that answered (the last delegation target, else the entry agent itself), the skill (offline) and
 * every event in order, and the one count of SQL queries the run made. Works for all three engines because it reads
 * only the common trace model.
 */
import type { ToolKind } from '../../compiler/manifest.ts';
import type { NotDone, TraceEvent } from './trace.ts';

export interface InvokeResult {
  answer: string;
  /** The collaborator that answered; the entry agent when it answered itself. */
  agent: string;
  skill?: string;
  status: 'done' | 'failed';
  error?: { code: string; message: string };
  /** Parts of the question not applied or not done, from the final answer (empty when everything was done). */
  notDone: NotDone[];
  /** `countSqlQueries` of the events. */
  sqlQueries: number;
  events: TraceEvent[];
}

/** Kinds whose call sends one SQL statement to the warehouse (a metrics query is built SQL). */
const SQL_KINDS: ReadonlySet<ToolKind> = new Set(['sql', 'sql_query', 'sql_write', 'metrics']);

/**
 * The one count of SQL queries a run made: metrics (SQLQueriesExecuted), the conversation export (`sql_queries`)
 * and the webhook payload (`queries_executed`) all report it. Every call of a tool of an SQL kind counts, whether
 * it succeeded or failed: a failed query was still sent (a timeout, a warehouse error, a guard's refusal), and a
 * count that left failures out would hide the load and the errors. Without tool kinds (tests, a manifest-less
 * caller) a call whose result carried a row count counts.
 */
export function countSqlQueries(events: readonly TraceEvent[], toolKinds?: Record<string, ToolKind>): number {
  if (toolKinds) return events.filter((e) => e.type === 'tool_call' && SQL_KINDS.has(toolKinds[e.tool]!)).length;
  const withRows = new Set(events.flatMap((e) => (e.type === 'tool_result' && e.rowCount !== undefined ? [e.callId] : [])));
  return events.filter((e) => e.type === 'tool_call' && withRows.has(e.callId)).length;
}

export function summarise(events: TraceEvent[], toolKinds?: Record<string, ToolKind>): InvokeResult {
  const last = events[events.length - 1];
  const sqlQueries = countSqlQueries(events, toolKinds);
  if (!last) {
    const error = { code: 'no_events', message: 'The engine ended without an answer or an error event.' };
    return { answer: '', agent: '', status: 'failed', error, events, notDone: [], sqlQueries };
  }
  const delegated = events.filter((e) => e.type === 'delegate' || (e.type === 'route' && e.target !== last.agent)).at(-1);
  const agent = delegated && 'target' in delegated ? delegated.target : last.agent;
  const skill = [...events].reverse().find((e) => e.type === 'answer' && e.skill !== undefined);
  const answerSkill = skill?.type === 'answer' ? skill.skill : undefined;
  if (last.type === 'answer') return { answer: last.text, agent, status: 'done', events, notDone: last.notDone ?? [], sqlQueries, ...(answerSkill ? { skill: answerSkill } : {}) };
  const error = last.type === 'error' ? { code: last.code, message: last.message }
    : { code: 'no_answer', message: `The engine's last event was ${last.type}, not an answer.` };
  return { answer: '', agent, status: 'failed', error, events, notDone: [], sqlQueries, ...(answerSkill ? { skill: answerSkill } : {}) };
}

export async function collect(events: AsyncIterable<TraceEvent>, toolKinds?: Record<string, ToolKind>): Promise<InvokeResult> {
  const all: TraceEvent[] = [];
  for await (const event of events) all.push(event);
  return summarise(all, toolKinds);
}
