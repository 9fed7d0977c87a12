/**
 * The model-written SQL tool refuses the red-team corpus by the guard alone: the warehouse (DuckDB's second
 * opinion included) is never asked, in either dialect, so Firebolt, which has no second opinion, is as safe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToolbox } from '../../../runtime/tools/createToolbox.ts';
import type { QueryOptions, Warehouse } from '../../../runtime/warehouse/warehouse.ts';
import { RED_TEAM_CORPUS } from '../../support/redTeamSql.ts';
import { openSampleWarehouse, TABLE_COUNTS, tableCounts } from '../../support/sampleWarehouse.ts';
import { makeTool, shippedTools, testContext } from '../../support/tools.ts';

/** The sample warehouse behind a recorder, presenting itself as `dialect`. */
function spy(inner: Warehouse, dialect: Warehouse['dialect']): Warehouse & { calls: string[] } {
  const calls: string[] = [];
  return {
    dialect,
    calls,
    query: (sql: string, options?: QueryOptions) => {
      calls.push(sql);
      return inner.query(sql, options);
    },
    close: () => inner.close(),
  };
}

let sample: Warehouse;
beforeAll(async () => {
  sample = await openSampleWarehouse();
});
afterAll(() => sample.close());

describe('firebolt_sql_query refuses the red-team corpus before any engine', () => {
  it.each(RED_TEAM_CORPUS.flatMap(([sql]) => (['duckdb', 'firebolt'] as const).map((dialect) => [dialect, sql] as const)))(
    '%s: %j', async (dialect, query) => {
      const warehouse = spy(sample, dialect);
      const toolbox = createToolbox(await shippedTools(), testContext(warehouse));
      const result = await toolbox.run('firebolt_sql_query', { query });
      expect(result).toMatchObject({ ok: false, error: { code: 'refused' } });
      expect(warehouse.calls).toEqual([]);
    });

  it('still runs a read query through the same spy (the spy sees real calls)', async () => {
    const warehouse = spy(sample, 'duckdb');
    const toolbox = createToolbox(await shippedTools(), testContext(warehouse));
    const result = await toolbox.run('firebolt_sql_query', { query: 'SELECT name FROM accounts --x\r ORDER BY name' });
    expect(result).toMatchObject({ ok: true, stats: { rowCount: 3 } });
    expect(warehouse.calls.length).toBe(2); // DuckDB's second opinion, then the query
    expect(await tableCounts(sample)).toEqual(TABLE_COUNTS);
  });
});

describe('the function allow-list is for model-written SQL only', () => {
  it("runs an analyst's sql tool that uses a generator, which the sql_query tool refuses", async () => {
    const query = 'SELECT count(*) AS n FROM generate_series(1, 10)';
    const spine = makeTool({ name: 'spine', kind: 'sql', sql: query });
    const toolbox = createToolbox([...(await shippedTools()), spine], testContext(sample));
    expect(await toolbox.run('spine', {})).toMatchObject({ ok: true, rows: [{ n: 10 }] });
    expect(await toolbox.run('firebolt_sql_query', { query })).toMatchObject({ ok: false, error: { code: 'refused', message: expect.stringContaining('Function generate_series') } });
  });
});

describe('firebolt_sql_query under the warehouse memory limit', () => {
  it('ends a query that outgrows the limit with a too_large error the model can act on', async () => {
    const small = await openSampleWarehouse(':memory:', { memoryLimit: '64MB' });
    try {
      const toolbox = createToolbox(await shippedTools(), testContext(small));
      // 3^15 rows of concatenated names: a list far beyond 64 MB, built from allowed functions on warehouse tables.
      const joins = Array.from({ length: 15 }, (_, i) => `accounts a${i}`).join(', ');
      const result = await toolbox.run('firebolt_sql_query', { query: `SELECT list(a0.name || a1.name || a2.name) FROM ${joins}` });
      expect(result).toMatchObject({ ok: false, error: { code: 'too_large', message: expect.stringMatching(/^query too large: it needs more than the warehouse's 64MB of memory; narrow it/) } });
      const after = await toolbox.run('firebolt_sql_query', { query: 'SELECT count(*) AS n FROM accounts' });
      expect(after).toMatchObject({ ok: true, rows: [{ n: 3 }] });
    } finally {
      await small.close();
    }
  });
});
