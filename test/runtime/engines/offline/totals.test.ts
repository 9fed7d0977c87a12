/**
 * Totals, not pages: every shipped list answer states counts and sums over all matching records, never the rows a
 * LIMIT let through. The truth is computed here with hand-written SQL against the same sample warehouse; a test
 * fails when an answer's count is the row limit while more records match. The same totals reach a model through
 * the action-group text and the Converse tool result.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolResultBlock } from '../../../../runtime/engines/converse/toolResultBlock.ts';
import { collect } from '../../../../runtime/engines/collect.ts';
import { money } from '../../../../runtime/engines/offline/filters.ts';
import { renderResult } from '../../../../runtime/tools/actionGroup/renderResult.ts';
import { createToolbox } from '../../../../runtime/tools/createToolbox.ts';
import { seededProjectPerFile, seedProject, type SeededProject } from './seedProject.ts';
import { asKind } from '../../../support/tools.ts';

const THIS_QUARTER = { period_start: '2025-10-01', period_end: '2025-12-31' };
const Q4 = `BETWEEN '${THIS_QUARTER.period_start}' AND '${THIS_QUARTER.period_end}'`;

const seeded = seededProjectPerFile();
const { ask } = seeded;

const one = async (sql: string): Promise<Record<string, number>> => {
  const [row] = (await seeded.project.warehouse.query(sql)).rows;
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v ?? 0)]));
};
const limitOf = (tool: string): number => Number(/LIMIT (\d+)\s*$/u.exec(asKind(seeded.project.manifest.tools.find((t) => t.name === tool), 'sql').sql.trim())![1]);

/** Latest month vs three months earlier, per account: the usage facts churn and expansion rules read. */
const USAGE = `WITH u AS (
    SELECT account_id, queries_run, seats_used, seats_purchased,
      ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY month DESC) AS k
    FROM product_usage),
  t AS (
    SELECT account_id, MAX(CASE WHEN k = 1 THEN queries_run END) AS q_now, MAX(CASE WHEN k = 4 THEN queries_run END) AS q_then,
      MAX(CASE WHEN k = 1 THEN seats_used END) AS used, MAX(CASE WHEN k = 1 THEN seats_purchased END) AS bought
    FROM u GROUP BY account_id)`;

describe('list answers state totals over all matching records (truth by hand-written SQL)', () => {
  it('deals at risk this quarter: every open deal with a risk signal, and their total amount', async () => {
    const truth = await one(`SELECT COUNT(*) AS n, SUM(amount) AS amount FROM opportunities
      WHERE close_date ${Q4} AND is_closed = false
        AND (close_date < CURRENT_DATE OR last_activity_date < CURRENT_DATE - INTERVAL 14 DAY
          OR (probability < 50 AND stage_name IN ('Negotiate', 'Verbal Commit'))
          OR (close_date < CURRENT_DATE + INTERVAL 30 DAY AND stage_name IN ('Discover', 'Proof of Concept', 'Proposal'))
          OR champion_score <= 1 OR economic_buyer_score <= 1)`);
    expect(truth.n).toBeGreaterThan(limitOf('deals_at_risk'));
    const r = await ask('assess risks for deals closing this quarter');
    expect(r.skill).toBe('deals_at_risk');
    expect(r.answer).toContain(`${truth.n} open deals with a risk signal, worth ${money(truth.amount)} in all`);
    expect(r.answer).toContain(`The top ${limitOf('deals_at_risk')} of ${truth.n} by amount`);
  });

  it('churn risk: every Commit and PLG customer with usage is scored, and the bands add up to all of them', async () => {
    const truth = await one(`SELECT COUNT(*) AS n FROM accounts a
      WHERE a.customer_type IN ('Commit', 'PLG') AND EXISTS (SELECT 1 FROM product_usage u WHERE u.account_id = a.id)`);
    expect(truth.n).toBeGreaterThan(limitOf('churn_risk'));
    const r = await ask('which customers show churn risk signals?');
    expect(r.skill).toBe('churn_risk');
    const bands = /Of (\d+) customers scored: (\d+) Critical \(76-100\), (\d+) High \(51-75\), (\d+) Medium \(26-50\), (\d+) Low \(0-25\)/u.exec(r.answer);
    expect(bands, r.answer.slice(0, 300)).not.toBeNull();
    const [scored, ...perBand] = bands!.slice(1).map(Number);
    expect(scored).toBe(truth.n);
    expect(perBand.reduce((a, b) => a + b, 0)).toBe(truth.n);
    // Critical needs 76+ points; recency gives at most 30, so only the usage and seat rules can put a customer there.
    const critical = await one(`${USAGE}, facts AS (
        SELECT a.customer_type AS type,
          CASE WHEN t.q_then > 0 THEN ROUND(100.0 * (t.q_now - t.q_then) / t.q_then, 0) END AS usage_pct,
          CASE WHEN t.bought > 0 THEN ROUND(100.0 * t.used / t.bought, 0) END AS seat_pct,
          DATEDIFF('day', (SELECT MAX(activity_date) FROM activities x WHERE x.account_id = a.id), CURRENT_DATE) AS idle
        FROM accounts a JOIN t ON t.account_id = a.id WHERE a.customer_type IN ('Commit', 'PLG')),
      points AS (
        SELECT
          CAST(ROUND(CASE WHEN usage_pct IS NULL OR usage_pct >= 0 THEN 0 WHEN usage_pct <= -50 THEN 1.0 ELSE -usage_pct / 50.0 END
            * CASE type WHEN 'PLG' THEN 50 ELSE 35 END, 0) AS INTEGER)
          + CAST(ROUND(CASE WHEN seat_pct IS NULL OR seat_pct >= 80 THEN 0 WHEN seat_pct <= 30 THEN 1.0 ELSE (80 - seat_pct) / 50.0 END
            * CASE type WHEN 'PLG' THEN 20 ELSE 35 END, 0) AS INTEGER)
          + CAST(ROUND(CASE WHEN idle IS NULL OR idle >= 74 THEN 1.0 WHEN idle <= 14 THEN 0 ELSE (idle - 14) / 60.0 END * 30, 0) AS INTEGER) AS risk
        FROM facts)
      SELECT SUM(CASE WHEN risk >= 76 THEN 1 ELSE 0 END) AS critical, SUM(CASE WHEN risk BETWEEN 51 AND 75 THEN 1 ELSE 0 END) AS high,
        SUM(CASE WHEN risk BETWEEN 26 AND 50 THEN 1 ELSE 0 END) AS medium, SUM(CASE WHEN risk <= 25 THEN 1 ELSE 0 END) AS low FROM points`);
    expect(perBand).toEqual([critical.critical, critical.high, critical.medium, critical.low]);
  });

  it("MQLs this quarter: every lead that became an MQL in the period, not the first 50", async () => {
    const truth = await one(`SELECT COUNT(*) AS n FROM contacts WHERE mql_date ${Q4}`);
    expect(truth.n).toBeGreaterThan(limitOf('mql_leads'));
    const r = await ask('score our MQL leads from this quarter');
    expect(r.skill).toBe('mql_scoring');
    const fit = /(\d+) MQLs scored against the ICP: (\d+) HIGH, (\d+) MEDIUM, (\d+) LOW\. The top (\d+) of (\d+) by ICP score/u.exec(r.answer);
    expect(fit, r.answer.slice(0, 300)).not.toBeNull();
    const [all, high, medium, low, top, of] = fit!.slice(1).map(Number);
    expect([all, of, top]).toEqual([truth.n, truth.n, limitOf('mql_leads')]);
    expect(high! + medium! + low!).toBe(truth.n);
  });

  it('expansion signals: every customer with 20%+ usage growth or 85%+ seats, and how many have no open expansion deal', async () => {
    const truth = await one(`${USAGE}, signals AS (
        SELECT a.id FROM accounts a JOIN t ON t.account_id = a.id
        WHERE a.customer_type IN ('Commit', 'PLG')
          AND ((t.q_then > 0 AND ROUND(100.0 * (t.q_now - t.q_then) / t.q_then, 0) >= 20) OR (t.bought > 0 AND ROUND(100.0 * t.used / t.bought, 0) >= 85)))
      SELECT COUNT(*) AS n,
        SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM opportunities o WHERE o.account_id = s.id AND o.is_closed = false AND o.opportunity_type = 'Expansion') THEN 1 ELSE 0 END) AS untapped
      FROM signals s`);
    expect(truth.n).toBeGreaterThan(limitOf('expansion_signals'));
    const r = await ask('identify expansion opportunities based on usage trends');
    expect(r.skill).toBe('expansion_signals');
    expect(r.answer).toContain(`${truth.n} customers with expansion signals, ${truth.untapped} of them with no open expansion opportunity yet`);
    expect(r.answer).toContain(`The top 10 of ${truth.n} by expansion score`);
    expect(r.answer).toContain(`${truth.untapped} of the ${truth.n} customers have no open expansion opportunity yet`);
  });

  it("the quarter's pipeline over a threshold the question gives: the count is labelled with that threshold", async () => {
    const truth = await one(`SELECT COUNT(*) AS n FROM opportunities WHERE close_date ${Q4} AND is_closed = false AND amount >= 200000`);
    const r = await ask('What deals are closing this quarter over $200k?');
    expect(r.skill).toBe('quarter_pipeline');
    expect(r.answer).toContain(`${truth.n} open opportunities of $200K or more close in this period`);
    expect(r.answer).not.toContain('$100K or more');
  });

  it("the quarter's pipeline: top opportunities out of every open $100K+ deal closing in the period, with their total", async () => {
    const truth = await one(`SELECT COUNT(*) AS n, SUM(amount) AS amount, SUM(amount * probability / 100) AS weighted FROM opportunities
      WHERE close_date ${Q4} AND is_closed = false AND amount >= 100000`);
    expect(truth.n).toBeGreaterThan(limitOf('top_opportunities'));
    const r = await ask('What deals are closing this quarter?');
    expect(r.skill).toBe('quarter_pipeline');
    expect(r.answer).toContain(`${truth.n} open opportunities of $100K or more close in this period (${money(truth.amount)} in all, ${money(truth.weighted)} probability-weighted); the top 5 of ${truth.n}`);
  });
});

describe('a lookup that matches more records than it shows says how many', () => {
  let wide: SeededProject;
  beforeAll(async () => {
    // Every Negotiate deal matches as well as IXIS's, so the 5-row lookup is a page of a larger result.
    wide = await seedProject({ patch: (m) => ({ ...m, tools: m.tools.map((t) => (t.name !== 'deal_lookup' ? t
      : { ...asKind(t, 'sql'), sql: asKind(t, 'sql').sql.replace("OR o.account_name ILIKE ('%' || :deal_name || '%')", "OR o.account_name ILIKE ('%' || :deal_name || '%') OR o.stage_name = 'Negotiate'") })) }) });
  }, 60_000);
  afterAll(() => wide?.close());

  it('deal status: "N other deals match", N from every matching deal, not the 4 others shown', async () => {
    const [row] = (await wide.warehouse.query(
      "SELECT COUNT(*) AS n FROM opportunities WHERE opportunity_name ILIKE '%IXIS%' OR account_name ILIKE '%IXIS%' OR stage_name = 'Negotiate'")).rows;
    const n = Number(row!['n']);
    expect(n).toBeGreaterThan(5);
    const r = await collect(wide.engine.invoke({ agent: 'manager', text: 'what is the status of the IXIS deal?', sessionId: 'wide' }));
    expect(r.skill).toBe('deal_status');
    expect(r.answer).toContain(`${n - 1} other deals match "IXIS"; the 4 most recently changed:`);
  });
});

describe('a person lookup that matches more people than it shows says how many', () => {
  let wide: SeededProject;
  beforeAll(async () => {
    // Every MQL matches as well as John Smith, so the 5-row lookup is a page of a larger result.
    wide = await seedProject({ patch: (m) => ({ ...m, tools: m.tools.map((t) => (t.name !== 'lead_lookup' ? t
      : { ...asKind(t, 'sql'), sql: asKind(t, 'sql').sql.replace("WHERE c.full_name ILIKE ('%' || :person_name || '%')", "WHERE (c.full_name ILIKE ('%' || :person_name || '%') OR c.lead_status = 'MQL')") })) }) });
  }, 60_000);
  afterAll(() => wide?.close());

  it('lead assessment: "N people match", N from every matching person, not the 5 shown', async () => {
    const [row] = (await wide.warehouse.query("SELECT COUNT(*) AS n FROM contacts c WHERE c.full_name ILIKE '%John Smith%' OR c.lead_status = 'MQL'")).rows;
    const n = Number(row!['n']);
    expect(n).toBeGreaterThan(5);
    const r = await collect(wide.engine.invoke({ agent: 'manager', text: 'assess John Smith as a lead', sessionId: 'wide-lead' }));
    expect(r.skill).toBe('lead_assessment');
    expect(r.answer).toContain(`${n} people match "John Smith"; the 5 most recently engaged`);
  });
});

describe('tool results carry the count of all matching records', () => {
  it('every shipped sql tool with a LIMIT reports total_rows: a lookup matching more deals than it returns says how many', async () => {
    const limited = seeded.project.manifest.tools.filter((t) => t.kind === 'sql' && /\bLIMIT\s+\d+\s*$/u.test(t.sql!.trim()));
    expect(limited.map((t) => t.name).sort()).toEqual(['churn_risk', 'deal_calls', 'deal_lookup', 'deals_at_risk', 'expansion_signals', 'icp_score', 'lead_lookup', 'mql_leads', 'top_opportunities']);
    for (const t of limited) expect(asKind(t, 'sql').sql, t.name).toMatch(/COUNT\(\*\) OVER \(\) AS matched_rows/u);
    const truth = await one("SELECT COUNT(*) AS n FROM opportunities WHERE opportunity_name ILIKE '%Renewal%' OR account_name ILIKE '%Renewal%'");
    const r = await seeded.project.toolbox.run('deal_lookup', { deal_name: 'Renewal' });
    expect(truth.n).toBeGreaterThan(5);
    expect(r.stats).toMatchObject({ rowCount: 5, totalRows: truth.n, truncated: true });
    expect(r.columns!.map((c) => c.name)).not.toContain('matched_rows');
  });

  it('model-written SQL cut at the row cap is counted with its own filters', async () => {
    const truth = await one("SELECT COUNT(*) AS n FROM opportunities WHERE stage_name = 'Negotiate'");
    const r = await seeded.project.toolbox.run('firebolt_sql_query', { query: "SELECT id, amount FROM opportunities WHERE stage_name = 'Negotiate' -- open and closed\n" });
    expect(truth.n).toBeGreaterThan(200);
    expect(r.stats).toMatchObject({ rowCount: 200, totalRows: truth.n, truncated: true });
  });

  it.each(['; -- open and closed', ';\r', '; /* open and closed */', ';\t\n', ';\r\n-- open\r'])(
    'model-written SQL ending in %j is counted too', async (ending) => {
      const truth = await one("SELECT COUNT(*) AS n FROM opportunities WHERE stage_name = 'Negotiate'");
      const r = await seeded.project.toolbox.run('firebolt_sql_query', { query: `SELECT id, amount FROM opportunities WHERE stage_name = 'Negotiate'${ending}` });
      expect(r.stats).toMatchObject({ rowCount: 200, totalRows: truth.n, truncated: true });
    });

  it('a spec statement without matched_rows, cut at its row cap, is counted by a companion query with the same bound values', async () => {
    const capped = { ...seeded.project.manifest.tools.find((t) => t.name === 'deal_lookup')!, name: 'capped', maxRows: 3,
      sql: "SELECT id FROM opportunities WHERE opportunity_name ILIKE ('%' || :deal_name || '%')" };
    const toolbox = createToolbox([capped], { warehouse: seeded.project.warehouse, env: {}, now: () => new Date() });
    const truth = await one("SELECT COUNT(*) AS n FROM opportunities WHERE opportunity_name ILIKE '%Renewal%'");
    expect(await toolbox.run('capped', { deal_name: 'Renewal' })).toMatchObject({ stats: { rowCount: 3, totalRows: truth.n, truncated: true } });
  });

  it('a model reads "showing 20 of N" and the totals over all N, in the action-group text and the Converse tool result', async () => {
    const r = await seeded.project.toolbox.run('deals_at_risk', THIS_QUARTER);
    const n = r.stats.totalRows!;
    expect(n).toBeGreaterThan(20);
    const text = renderResult(r, 200_000);
    expect(text.split('\n')[0]).toBe(`${n} rows matched in all; totals over all ${n}: amount ${r.totals!['amount']}.`);
    expect(text).toContain(`… showing 20 of ${n} rows (cut at the tool's row limit)`);
    const block = toolResultBlock('t-1', r, 200_000, { withStatus: true });
    expect(block.toolResult!.content![0]).toMatchObject({ json: { rowCount: 20, totalRows: n, truncated: true, totals: { amount: r.totals!['amount'] } } });
  });
});
