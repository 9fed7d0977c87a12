/**
 * The shipped SQL tools and the metrics layer mean the same by open pipeline, weighted pipeline, closed-won revenue,
 * deal counts and win rate: each figure a tool's SQL computes equals the layer's measure over the same records,
 * computed both ways on the sample warehouse. A tool (or a measure) whose definition drifts fails here.
 */
import { describe, expect, it } from 'vitest';
import type { Row } from '../../../../runtime/warehouse/warehouse.ts';
import { seededProjectPerFile } from './seedProject.ts';

const seeded = seededProjectPerFile();

/** A quarter behind the clock (mostly closed deals), the current one (open and closed) and a whole year. */
const PERIODS = [
  { period_start: '2025-07-01', period_end: '2025-09-30' },
  { period_start: '2025-10-01', period_end: '2025-12-31' },
  { period_start: '2025-01-01', period_end: '2025-12-31' },
];

const run = async (tool: string, params: Record<string, unknown>) => {
  const r = await seeded.project.toolbox.run(tool, params);
  expect(r.ok, r.error?.message).toBe(true);
  return r;
};
const rowsOf = async (tool: string, params: Record<string, unknown>): Promise<Row[]> => (await run(tool, params)).rows!;

/** The layer's figure for the period, over every matching record. */
async function measure(name: string, period: (typeof PERIODS)[number], extra: Record<string, string> = {}) {
  const r = await run('query_metrics', { measure: name, period: `${period.period_start}..${period.period_end}`, ...extra });
  return { value: Number(r.totals!.value ?? 0), records: Number(r.totals!.records), rows: r.rows! };
}

const sum = (rows: readonly Row[], column: string): number => rows.reduce((s, r) => s + Number(r[column] ?? 0), 0);
const byGroup = (rows: readonly Row[], key: string, column: string): Record<string, number> =>
  Object.fromEntries(rows.map((r) => [String(r[key]), Number(r[column] ?? 0)]));
const monthKey = (value: unknown): string => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()).slice(0, 7);

describe.each(PERIODS)('tools and metrics agree, $period_start to $period_end', (period) => {
  it('segment_performance: open and weighted pipeline, closed-won and win rate per segment', async () => {
    const rows = await rowsOf('segment_performance', period);
    expect(rows.length).toBeGreaterThan(0);
    const opts = { group_by: 'segment', limit: '200' };
    const [pipeline, weighted, won, wonCount, openCount, winRate] = await Promise.all(
      ['pipeline', 'weighted_pipeline', 'closed_won', 'won_deal_count', 'open_deal_count', 'win_rate'].map((m) => measure(m, period, opts)));
    const missingAsZero = (figures: Record<string, number>) => Object.fromEntries(rows.map((r) => [String(r.segment), figures[String(r.segment)] ?? 0]));
    for (const [column, figure] of [['open_pipeline', pipeline], ['weighted_pipeline', weighted], ['closed_won', won], ['won_deals', wonCount], ['open_deals', openCount]] as const) {
      const tool = byGroup(rows, 'segment', column);
      const layer = missingAsZero(byGroup(figure!.rows, 'segment', 'value'));
      for (const segment of Object.keys(tool)) expect(layer[segment], `${column} ${segment}`).toBeCloseTo(tool[segment]!, 2);
      expect(figure!.value, column).toBeCloseTo(sum(rows, column), 2);
    }
    const rates = byGroup(winRate!.rows, 'segment', 'value');
    for (const r of rows) {
      if (r.win_rate_pct === null) expect(rates[String(r.segment)]).toBeUndefined();
      else expect(Math.round(rates[String(r.segment)]!), `win rate ${r.segment}`).toBe(Number(r.win_rate_pct));
    }
  });

  it('revenue_trend: closed-won, open and weighted pipeline per month', async () => {
    const rows = await rowsOf('revenue_trend', period);
    expect(rows.length).toBeGreaterThan(0);
    for (const [column, name] of [['closed_won', 'closed_won'], ['open_pipeline', 'pipeline'], ['weighted_pipeline', 'weighted_pipeline'], ['won_deals', 'won_deal_count']] as const) {
      const layer = await measure(name, period, { group_by: 'month' });
      const months = Object.fromEntries(layer.rows.map((r) => [monthKey(r.month), Number(r.value)]));
      for (const r of rows) expect(months[monthKey(r.month)] ?? 0, `${column} ${monthKey(r.month)}`).toBeCloseTo(Number(r[column]), 2);
      expect(layer.value, column).toBeCloseTo(sum(rows, column), 2);
    }
  });

  it('pipeline_by_stage: late-stage open pipeline, weighted value and deal count per stage', async () => {
    const rows = await rowsOf('pipeline_by_stage', period);
    const opts = { group_by: 'stage', filters: 'stage = Negotiate | Proposal | Verbal Commit' };
    const [pipeline, weighted, count] = await Promise.all(['pipeline', 'weighted_pipeline', 'open_deal_count'].map((m) => measure(m, period, opts)));
    for (const [column, figure] of [['total_value', pipeline], ['weighted_value', weighted], ['deal_count', count]] as const) {
      expect(byGroup(figure!.rows, 'stage', 'value'), column).toEqual(
        Object.fromEntries(Object.entries(byGroup(rows, 'stage_name', column)).map(([k, v]) => [k, expect.closeTo(v, 2)])));
    }
  });

  it('pipeline_risk: its categories add up to the open pipeline and the open deal count', async () => {
    const rows = await rowsOf('pipeline_risk', period);
    const [pipeline, count] = await Promise.all([measure('pipeline', period), measure('open_deal_count', period)]);
    expect(pipeline.value).toBeCloseTo(sum(rows, 'total_value'), 2);
    expect(count.value).toBe(sum(rows, 'deal_count'));
    expect(pipeline.records).toBe(sum(rows, 'deal_count'));
  });

  it('top_opportunities: the totals of open $100K+ deals', async () => {
    const r = await run('top_opportunities', { ...period, min_amount: 100_000 });
    const opts = { filters: 'amount >= 100000' };
    const [pipeline, weighted] = await Promise.all([measure('pipeline', period, opts), measure('weighted_pipeline', period, opts)]);
    expect(pipeline.records).toBe(r.stats.totalRows);
    if (pipeline.records === 0) return;
    expect(pipeline.value).toBeCloseTo(Number(r.totals!.amount), 2);
    expect(weighted.value).toBeCloseTo(Number(r.totals!.weighted), 2);
  });
});
