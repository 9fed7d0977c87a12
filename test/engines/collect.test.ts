/** engines/collect.ts: the one count of SQL queries (issue 12). */
import { describe, expect, it } from 'vitest';
import { countSqlQueries, summarise } from '../../runtime/engines/collect.ts';
import type { TraceEvent } from '../../runtime/engines/trace.ts';

const at = '2026-01-01T00:00:00.000Z';
const call = (tool: string, callId: string): TraceEvent => ({ type: 'tool_call', agent: 'data', at, tool, callId, parameters: {} });
const result = (tool: string, callId: string, ok: boolean, rowCount?: number): TraceEvent =>
  ({ type: 'tool_result', agent: 'data', at, tool, callId, ok, ...(rowCount !== undefined ? { rowCount } : {}) });
const run: TraceEvent[] = [
  call('deal_lookup', 'a'), result('deal_lookup', 'a', true, 3),
  call('firebolt_writer', 'b'), result('firebolt_writer', 'b', false),
  call('adhoc', 'c'), result('adhoc', 'c', false),
  call('gong_retrieval', 'd'), result('gong_retrieval', 'd', true, 2),
  call('deal_lookup', 'e'),
  { type: 'answer', agent: 'manager', at, text: 'done' },
];
const kinds = { deal_lookup: 'sql', firebolt_writer: 'sql_write', adhoc: 'sql_query', gong_retrieval: 'gong' } as const;

describe('countSqlQueries', () => {
  it('counts every call of an SQL-kind tool, failed and unanswered ones too, and no other kind', () => {
    expect(countSqlQueries(run, kinds)).toBe(4);
  });

  it('without tool kinds, counts the calls whose result carried a row count', () => {
    expect(countSqlQueries(run)).toBe(2);
  });

  it('is the count the collector reports', () => {
    expect(summarise(run, kinds).sqlQueries).toBe(4);
    expect(summarise([], kinds).sqlQueries).toBe(0);
  });
});
