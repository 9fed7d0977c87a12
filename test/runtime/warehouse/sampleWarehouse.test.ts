/**
 * The generated sample warehouse: deterministic, the seed's named records with the seed's figures, the seed's
 * pipeline queries answering with them, and the planted noise the seed's answers talk about.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../../runtime/warehouse/duckdbWarehouse.ts';
import { SAMPLE_TABLES, seedSampleWarehouse } from '../../../runtime/warehouse/sample/createSampleWarehouse.ts';
import { sampleCalendar, sampleNow } from '../../../runtime/warehouse/sample/sampleClock.ts';
import type { Row, Warehouse } from '../../../runtime/warehouse/warehouse.ts';
import { ixisLookup, pipelineQueries } from './seedQueries.ts';

let dir: string;
let warehouse: Warehouse;
// The seed's queries use CURRENT_DATE, so the data are anchored on the real clock here.
const now = new Date();
const calendar = sampleCalendar(now);

const rows = async (sql: string, params?: Record<string, string | number>): Promise<Row[]> => (await warehouse.query(sql, { params })).rows;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sample-warehouse-'));
  const { path } = await seedSampleWarehouse({ out: join(dir, 'w.duckdb'), scale: 2000, now });
  warehouse = await openDuckDbWarehouse(path, { readOnly: true });
});
afterAll(async () => {
  await warehouse?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('sample clock', () => {
  it('reads REVOPS_NOW and rejects what is not an ISO date', () => {
    expect(sampleNow({ REVOPS_NOW: '2025-11-14' }).toISOString()).toBe('2025-11-14T00:00:00.000Z');
    expect(() => sampleNow({ REVOPS_NOW: 'next tuesday' })).toThrow(/REVOPS_NOW/);
    expect(Math.abs(sampleNow({}).getTime() - Date.now())).toBeLessThan(5000);
  });

  it.each([
    ['2025-11-14', { quarterStart: '2025-10-01', quarterEnd: '2025-12-31', nextQuarterEnd: '2026-03-31', weekStart: '2025-11-10', usageStart: '2024-12-01' }],
    ['2025-12-31', { quarterStart: '2025-10-01', quarterEnd: '2025-12-31', weekStart: '2025-12-29' }],
    ['2026-01-01', { quarterStart: '2026-01-01', quarterEnd: '2026-03-31', weekStart: '2025-12-29' }],
    ['2024-02-29', { quarterStart: '2024-01-01', quarterEnd: '2024-03-31', nextQuarterStart: '2024-04-01' }],
  ])('calendar quarters and ISO weeks around %s', (day, expected) => {
    expect(sampleCalendar(new Date(`${day}T12:00:00Z`))).toMatchObject({ today: day, ...expected });
  });
});

describe('generator', () => {
  it('produces identical data for the same scale, REVOPS_NOW and seed, and different data for another seed', async () => {
    const pinned = sampleNow({ REVOPS_NOW: '2025-11-14' });
    const fingerprints = async (seed: number, name: string) => {
      const { path } = await seedSampleWarehouse({ out: join(dir, name), scale: 300, now: pinned, seed });
      const w = await openDuckDbWarehouse(path, { readOnly: true });
      try {
        const out: Record<string, unknown> = {};
        for (const table of SAMPLE_TABLES) {
          out[table] = (await w.query(`SELECT count(*) AS n, md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) AS h FROM ${table} t`)).rows[0];
        }
        return out;
      } finally {
        await w.close();
      }
    };
    const first = await fingerprints(42, 'a.duckdb');
    expect(await fingerprints(42, 'b.duckdb')).toEqual(first);
    expect(await fingerprints(7, 'c.duckdb')).not.toEqual(first);
  });

  it.each([0, 1_000_001, 2.5])('rejects scale %s', async (scale) => {
    await expect(seedSampleWarehouse({ out: join(dir, 'x.duckdb'), scale })).rejects.toThrow(/scale/);
  });

  it('counts the opportunities asked for and sizes the other tables from them', async () => {
    const [counts] = await rows(`SELECT (SELECT count(*) FROM opportunities) AS opportunities, (SELECT count(*) FROM accounts) AS accounts,
      (SELECT count(DISTINCT id) FROM opportunities) AS distinct_ids, (SELECT count(*) FROM opportunities o WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = o.account_id)) AS orphans`);
    expect(counts).toEqual({ opportunities: 2000, accounts: 505, distinct_ids: 2000, orphans: 0 });
  });
});

describe("the seed's named records", () => {
  it('has the IXIS deal with its MEDDPICC answer, closing this quarter', async () => {
    const [ixis] = await rows("SELECT * FROM opportunities WHERE opportunity_name ILIKE '%IXIS%'");
    expect(ixis).toMatchObject({
      opportunity_name: 'IXIS-Snowflake Cost Replacement', account_name: 'IXIS Investment Management', stage_name: 'Negotiate',
      probability: 75, amount: 2100000, owner_name: 'Sarah Johnson', close_date: calendar.quarterEnd, is_closed: false,
      metrics: 'Cost savings validated at $500K annually', economic_buyer: 'CFO engaged, budget approved',
      decision_criteria: 'Performance and cost reduction', decision_process: 'Technical validation → Budget → Legal',
      paper_process: 'Standard MSA, procurement team involved', identify_pain: 'Current Snowflake costs unsustainable',
      champion: 'Data Engineering Director advocating internally', next_step: 'Champion meeting scheduled, technical validation pending',
    });
    for (const part of ['metrics', 'economic_buyer', 'decision_criteria', 'decision_process', 'paper_process', 'identify_pain', 'champion', 'competition']) {
      expect(ixis![`${part}_score`]).toBeGreaterThanOrEqual(0);
      expect(ixis![`${part}_score`]).toBeLessThanOrEqual(3);
    }
  });

  it('has DataCorp Expansion, TechFlow Migration, a Microsoft Enterprise deal and a TechCorp opportunity', async () => {
    const named = await rows(`SELECT opportunity_name, account_name, amount, probability, stage_name,
        close_date BETWEEN :qs AND :qe AS this_quarter FROM opportunities
      WHERE regexp_matches(opportunity_name, '(?i)datacorp|techflow|microsoft enterprise|techcorp') ORDER BY opportunity_name`,
      { qs: calendar.quarterStart, qe: calendar.quarterEnd });
    expect(named).toEqual([
      { opportunity_name: 'DataCorp Expansion', account_name: 'DataCorp', amount: 800000, probability: 80, stage_name: 'Verbal Commit', this_quarter: true },
      expect.objectContaining({ opportunity_name: 'Microsoft Enterprise Analytics Platform', account_name: 'Microsoft' }),
      expect.objectContaining({ opportunity_name: 'TechCorp Real-Time Analytics', account_name: 'TechCorp' }),
      { opportunity_name: 'TechFlow Migration', account_name: 'TechFlow', amount: 600000, probability: 65, stage_name: 'Negotiate', this_quarter: true },
    ]);
  });

  it('has John Smith at DataCorp (an MQL this week) and Sarah Johnson at TechCorp, each exactly once', async () => {
    const [john] = await rows(`SELECT c.full_name, c.title, c.lead_status, c.mql_date >= :week AS this_week, c.engagement_score, c.recent_activity,
        a.name, a.funding_stage, a.employee_count, a.employee_band, a.annual_revenue, a.tech_stack, a.icp_segment
      FROM contacts c JOIN accounts a ON a.id = c.account_id WHERE c.full_name = 'John Smith'`, { week: calendar.weekStart });
    expect(john).toMatchObject({ title: 'VP Data Engineering', lead_status: 'MQL', this_week: true, name: 'DataCorp', funding_stage: 'Series B',
      employee_band: '200-500', annual_revenue: 50000000, tech_stack: 'Snowflake, dbt, Looker, AWS', icp_segment: 'high-performance analytics',
      recent_activity: 'Expanding analytics team, raised $25M Series B' });
    expect(john!.employee_count).toBeGreaterThanOrEqual(200);
    expect(john!.engagement_score).toBeGreaterThanOrEqual(80);
    const people = await rows("SELECT full_name, account_name FROM contacts WHERE full_name IN ('John Smith', 'Sarah Johnson') ORDER BY full_name");
    expect(people).toEqual([{ full_name: 'John Smith', account_name: 'DataCorp' }, { full_name: 'Sarah Johnson', account_name: 'TechCorp' }]);
  });

  it('keeps noise from ever matching a named company', async () => {
    const [clash] = await rows(`SELECT
      (SELECT count(*) FROM accounts WHERE regexp_matches(name, :named)) AS accounts,
      (SELECT count(*) FROM opportunities WHERE regexp_matches(opportunity_name, :named)) AS deals`, { named: '(?i)ixis|datacorp|techcorp|techflow|microsoft' });
    expect(clash).toEqual({ accounts: 5, deals: 5 });
  });

  it('has calls for IXIS, DataCorp and TechCorp that mention Snowflake', async () => {
    const calls = await rows("SELECT account_name FROM calls WHERE id LIKE 'CALL-%' AND competitor_mentions ILIKE '%Snowflake%' ORDER BY account_name");
    expect(calls.map((c) => c.account_name)).toEqual(['DataCorp', 'IXIS Investment Management', 'TechCorp']);
  });
});

describe("the seed's queries on the sample warehouse", () => {
  const { overview, top, risk } = pipelineQueries(now);

  it('finds the IXIS deal with the seed\'s figures', async () => {
    const [ixis, ...rest] = await rows(ixisLookup);
    expect(rest).toEqual([]);
    expect(ixis).toMatchObject({ opportunity_name: 'IXIS-Snowflake Cost Replacement', stage_name: 'Negotiate', probability: 75,
      amount: 2100000, owner_name: 'Sarah Johnson', account_name: 'IXIS Investment Management' });
  });

  it('orders the pipeline overview Verbal Commit, Negotiate, Proposal', async () => {
    const stages = await rows(overview);
    expect(stages.map((s) => s.stage_name)).toEqual(['Verbal Commit', 'Negotiate', 'Proposal']);
    for (const s of stages) expect(s.weighted_value).toBeLessThanOrEqual(s.total_value as number);
  });

  it('puts IXIS, DataCorp Expansion and TechFlow Migration at the top of this quarter\'s opportunities', async () => {
    const deals = await rows(top);
    expect(deals).toHaveLength(10);
    expect(deals.slice(0, 3).map((d) => [d.opportunity_name, d.amount, d.probability, d.stage_name])).toEqual([
      ['IXIS-Snowflake Cost Replacement', 2100000, 75, 'Negotiate'],
      ['DataCorp Expansion', 800000, 80, 'Verbal Commit'],
      ['TechFlow Migration', 600000, 65, 'Negotiate'],
    ]);
  });

  it('finds every risk category the seed reports', async () => {
    const categories = (await rows(risk)).map((r) => r.risk_category);
    expect(categories.sort()).toEqual(['Closing Soon - Early Stage', 'Low Probability in Late Stage', 'On Track', 'Stale - No Recent Activity']);
  });
});

describe('planted noise', () => {
  it('mentions Snowflake in roughly 40% of this quarter\'s calls', async () => {
    const [{ share }] = (await rows("SELECT avg((competitor_mentions ILIKE '%Snowflake%')::INT) AS share FROM calls WHERE call_date >= :qs", { qs: calendar.quarterStart })) as [{ share: number }];
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.5);
  });

  it('has several MQLs this week', async () => {
    const [{ n }] = (await rows("SELECT count(*) AS n FROM contacts WHERE lead_status = 'MQL' AND mql_date BETWEEN :week AND :today",
      { week: calendar.weekStart, today: calendar.today })) as [{ n: number }];
    expect(n).toBeGreaterThanOrEqual(3);
  });

  it('has churn-risk accounts (declining, low seat use) and expansion candidates (growing, near the seat cap)', async () => {
    const [signals] = await rows(`WITH ends AS (
        SELECT account_id, arg_min(active_users, month) AS first_users, arg_max(active_users, month) AS last_users,
          arg_max(seats_used::DOUBLE / seats_purchased, month) AS last_use, count(*) AS months
        FROM product_usage GROUP BY account_id)
      SELECT count(*) FILTER (WHERE last_users < first_users * 0.6 AND last_use < 0.4) AS churn,
        count(*) FILTER (WHERE last_users > first_users * 1.3 AND last_use > 0.9) AS expansion,
        min(months) AS min_months, max(months) AS max_months FROM ends`);
    expect(signals!.churn).toBeGreaterThan(0);
    expect(signals!.expansion).toBeGreaterThan(0);
    expect(signals).toMatchObject({ min_months: 12, max_months: 12 });
  });
});
