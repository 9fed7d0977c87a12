import { describe, expect, it } from 'vitest';
import { extractFigures, measureGrounding } from '../../../runtime/exports/grounding.ts';
import type { TraceEvent } from '../../../runtime/engines/trace.ts';

const result = (rows: Array<Record<string, unknown>>): TraceEvent => ({
  type: 'tool_result', agent: 'deal_analysis', at: '2026-01-01T00:00:00Z', tool: 't', callId: 'c', ok: true, rowCount: rows.length, rows,
});

describe('grounding', () => {
  it('finds money, percentages, counts and dates, skipping list markers, quarters and years', () => {
    const figures = extractFigures('1. Size: $2.1M in Q4 2025\n2. Probability 75%\n- 1,200 employees, closes 2025-12-31 or Dec 31, 2025');
    expect(figures.map((f) => [f.kind, f.value])).toEqual([
      ['date', '2025-12-31'], ['date', '2025-12-31'], ['money', 2_100_000], ['percent', 75], ['count', 1200],
    ]);
  });

  it.each([
    ['$2.1M', 2_134_000, true],
    ['$2.1M', 2_160_000, false],
    ['$500K', 500_000, true],
    ['$2,100,000', 2_100_000, true],
    ['75%', 75, true],
    ['75%', 0.75, true],
    ['75%', 76, false],
    ['1,200 employees', 1200, true],
    ['12 rows', 13, false],
  ])('%s against a tool value of %d: grounded %s', (answer, value, grounded) => {
    const g = measureGrounding(answer, [result([{ v: value }])]);
    expect(g.ratio).toBe(grounded ? 1 : 0);
  });

  it('grounds counts and sums over all matching records in what the tool said about them, not only in its rows', () => {
    const page: TraceEvent = { ...result([{ amount: 450_000 }]), rowCount: 20, totalRows: 403, totals: { amount: 38_912_000 } } as TraceEvent;
    expect(measureGrounding('403 open deals, worth $38.9M in all; the top 20', [page])).toMatchObject({ ratio: 1, ungrounded: [] });
    expect(measureGrounding('404 open deals', [page]).ungrounded).toEqual(['404']);
  });

  it('matches dates in either spelling against tool dates and timestamps', () => {
    const g = measureGrounding('Closes Dec 31, 2025; last touched 2025-11-20', [result([{ close: '2025-12-31', touched: '2025-11-20T10:00:00Z' }])]);
    expect(g).toMatchObject({ ratio: 1, figures: 2 });
  });

  it('lists the ungrounded figures and reports null when the answer states none', () => {
    const g = measureGrounding('Pipeline is $9.9M at 75% win rate', [result([{ amount: 2_100_000, probability: 75 }])]);
    expect(g).toEqual({ ratio: 0.5, figures: 2, grounded: ['75%'], ungrounded: ['$9.9M'] });
    expect(measureGrounding('No figures here.', []).ratio).toBeNull();
  });

  it('ignores failed tool results', () => {
    const failed: TraceEvent = { ...(result([{ v: 42 }]) as Extract<TraceEvent, { type: 'tool_result' }>), ok: false };
    expect(measureGrounding('42 deals', [failed]).ratio).toBe(0);
  });
});
