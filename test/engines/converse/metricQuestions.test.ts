/**
 * The quoted metric questions, and each kind of query (measure, dimension, value and threshold filters,
 * period, comparison, time grain, top and bottom N), asked of query_metrics by a scripted model in one Converse
 * run: every figure handed back equals what SQL written by hand gives over the same sample warehouse (the clock is
 * Nov 14, 2025, so "2026" reads as 2025, "Q1 2027" as Q1 2026, "Q3 and Q4" stay as they are).
 */
import { BedrockRuntimeClient, ConverseCommand, type ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { collect } from '../../../runtime/engines/collect.ts';
import { createConverseEngine } from '../../../runtime/engines/converse/index.ts';
import type { Row } from '../../../runtime/warehouse/warehouse.ts';
import { NOW, callsTool, says, shippedProject, type ShippedProject } from './scripted.ts';

const bedrock = mockClient(BedrockRuntimeClient);
let project: ShippedProject;
let requests: ConverseCommandInput[];
let events: Awaited<ReturnType<typeof collect>>['events'];

const ACCOUNT = 'FROM opportunities o LEFT JOIN accounts a ON a.id = o.account_id';
const LATEST_SEATS = `FROM product_usage u LEFT JOIN accounts a ON a.id = u.account_id WHERE u.month = (SELECT MAX(month) FROM product_usage)`;

/** Each question, the call a model makes for it, and the hand-written SQL of its total (`v`) or its rows (`g`, `v`). */
const QUESTIONS: Array<{ ask: string; call: Record<string, string | number>; total?: string; rows?: string; compare?: string }> = [
  { ask: 'average deal size for Enterprise deals won in 2026',
    call: { measure: 'average_deal_size', filters: 'segment = Enterprise', period: '2025-01-01..2025-12-31' },
    total: `SELECT AVG(amount) AS v FROM opportunities WHERE is_won = true AND segment = 'Enterprise' AND close_date BETWEEN '2025-01-01' AND '2025-12-31'` },
  { ask: 'which rep has the most open pipeline?', call: { measure: 'pipeline', group_by: 'owner', limit: 1 },
    total: 'SELECT SUM(amount) AS v FROM opportunities WHERE is_closed = false',
    rows: 'SELECT owner_name AS g, SUM(amount) AS v FROM opportunities WHERE is_closed = false GROUP BY owner_name ORDER BY v DESC, g LIMIT 1' },
  { ask: 'how much did Sarah Johnson close last quarter?',
    call: { measure: 'closed_won', filters: 'owner = Sarah Johnson', period: '2025-07-01..2025-09-30' },
    total: `SELECT SUM(amount) AS v FROM opportunities WHERE is_won = true AND owner_name = 'Sarah Johnson' AND close_date BETWEEN '2025-07-01' AND '2025-09-30'` },
  { ask: 'year-to-date closed-won', call: { measure: 'closed_won', period: '2025-01-01..2025-11-14' },
    total: `SELECT SUM(amount) AS v FROM opportunities WHERE is_won = true AND close_date BETWEEN '2025-01-01' AND '2025-11-14'` },
  { ask: 'EMEA pipeline for Q1 2027', call: { measure: 'pipeline', filters: 'region = EMEA', period: '2026-01-01..2026-03-31' },
    total: `SELECT SUM(o.amount) AS v ${ACCOUNT} WHERE o.is_closed = false AND a.region = 'EMEA' AND o.close_date BETWEEN '2026-01-01' AND '2026-03-31'` },
  { ask: 'compare Q3 and Q4 revenue', call: { measure: 'closed_won', period: '2025-07-01..2025-09-30', compare: '2025-10-01..2025-12-31' },
    total: `SELECT SUM(amount) AS v FROM opportunities WHERE is_won = true AND close_date BETWEEN '2025-07-01' AND '2025-09-30'`,
    compare: `SELECT SUM(amount) AS v FROM opportunities WHERE is_won = true AND close_date BETWEEN '2025-10-01' AND '2025-12-31'` },
  { ask: 'accounts at 85% of their seats', call: { measure: 'seat_utilization', group_by: 'account', filters: 'value >= 85', limit: 200 },
    rows: `SELECT a.name AS g, 100.0 * SUM(u.seats_used) / NULLIF(SUM(u.seats_purchased), 0) AS v ${LATEST_SEATS}
      GROUP BY a.name HAVING 100.0 * SUM(u.seats_used) / NULLIF(SUM(u.seats_purchased), 0) >= 85 ORDER BY v DESC, g` },
  // The other kinds: a time grain with an amount threshold, a dimension with a comparison, the bottom N.
  { ask: 'weighted pipeline of $500K+ deals by quarter through 2026',
    call: { measure: 'weighted_pipeline', group_by: 'quarter', filters: 'amount > 500000', period: '2025-10-01..2026-12-31' },
    rows: `SELECT CAST(DATE_TRUNC('quarter', close_date) AS DATE) AS g, SUM(amount * probability / 100) AS v FROM opportunities
      WHERE is_closed = false AND amount > 500000 AND close_date BETWEEN '2025-10-01' AND '2026-12-31' GROUP BY 1 ORDER BY 1` },
  { ask: 'win rate by segment, Q2 against Q3',
    call: { measure: 'win_rate', group_by: 'segment', period: '2025-04-01..2025-06-30', compare: '2025-07-01..2025-09-30' },
    rows: `SELECT segment AS g, 100.0 * SUM(CASE WHEN is_won THEN 1 ELSE 0 END) / COUNT(*) AS v FROM opportunities
      WHERE is_closed = true AND close_date BETWEEN '2025-04-01' AND '2025-06-30' GROUP BY segment ORDER BY v DESC`,
    compare: `SELECT segment AS g, 100.0 * SUM(CASE WHEN is_won THEN 1 ELSE 0 END) / COUNT(*) AS v FROM opportunities
      WHERE is_closed = true AND close_date BETWEEN '2025-07-01' AND '2025-09-30' GROUP BY segment` },
  { ask: 'the 3 industries with the least closed-won revenue in 2025',
    call: { measure: 'closed_won', group_by: 'industry', order: 'bottom', limit: 3, period: '2025-01-01..2025-12-31' },
    total: `SELECT SUM(o.amount) AS v ${ACCOUNT} WHERE o.is_won = true AND o.close_date BETWEEN '2025-01-01' AND '2025-12-31'`,
    rows: `SELECT COALESCE(a.industry, 'Unassigned') AS g, SUM(o.amount) AS v ${ACCOUNT} WHERE o.is_won = true AND o.close_date BETWEEN '2025-01-01' AND '2025-12-31'
      GROUP BY 1 ORDER BY v ASC, g LIMIT 3` },
];

beforeAll(async () => {
  project = await shippedProject();
  bedrock.reset();
  let script = bedrock.on(ConverseCommand).resolvesOnce(callsTool('data', { request: 'The figures of the quoted questions' }));
  for (const q of QUESTIONS) script = script.resolvesOnce(callsTool('query_metrics', q.call));
  script.resolvesOnce(says('Here are the figures.')).resolvesOnce(says('Here are the figures.'));
  const engine = createConverseEngine({ manifest: project.manifest, toolbox: project.toolbox, env: {}, now: () => NOW, retry: { sleep: vi.fn(async () => {}), random: () => 0.5 } });
  ({ events } = await collect(engine.invoke({ agent: 'manager', text: QUESTIONS.map((q) => q.ask).join('; '), sessionId: 'metric-questions' })));
  requests = bedrock.commandCalls(ConverseCommand).map((c) => c.args[0].input);
}, 60_000);
afterAll(() => project?.close());

interface MetricJson {
  rows: Row[];
  totals: Record<string, unknown>;
}

/** What the model got back for the i-th call: the last message of the next request. */
const resultOf = (i: number): MetricJson => {
  const [block] = requests[i + 2]!.messages!.at(-1)!.content!;
  return block!.toolResult!.content![0]!.json as unknown as MetricJson;
};
const query = async (sql: string): Promise<Row[]> => (await project.warehouse.query(sql)).rows;
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const key = (v: unknown): string => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v ?? 'Unassigned'));

describe('the quoted metric questions through query_metrics in a Converse run', () => {
  it('calls the tool once per question, each call ok', () => {
    const results = events.filter((e) => e.type === 'tool_result' && e.tool === 'query_metrics');
    expect(results.map((e) => e.type === 'tool_result' && e.ok)).toEqual(QUESTIONS.map(() => true));
  });

  it.each(QUESTIONS.map((q, i) => [q.ask, i] as const))('%s: the figures hand-written SQL gives', async (_ask, i) => {
    const q = QUESTIONS[i]!;
    const got = resultOf(i);
    if (q.total) {
      const [truth] = await query(q.total);
      const value = num(got.totals.value);
      if (num(truth!.v) === null) expect(value).toBeNull();
      else expect(value).toBeCloseTo(num(truth!.v)!, 6);
    }
    if (q.compare && !q.rows) {
      const [truth] = await query(q.compare);
      expect(num(got.totals.compare_value)).toBeCloseTo(num(truth!.v) ?? 0, 6);
      expect(num(got.totals.change)).toBeCloseTo((num(truth!.v) ?? 0) - (num(got.totals.value) ?? 0), 6);
    }
    if (q.rows) {
      const truth = await query(q.rows);
      expect(truth.length, 'the sample data has rows for this question').toBeGreaterThan(0);
      const group = String(q.call.group_by);
      expect(got.rows.map((r) => key(r[group]))).toEqual(truth.map((r) => key(r.g)));
      got.rows.forEach((r, j) => expect(num(r.value)).toBeCloseTo(num(truth[j]!.v)!, 6));
      if (q.compare) {
        const before = new Map((await query(q.compare)).map((r) => [key(r.g), num(r.v)]));
        for (const r of got.rows) expect(num(r.compare_value)).toBeCloseTo(before.get(key(r[group])) ?? 0, 6);
      }
    }
  });
});
