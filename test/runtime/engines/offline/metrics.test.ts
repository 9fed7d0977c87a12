/**
 * Questions answered from the metrics layer: each figure in the answer equals what hand-written SQL over the same
 * sample warehouse gives, and the answer states the period and filters it used. The query_metrics tool is checked
 * the same way (grouping, comparison, thresholds, bound values).
 */
import { describe, expect, it } from 'vitest';
import type { InvokeResult } from '../../../../runtime/engines/collect.ts';
import { money } from '../../../../runtime/engines/offline/filters.ts';
import { seededProjectPerFile } from './seedProject.ts';

const seeded = seededProjectPerFile();
const { ask } = seeded;

const value = async (sql: string): Promise<number> => Number(Object.values((await seeded.project.warehouse.query(sql)).rows[0]!)[0] ?? 0);
const rows = async (sql: string) => (await seeded.project.warehouse.query(sql)).rows;
const metricCall = (r: InvokeResult) => r.events.find((e) => e.type === 'tool_call' && e.tool === 'query_metrics');

describe('metric questions through the offline engine', () => {
  it('average deal size for Enterprise deals won in 2025', async () => {
    const r = await ask('average deal size for Enterprise deals won in 2025');
    const truth = await value(`SELECT AVG(amount) FROM opportunities WHERE is_won = true AND segment = 'Enterprise' AND close_date BETWEEN '2025-01-01' AND '2025-12-31'`);
    expect(r.answer).toContain(money(truth));
    expect(r.answer).toContain('Jan 1, 2025 to Dec 31, 2025');
    expect(r.answer).toContain('segment Enterprise');
  });

  it('which rep has the most open pipeline?', async () => {
    const r = await ask('which rep has the most open pipeline?');
    const [top] = await rows(`SELECT owner_name, SUM(amount) AS v FROM opportunities WHERE is_closed = false GROUP BY owner_name ORDER BY v DESC LIMIT 1`);
    const total = await value(`SELECT SUM(amount) FROM opportunities WHERE is_closed = false`);
    expect(r.answer).toContain(`| ${top!.owner_name} | ${money(top!.v)} |`);
    expect(r.answer).toContain(money(total));
    expect(r.answer.indexOf(String(top!.owner_name))).toBeLessThan(r.answer.indexOf('|', r.answer.indexOf(String(top!.owner_name)) + 40));
  });

  it('how much did Sarah Johnson close last quarter?', async () => {
    const r = await ask('how much did Sarah Johnson close last quarter?');
    const truth = await value(`SELECT SUM(amount) FROM opportunities WHERE is_won = true AND owner_name = 'Sarah Johnson' AND close_date BETWEEN '2025-07-01' AND '2025-09-30'`);
    expect(r.answer).toContain(money(truth));
    expect(r.answer).toContain('owner Sarah Johnson');
    expect(r.answer).toContain('Jul 1, 2025 to Sep 30, 2025');
  });

  it('year-to-date closed-won', async () => {
    const r = await ask('year-to-date closed-won');
    const truth = await value(`SELECT SUM(amount) FROM opportunities WHERE is_won = true AND close_date BETWEEN '2025-01-01' AND '2025-11-14'`);
    expect(r.answer).toContain(money(truth));
    expect(r.answer).toContain('Jan 1, 2025 to Nov 14, 2025');
  });

  it('EMEA pipeline for Q1 2026', async () => {
    const r = await ask('EMEA pipeline for Q1 2026');
    const truth = await value(`SELECT SUM(o.amount) FROM opportunities o LEFT JOIN accounts a ON a.id = o.account_id
      WHERE o.is_closed = false AND a.region = 'EMEA' AND o.close_date BETWEEN '2026-01-01' AND '2026-03-31'`);
    expect(r.answer).toContain(money(truth));
    expect(r.answer).toContain('region EMEA');
    expect(r.answer).not.toContain('Not applied');
  });

  it('compare Q2 and Q3 revenue', async () => {
    const r = await ask('compare Q2 and Q3 revenue');
    const q2 = await value(`SELECT SUM(amount) FROM opportunities WHERE is_won = true AND close_date BETWEEN '2025-04-01' AND '2025-06-30'`);
    const q3 = await value(`SELECT SUM(amount) FROM opportunities WHERE is_won = true AND close_date BETWEEN '2025-07-01' AND '2025-09-30'`);
    expect(r.answer).toContain(money(q2));
    expect(r.answer).toContain(money(q3));
    expect(r.answer).toContain(money(q3 - q2));
  });

  it('this quarter vs last quarter: the change runs from the earlier quarter to the later, whichever is named first', async () => {
    const r = await ask('closed won this quarter vs last quarter');
    const q3 = await value(`SELECT SUM(amount) FROM opportunities WHERE is_won = true AND close_date BETWEEN '2025-07-01' AND '2025-09-30'`);
    const q4 = await value(`SELECT SUM(amount) FROM opportunities WHERE is_won = true AND close_date BETWEEN '2025-10-01' AND '2025-12-31'`);
    expect(q4).not.toBe(q3);
    expect(r.answer).toMatch(/Change from close date Q3 2025[^\n]* to close date Q4 2025[^\n]*: /u);
    expect(r.answer).toContain(`${money(q4 - q3)} (${Math.round((100 * (q4 - q3)) / q3)}%)`);
  });

  it('a change of a rate is in points beside its relative change, in the headline and per group', async () => {
    const r = await ask('win rate by segment this quarter vs last quarter');
    const rate = (where: string) => `SELECT 100.0 * COUNT(*) FILTER (WHERE is_won) / COUNT(*) FROM opportunities WHERE is_closed AND ${where}`;
    const q3 = await value(rate(`close_date BETWEEN '2025-07-01' AND '2025-09-30'`));
    const q4 = await value(rate(`close_date BETWEEN '2025-10-01' AND '2025-12-31'`));
    const points = (from: number, to: number): string => {
      const d = to - from;
      return `${Math.abs(d) < 10 ? Number(d.toFixed(1)) : Math.round(d)} pts (${Math.round((100 * d) / from)}%)`;
    };
    expect(Math.abs(q4 - q3)).toBeGreaterThan(0.05);
    expect(r.answer).toMatch(new RegExp(`to close date Q4 2025[^\\n]*: ${points(q3, q4).replace(/[()]/gu, '\\$&')}; over`, 'u'));
    for (const { segment } of await rows('SELECT DISTINCT segment FROM opportunities WHERE segment IS NOT NULL')) {
      const where = (period: string) => `segment = '${String(segment)}' AND close_date ${period}`;
      const [from, to] = [await value(rate(where(`BETWEEN '2025-07-01' AND '2025-09-30'`))), await value(rate(where(`BETWEEN '2025-10-01' AND '2025-12-31'`)))];
      expect(r.answer).toMatch(new RegExp(`^\\| ${String(segment)} \\|.*\\| ${points(from, to).replace(/[()]/gu, '\\$&')} \\|$`, 'mu'));
    }
    expect(r.answer).not.toMatch(/-?\d+(\.\d)?% \(-?\d+%\)/u);
  });

  it('EMEA vs APAC: one figure per region, not one figure over both', async () => {
    const r = await ask('compare pipeline in EMEA vs APAC');
    expect(metricCall(r)).toMatchObject({ parameters: { group_by: 'region', filters: expect.stringMatching(/^region = (EMEA \| APAC|APAC \| EMEA)$/u) } });
    for (const region of ['EMEA', 'APAC']) {
      const truth = await value(`SELECT SUM(o.amount) FROM opportunities o LEFT JOIN accounts a ON a.id = o.account_id WHERE o.is_closed = false AND a.region = '${region}'`);
      expect(r.answer).toContain(`| ${region} | ${money(truth)} |`);
    }
  });

  it('pipeline by rep: the table holds every group the answer says it lists', async () => {
    const r = await ask('pipeline by rep');
    const owners = await rows(`SELECT owner_name FROM opportunities WHERE is_closed = false GROUP BY owner_name`);
    expect(owners.length).toBeGreaterThan(10);
    expect(r.answer).toContain(`All ${owners.length} groups:`);
    for (const o of owners) expect(r.answer).toContain(`| ${o.owner_name} |`);
  });

  it('a name the figure could not be narrowed to is declared, never answered with the figure over everything in silence', async () => {
    const notDone = (r: InvokeResult) => (r.events.find((e) => e.type === 'answer') as { notDone?: Array<{ part: string }> } | undefined)?.notDone ?? [];
    for (const [question, name] of [['how much pipeline does Acme Corp have?', 'Acme Corp'], ['how much open pipeline does Emily have?', 'Emily'], ['pipeline in Germany', 'Germany']] as const) {
      const r = await ask(question);
      expect(notDone(r).map((n) => n.part), question).toContain(name);
      expect(r.answer).toMatch(new RegExp(`Not applied[\\s\\S]*"${name}"`, 'u'));
    }
    const share = await ask('what share of our open pipeline is in Verbal Commit?');
    expect(notDone(share).map((n) => n.part)).toContain('share of');
    const listed = await ask('list all open deals owned by Sarah Johnson');
    expect(notDone(listed).map((n) => n.part)).toContain('list all');
    const pointed = await ask('how many deals does that rep have open?');
    expect(notDone(pointed).map((n) => n.part)).toContain('that rep');
    const report = await ask("what's the pipeline for that rep next quarter?");
    expect(notDone(report).map((n) => n.part)).toContain('that rep');
    const seats = await ask('which accounts are using more seats than they bought?');
    expect(notDone(seats).map((n) => n.part)).toEqual(['more seats than they bought']);
    const narrowed = await ask('how much did Sarah Johnson close last quarter?');
    expect(notDone(narrowed)).toEqual([]);
  });

  it('deals lost: counted by the lost-deal measure; a figure no lost measure gives says it is not about lost deals', async () => {
    const r = await ask('how many deals did we lose in Q3 over $100k?');
    const truth = await value(`SELECT COUNT(*) FROM opportunities WHERE is_closed = true AND is_won = false AND amount > 100000 AND close_date BETWEEN '2025-07-01' AND '2025-09-30'`);
    const all = await value(`SELECT COUNT(*) FROM opportunities WHERE amount > 100000 AND close_date BETWEEN '2025-07-01' AND '2025-09-30'`);
    expect(truth).toBeLessThan(all);
    expect(metricCall(r)).toMatchObject({ parameters: { measure: 'lost_deal_count' } });
    expect(r.answer).toContain(`count: ${truth}**`);
    const revenue = await ask('how much revenue did we lose last quarter?');
    const declared = (revenue.events.find((e) => e.type === 'answer') as { notDone?: Array<{ part: string }> }).notDone ?? [];
    expect(declared.map((n) => n.part)).toContain('lose');
  });

  it('accounts at 85% of their seats', async () => {
    const r = await ask('accounts at 85% of their seats');
    const matched = await value(`SELECT COUNT(*) FROM (SELECT a.name FROM product_usage u LEFT JOIN accounts a ON a.id = u.account_id
      WHERE u.month = (SELECT MAX(month) FROM product_usage) GROUP BY a.name HAVING 100.0 * SUM(seats_used) / NULLIF(SUM(seats_purchased), 0) >= 85)`);
    expect(matched).toBeGreaterThan(0);
    expect(r.answer).toMatch(new RegExp(`(of ${matched} groups|All ${matched} groups)`, 'u'));
  });

  it('routes metric questions to the data collaborator and calls query_metrics with the reading', async () => {
    const r = await ask('top 3 industries by weighted pipeline next quarter');
    expect(r.events.find((e) => e.type === 'route')).toMatchObject({ target: 'data' });
    expect(metricCall(r)).toMatchObject({ parameters: { measure: 'weighted_pipeline', group_by: 'industry', limit: 3, period: '2026-01-01..2026-03-31' } });
    const top = await rows(`SELECT a.industry, SUM(o.amount * o.probability / 100) AS v FROM opportunities o LEFT JOIN accounts a ON a.id = o.account_id
      WHERE o.is_closed = false AND o.close_date BETWEEN '2026-01-01' AND '2026-03-31' GROUP BY a.industry ORDER BY v DESC LIMIT 3`);
    for (const row of top) expect(r.answer).toContain(`| ${row.industry} | ${money(row.v)} |`);
  });
});

describe('the query_metrics tool', () => {
  const run = (params: Record<string, unknown>) => seeded.project.toolbox.run('query_metrics', params);

  it('groups by a time grain in time order, with totals over every record', async () => {
    const r = await run({ measure: 'deal_count', group_by: 'quarter', period: '2025-01-01..2025-12-31' });
    const truth = await rows(`SELECT CAST(DATE_TRUNC('quarter', close_date) AS DATE) AS q, COUNT(*) AS n FROM opportunities
      WHERE close_date BETWEEN '2025-01-01' AND '2025-12-31' GROUP BY 1 ORDER BY 1`);
    expect(r.ok).toBe(true);
    expect(r.rows!.map((x) => [x.quarter, x.value])).toEqual(truth.map((x) => [x.q, x.n]));
    expect(r.totals!.records).toBe(truth.reduce((n, x) => n + Number(x.n), 0));
  });

  it('compares two periods per group', async () => {
    const r = await run({ measure: 'closed_won', group_by: 'segment', period: '2025-04-01..2025-06-30', compare: '2025-07-01..2025-09-30' });
    const truth = await rows(`SELECT segment, SUM(CASE WHEN close_date <= '2025-06-30' THEN amount END) AS a, SUM(CASE WHEN close_date >= '2025-07-01' THEN amount END) AS b
      FROM opportunities WHERE is_won = true AND close_date BETWEEN '2025-04-01' AND '2025-09-30' GROUP BY segment`);
    for (const t of truth) {
      const row = r.rows!.find((x) => x.segment === t.segment)!;
      expect([row.value, row.compare_value]).toEqual([t.a, t.b]);
      expect(row.change).toBe(Number(t.b) - Number(t.a));
    }
  });

  it('the change runs from the earlier period to the later when the comparison period comes first in time', async () => {
    const r = await run({ measure: 'closed_won', group_by: 'segment', period: '2025-07-01..2025-09-30', compare: '2025-04-01..2025-06-30' });
    const q2 = await value(`SELECT SUM(amount) FROM opportunities WHERE is_won = true AND close_date BETWEEN '2025-04-01' AND '2025-06-30'`);
    const q3 = await value(`SELECT SUM(amount) FROM opportunities WHERE is_won = true AND close_date BETWEEN '2025-07-01' AND '2025-09-30'`);
    expect(r.totals).toMatchObject({ value: q3, compare_value: q2, change: q3 - q2 });
    expect(String(r.totals!.change_from)).toContain('Q2 2025');
    expect(String(r.totals!.change_to)).toContain('Q3 2025');
    for (const row of r.rows!) expect(row.change).toBe(Number(row.value) - Number(row.compare_value));
  });

  it('filters by amount thresholds and values, binding them (a quote in a value is data, not SQL)', async () => {
    const big = await run({ measure: 'pipeline', filters: 'amount > 500000; segment = enterprise | smb' });
    const truth = await value(`SELECT SUM(amount) FROM opportunities WHERE is_closed = false AND amount > 500000 AND segment IN ('Enterprise', 'SMB')`);
    expect(big.totals!.value).toBe(truth);
    const odd = await run({ measure: 'pipeline', filters: "owner = O'Brien') OR (1 = 1" });
    expect(odd).toMatchObject({ ok: true, totals: { records: 0 } });
    expect(await value('SELECT COUNT(*) FROM opportunities')).toBeGreaterThan(0);
  });

  it('refuses what the layer does not define, naming the field and a suggestion', async () => {
    expect((await run({ measure: 'pipelin' })).error).toMatchObject({ code: 'invalid_parameter', message: expect.stringContaining('pipeline') });
    expect((await run({ measure: 'pipeline', group_by: 'regoin' })).error?.message).toMatch(/^group_by: .*Did you mean region\?/u);
    expect((await run({ measure: 'pipeline', period: 'Q1' })).error?.message).toMatch(/^period: "Q1" is not a period/u);
    expect((await run({ measure: 'pipeline', filters: 'amount = big' })).error?.message).toMatch(/^filters: /u);
  });
});
