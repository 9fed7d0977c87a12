/**
 * The trace as an indented tree for `revops ask`: the entry agent, the collaborator it delegated to, and under it
 * each tool call with its parameters, rows and time. Reads only the common trace model, so every engine prints
 * the same way.
 */
import type { TraceEvent } from '../engines/trace.ts';

const ms = (d?: number): string => (d === undefined ? '' : ` (${d} ms)`);
const params = (p: Record<string, unknown>): string =>
  Object.entries(p).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ').slice(0, 160);

export function renderTraceTree(events: TraceEvent[]): string {
  const depth = new Map<string, number>();
  const indent = (agent: string): string => '  '.repeat(depth.get(agent) ?? 0);
  const lines: string[] = [];
  const results = new Map(events.flatMap((e) => (e.type === 'tool_result' ? [[e.callId, e] as const] : [])));
  for (const e of events) {
    if (!depth.has(e.agent)) {
      depth.set(e.agent, 0);
      lines.push(`${e.agent}`);
    }
    const pad = `${indent(e.agent)}  `;
    switch (e.type) {
      case 'route':
        lines.push(`${pad}route -> ${e.target} (confidence ${e.confidence ?? 'n/a'}${e.reason ? `; ${e.reason}` : ''})`);
        break;
      case 'delegate':
        if (e.output !== undefined) break; // the return of a delegation: its duration is shown on the collaborator line
        depth.set(e.target, (depth.get(e.agent) ?? 0) + 1);
        lines.push(`${pad}delegate -> ${e.target}${ms(events.find((x) => x.type === 'delegate' && x.target === e.target && x.output !== undefined)?.durationMs)}`);
        break;
      case 'tool_call': {
        const r = results.get(e.callId);
        const of = r?.totalRows !== undefined && r.totalRows !== r.rowCount ? ` of ${r.totalRows}` : '';
        const outcome = !r ? 'no result' : r.ok ? `${r.rowCount ?? 0}${of} ${(r.rowCount ?? 0) === 1 && !of ? 'row' : 'rows'}` : `failed: ${r.error ?? ''}`;
        lines.push(`${pad}tool ${e.tool}(${params(e.parameters)}) -> ${outcome}${ms(r?.durationMs)}`);
        break;
      }
      case 'answer':
        lines.push(`${pad}answer${e.skill ? ` [skill ${e.skill}]` : ''}${ms(e.durationMs)}${e.usage ? ` tokens in ${e.usage.inputTokens} out ${e.usage.outputTokens}` : ''}`);
        break;
      case 'error':
        lines.push(`${pad}error ${e.code}: ${e.message}${ms(e.durationMs)}`);
        break;
      case 'tool_result':
        break;
    }
  }
  return lines.join('\n');
}
