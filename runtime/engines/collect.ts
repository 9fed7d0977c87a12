/**
 * Drains an engine's event stream into one result: the entry agent's final answer (the last event), the
 * collaborator that answered (the last delegation target, else the entry agent itself), the skill (offline) and
 * every event in order. Works for all three engines because it reads only the common trace model.
 */
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
  events: TraceEvent[];
}

export function summarise(events: TraceEvent[]): InvokeResult {
  const last = events[events.length - 1];
  if (!last) {
    const error = { code: 'no_events', message: 'The engine ended without an answer or an error event.' };
    return { answer: '', agent: '', status: 'failed', error, events, notDone: [] };
  }
  const delegated = events.filter((e) => e.type === 'delegate' || (e.type === 'route' && e.target !== last.agent)).at(-1);
  const agent = delegated && 'target' in delegated ? delegated.target : last.agent;
  const skill = [...events].reverse().find((e) => e.type === 'answer' && e.skill !== undefined);
  const answerSkill = skill?.type === 'answer' ? skill.skill : undefined;
  if (last.type === 'answer') return { answer: last.text, agent, status: 'done', events, notDone: last.notDone ?? [], ...(answerSkill ? { skill: answerSkill } : {}) };
  const error = last.type === 'error' ? { code: last.code, message: last.message }
    : { code: 'no_answer', message: `The engine's last event was ${last.type}, not an answer.` };
  return { answer: '', agent, status: 'failed', error, events, notDone: [], ...(answerSkill ? { skill: answerSkill } : {}) };
}

export async function collect(events: AsyncIterable<TraceEvent>): Promise<InvokeResult> {
  const all: TraceEvent[] = [];
  for await (const event of events) all.push(event);
  return summarise(all);
}
