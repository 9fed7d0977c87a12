import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManifestTool, SqlTool } from '../../../compiler/manifest.ts';
import { createToolbox } from '../../../runtime/tools/createToolbox.ts';
import { duckDbSecondOpinion } from '../../../runtime/tools/sql/duckDbSecondOpinion.ts';
import type { Toolbox } from '../../../runtime/tools/toolbox.ts';
import { findPlaceholders, rewritePlaceholders } from '../../../runtime/warehouse/placeholders.ts';
import type { SqlValue, Warehouse } from '../../../runtime/warehouse/warehouse.ts';
import { openSampleWarehouse, TABLE_COUNTS, tableCounts } from '../../support/sampleWarehouse.ts';
import { approvedCalls, makeTool, shippedTools, testContext } from '../../support/tools.ts';

const INJECTIONS = [
  "' OR 1=1 --",
  "x'; DROP TABLE opportunities; --",
  "%' OR '1'='1",
  "IXIS') UNION SELECT name, name FROM accounts --",
  "\\'; DELETE FROM accounts; --",
];

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const VALID: Record<string, string> = {
  deal_name: 'IXIS', account_name: 'IXIS', opportunity_id: 'opp-ixis', person_name: 'John Smith', company: 'DataCorp',
  contact_ids: 'c-john', customer_type: 'Commit', min_amount: '100000',
  period_start: day(-365), period_end: day(365),
};

let warehouse: Warehouse;
let tools: ManifestTool[];
let toolbox: Toolbox;

beforeAll(async () => {
  warehouse = await openSampleWarehouse();
  tools = await shippedTools();
  toolbox = approvedCalls(createToolbox(tools, testContext(warehouse)));
});
afterAll(() => warehouse.close());

/**
 * The same statement with the value written as a correctly quoted SQL literal: what "a literal match" gives. An
 * escape string, since the lexer refuses `\'` in a plain one.
 */
async function literalRun(tool: SqlTool, name: string, value: string, others: Record<string, SqlValue>) {
  const placeholders = findPlaceholders(tool.sql);
  const literal = `E'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
  const sql = rewritePlaceholders(tool.sql, placeholders, (p) => (p === name ? literal : `:${p}`));
  const used = Object.fromEntries(placeholders.filter((p) => p.name !== name).map((p) => [p.name, others[p.name] ?? null]));
  try {
    return { ok: true, rows: (await warehouse.query(sql, { params: used, maxRows: tool.maxRows })).rows };
  } catch {
    return { ok: false, rows: [] };
  }
}

describe('sql tools of the shipped specs bind parameters, never splice them', () => {
  it('has sql tools with parameters to attack', async () => {
    const attacked = (await shippedTools()).filter((t) => t.kind === 'sql' && t.parameters.length > 0);
    expect(attacked.length).toBeGreaterThanOrEqual(10);
  });

  it('every sql tool answers with rows for ordinary values (so the comparisons below are not vacuous)', async () => {
    for (const tool of tools.filter((t) => t.kind === 'sql')) {
      const result = await toolbox.run(tool.name, Object.fromEntries(tool.parameters.map((p) => [p.name, VALID[p.name] ?? 'x'])));
      expect({ tool: tool.name, ok: result.ok, some: (result.rows?.length ?? 0) > 0 }).toEqual({ tool: tool.name, ok: true, some: true });
    }
  });

  it('every parameter of every sql tool, with every injection string, behaves as the literal value', async () => {
    const cases = tools.filter((t): t is SqlTool => t.kind === 'sql').flatMap((tool) =>
      tool.parameters.flatMap((p) => INJECTIONS.map((value) => ({ tool, name: p.name, value, enumerated: p.enum !== undefined }))));
    for (const { tool, name, value, enumerated } of cases) {
      const others = Object.fromEntries(tool.parameters.filter((p) => p.name !== name).map((p) => [p.name, VALID[p.name] ?? 'x']));
      const result = await toolbox.run(tool.name, { ...others, [name]: value });
      // A parameter with an enum never reaches the SQL with another value: refused as invalid input first.
      if (enumerated) {
        expect({ tool: tool.name, name, ok: result.ok }).toEqual({ tool: tool.name, name, ok: false });
        continue;
      }
      const expected = await literalRun(tool, name, value, others);
      expect({ tool: tool.name, name, value, ok: result.ok, rows: result.rows ?? [] })
        .toEqual({ tool: tool.name, name, value, ok: expected.ok, rows: expected.rows });
      if (!result.ok) expect(result.error?.code).not.toBe('refused');
    }
    expect(await tableCounts(warehouse)).toEqual(TABLE_COUNTS);
  });

  it("an ILIKE parameter holding ' OR 1=1 -- matches nothing instead of everything", async () => {
    const all = await toolbox.run('deal_lookup', { deal_name: 'o' });
    expect(all.rows!.length).toBeGreaterThan(1);
    const injected = await toolbox.run('deal_lookup', { deal_name: "' OR 1=1 --" });
    expect(injected).toMatchObject({ ok: true, rows: [] });
  });

  it('returns the seed figures for the IXIS lookup', async () => {
    const result = await toolbox.run('deal_lookup', { deal_name: 'IXIS' });
    expect(result.ok).toBe(true);
    expect(result.rows![0]).toMatchObject({ opportunity_name: 'IXIS-Snowflake Cost Replacement', stage_name: 'Negotiate', probability: 75, amount: 2100000, owner_name: 'Sarah Johnson' });
  });
});

describe('sql_query (model-written SQL)', () => {
  it.each([
    ['SELECT name FROM accounts ORDER BY name', 3],
    ["WITH w AS (SELECT owner_name, SUM(amount) AS total FROM opportunities WHERE is_closed = false GROUP BY owner_name) SELECT * FROM w ORDER BY total DESC", 2],
    ["SELECT opportunity_name, RANK() OVER (ORDER BY amount DESC) AS r FROM opportunities WHERE opportunity_name ILIKE '%;%' OR opportunity_name <> 'DELETE'", 4],
    ['SELECT a.name FROM accounts a WHERE a.id IN (SELECT account_id FROM opportunities WHERE amount > 700000) -- ; DROP TABLE x', 2],
    ["SELECT CASE WHEN probability >= 75 THEN 'high' ELSE 'low' END AS band, COUNT(*) AS n FROM opportunities GROUP BY 1 ORDER BY 1", 2],
  ])('runs %s', async (query, rowCount) => {
    const result = await toolbox.run('firebolt_sql_query', { query });
    expect(result.error).toBeUndefined();
    expect(result.rows).toHaveLength(rowCount);
  });

  it.each([
    'DELETE FROM opportunities',
    'SELECT 1; DROP TABLE opportunities',
    "SELECT * FROM read_csv('/etc/passwd')",
    'WITH d AS (DELETE FROM accounts RETURNING *) SELECT * FROM d',
  ])('refuses %s and leaves the data alone', async (query) => {
    const result = await toolbox.run('firebolt_sql_query', { query });
    expect(result).toMatchObject({ ok: false, error: { code: 'refused' } });
    expect(await tableCounts(warehouse)).toEqual(TABLE_COUNTS);
  });

  it.each([
    ['SELECT 1; SELECT 2', 'refused', "DuckDB's parser found 2 statements"],
    ['DELETE FROM accounts', 'refused', "DuckDB's parser says: Only SELECT statements can be serialized to json"],
    ['SELECT FROM WHERE', 'invalid_parameter', 'query: the SQL does not parse: syntax error at or near "WHERE"'],
  ])('DuckDB\'s parser gives a second opinion on %s', async (query, code, message) => {
    await expect(duckDbSecondOpinion(warehouse, query, 5_000)).rejects.toMatchObject({ code, message: expect.stringContaining(message) });
  });

  it('a syntax error caught by the second opinion reaches the model as a parameter problem', async () => {
    const result = await toolbox.run('firebolt_sql_query', { query: 'SELECT FROM WHERE' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_parameter', message: expect.stringContaining('does not parse') } });
  });

  it('caps rows at the tool row cap and says so', async () => {
    const capped = createToolbox([makeTool({ name: 'q', kind: 'sql_query', maxRows: 2, parameters: [{ name: 'query', type: 'string', required: true, description: 'sql' }] })], testContext(warehouse));
    const result = await capped.run('q', { query: 'SELECT * FROM opportunities' });
    expect(result).toMatchObject({ ok: true, stats: { rowCount: 2, truncated: true } });
  });

  it('turns a warehouse syntax error into a parameter problem the model can fix', async () => {
    const result = await toolbox.run('firebolt_sql_query', { query: 'SELECT nosuchcolumn FROM accounts' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_parameter' } });
    expect(result.error!.message).toMatch(/^query: the warehouse rejected the SQL/);
  });
});

describe('sql_write (firebolt_writer)', () => {
  it('updates an allowlisted column by the full key and reports rows affected', async () => {
    const result = await toolbox.run('firebolt_writer', {
      table: 'opportunities', operation: 'update', values: '{"next_step":"Send MSA; then \'legal\'"}', key: '{"id":"opp-ixis"}',
    });
    expect(result).toMatchObject({ ok: true, text: 'Updated 1 row in opportunities.' });
    const row = await warehouse.query("SELECT next_step FROM opportunities WHERE id = 'opp-ixis'");
    expect(row.rows[0]!['next_step']).toBe("Send MSA; then 'legal'");
  });

  it('inserts an activity with values given as an object', async () => {
    const result = await toolbox.run('firebolt_writer', {
      table: 'activities', operation: 'insert',
      values: { id: 'act-new', opportunity_id: 'opp-ixis', activity_type: 'Email', subject: 'x"); DROP TABLE accounts; --', activity_date: day(0), owner_name: 'Sarah Johnson' },
    });
    expect(result).toMatchObject({ ok: true, text: 'Inserted 1 row in activities.' });
    const row = await warehouse.query("SELECT subject FROM activities WHERE id = 'act-new'");
    expect(row.rows[0]!['subject']).toBe('x"); DROP TABLE accounts; --');
    await warehouse.query("DELETE FROM activities WHERE id = 'act-new'");
  });

  it.each([
    [{ table: 'accounts', operation: 'update', values: '{"name":"x"}', key: '{"id":"acc-ixis"}' }, 'invalid_parameter', 'must be one of opportunities, activities'],
    [{ table: 'opportunities', operation: 'update', values: '{"amount":0}', key: '{"id":"opp-ixis"}' }, 'refused', 'Column amount cannot be updated in opportunities; allowed: next_step, stage_name, forecast_category'],
    [{ table: 'opportunities', operation: 'update', values: '{"id":"other"}', key: '{"id":"opp-ixis"}' }, 'refused', 'Column id cannot be updated'],
    [{ table: 'opportunities', operation: 'insert', values: '{"next_step":"x"}' }, 'refused', 'insert is not allowed on opportunities; allowed: update'],
    [{ table: 'activities', operation: 'update', values: '{"subject":"x"}', key: '{"id":"act-1"}' }, 'refused', 'update is not allowed on activities'],
    [{ table: 'opportunities', operation: 'update', values: '{"next_step":"x"}' }, 'invalid_parameter', 'Parameter key must be a non-empty JSON object'],
    [{ table: 'opportunities', operation: 'update', values: '{"next_step":"x"}', key: '{"opportunity_name":"IXIS"}' }, 'refused', 'Column opportunity_name cannot be used as the key'],
    [{ table: 'opportunities', operation: 'update', values: '{"next_step":"x"}', key: '{"id":null}' }, 'invalid_parameter', 'must name the full key of opportunities; missing: id'],
    [{ table: 'activities', operation: 'insert', values: '{"id":"a2","amount":5}' }, 'refused', 'Column amount cannot be written in activities'],
    [{ table: 'activities', operation: 'insert', values: 'not json' }, 'invalid_parameter', 'Parameter values must be a JSON object'],
    [{ table: 'activities', operation: 'insert', values: '{"id":{"nested":1}}' }, 'invalid_parameter', 'column id must hold a string, number, boolean or null'],
  ])('refuses %j', async (params, code, message) => {
    const before = await warehouse.query('SELECT * FROM opportunities ORDER BY id');
    const result = await toolbox.run('firebolt_writer', params);
    expect(result).toMatchObject({ ok: false, error: { code } });
    expect(result.error!.message).toContain(message);
    expect((await warehouse.query('SELECT * FROM opportunities ORDER BY id')).rows).toEqual(before.rows);
    expect(await tableCounts(warehouse)).toEqual(TABLE_COUNTS);
  });

  it('refuses a table the spec does not list even when no enum guards the parameter', async () => {
    const writer = makeTool({
      name: 'writer', kind: 'sql_write',
      parameters: ['table', 'operation', 'values', 'key'].map((name) => ({ name, type: 'string' as const, required: false, description: name })),
      write: { tables: { activities: { columns: ['subject'], key: ['id'], operations: ['insert'], enums: {} } } },
    });
    const result = await approvedCalls(createToolbox([writer], testContext(warehouse))).run('writer', { table: 'accounts', operation: 'insert', values: '{"subject":"x"}' });
    expect(result).toMatchObject({ ok: false, error: { code: 'refused', message: 'Writes to "accounts" are not allowed; writable tables: activities.' } });
  });
});

describe('sql tools: parameters resolved as dates', () => {
  it.each(['notadate', '20260101'])('refuses period_start=%s as invalid_parameter before the warehouse sees it', async (value) => {
    const result = await toolbox.run('top_opportunities', { period_start: value, period_end: '2026-12-31' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_parameter', message: expect.stringMatching(/period_start .*YYYY-MM-DD/) } });
  });
});

