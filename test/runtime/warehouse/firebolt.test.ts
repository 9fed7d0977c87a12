/**
 * Firebolt through the real firebolt-sdk against the loopback stand-in (fireboltStandIn.ts), which answers from
 * the seeded sample warehouse. The client runs in a child process (fireboltClient.ts) so it can trust the
 * stand-in's certificate; results are compared with the same SQL on the embedded DuckDB warehouse.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../../runtime/warehouse/duckdbWarehouse.ts';
import { seedSampleWarehouse } from '../../../runtime/warehouse/sample/createSampleWarehouse.ts';
import type { QueryResult, Warehouse } from '../../../runtime/warehouse/warehouse.ts';
import type { PlannedQuery } from './fireboltClient.ts';
import { type FireboltStandIn, startFireboltStandIn } from '../../support/fireboltStandIn.ts';
import { ixisLookup, pipelineQueries } from './seedQueries.ts';

const run = promisify(execFile);
const clientScript = fileURLToPath(new URL('./fireboltClient.ts', import.meta.url));
const credentials = { clientId: 'svc-revops', clientSecret: 'test-only-secret', account: 'revops', database: 'dwh_prod', engine: 'dwh_prod_analytics' };

type Outcome = { result: QueryResult } | { error: { code: string; message: string } };
interface ClientOutput { dialect?: string; openError?: { code: string; message: string }; results?: Outcome[] }

let dir: string;
let standIn: FireboltStandIn;
let duckdb: Warehouse;
const now = new Date();

async function client(queries: PlannedQuery[], secret = credentials.clientSecret): Promise<ClientOutput> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', clientScript], {
    env: {
      PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: standIn.caFile, REVOPS_WAREHOUSE: 'firebolt',
      FIREBOLT_API_ENDPOINT: standIn.apiEndpoint, FIREBOLT_CLIENT_ID: credentials.clientId, FIREBOLT_CLIENT_SECRET: secret,
      FIREBOLT_ACCOUNT: credentials.account, FIREBOLT_DATABASE: credentials.database, FIREBOLT_ENGINE: credentials.engine,
      REVOPS_TEST_QUERIES: JSON.stringify(queries),
    },
  });
  return JSON.parse(stdout) as ClientOutput;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'firebolt-test-'));
  const { path } = await seedSampleWarehouse({ out: join(dir, 'warehouse.duckdb'), scale: 400, now });
  standIn = await startFireboltStandIn({ databaseFile: path, ...credentials });
  duckdb = await openDuckDbWarehouse(path, { readOnly: true });
});

afterAll(async () => {
  await duckdb?.close();
  await standIn?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('Firebolt warehouse through firebolt-sdk', () => {
  const { overview, top, risk } = pipelineQueries(now);
  const injection = "IXIS%' OR '1'='1'; DROP TABLE opportunities; --";
  const planned: PlannedQuery[] = [
    { sql: ixisLookup },
    { sql: overview },
    { sql: top },
    { sql: risk },
    { sql: "SELECT opportunity_name, amount FROM opportunities WHERE opportunity_name ILIKE '%' || :deal || '%' AND amount >= :min", params: { deal: 'ixis', min: 1000000 } },
    { sql: 'SELECT count(*) AS n FROM opportunities WHERE opportunity_name ILIKE :name', params: { name: injection } },
    { sql: 'SELECT id FROM accounts ORDER BY id', maxRows: 5 },
    { sql: 'SELECT count(*) AS n FROM range(3000000000) a, range(1000) b WHERE a.range % 1000 = b.range', timeoutMs: 200 },
    { sql: 'SELEC opportunity_name FROM opportunities' },
    { sql: 'SELECT :deal AS v', params: { deal: 'x', extra: 'y' } },
    { sql: 'SELECT count(*) AS n FROM opportunities WHERE close_date <= :day', params: { day: '2000-01-01' }, timeoutMs: 5000 },
  ];
  let output: ClientOutput;
  beforeAll(async () => { output = await client(planned); }, 120_000);

  const result = (i: number): QueryResult => {
    const outcome = output.results![i]!;
    if ('error' in outcome) throw new Error(`query ${i} failed: ${outcome.error.message}`);
    return outcome.result;
  };
  const error = (i: number) => {
    const outcome = output.results![i]!;
    if (!('error' in outcome)) throw new Error(`query ${i} succeeded`);
    return outcome.error;
  };

  it('runs the seed\'s IXIS lookup and pipeline SQL (ILIKE, DATEDIFF, INTERVAL, CASE ordering) with the DuckDB answers', async () => {
    expect(output.dialect).toBe('firebolt');
    for (const [i, sql] of [ixisLookup, overview, top, risk].entries()) {
      const expected = await duckdb.query(sql);
      expect(result(i).rows).toEqual(expected.rows);
      expect(result(i).columns.map((c) => c.name)).toEqual(expected.columns.map((c) => c.name));
    }
    expect(result(0).rows[0]).toMatchObject({ opportunity_name: 'IXIS-Snowflake Cost Replacement', stage_name: 'Negotiate',
      probability: 75, amount: 2100000, owner_name: 'Sarah Johnson', account_name: 'IXIS Investment Management' });
    expect(result(1).rows.map((r) => r.stage_name)).toEqual(['Verbal Commit', 'Negotiate', 'Proposal']);
  });

  it('binds :name parameters as Firebolt server-side parameters', () => {
    expect(result(4).rows).toEqual([{ opportunity_name: 'IXIS-Snowflake Cost Replacement', amount: 2100000 }]);
    const sent = standIn.requests.find((r) => r.sql.includes('AND amount >= $2'))!;
    expect(sent.sql).toContain("ILIKE '%' || $1 || '%'");
    expect(JSON.parse(sent.params.get('query_parameters')!)).toEqual([{ name: '$1', value: 'ixis' }, { name: '$2', value: 1000000 }]);
  });

  it('matches an injection string literally and never sends it as SQL', () => {
    expect(result(5).rows).toEqual([{ n: 0 }]);
    expect(standIn.requests.some((r) => r.sql.includes('DROP TABLE'))).toBe(false);
  });

  it('keeps parameters when a timeout setting is sent too', () => {
    expect(result(10).rows).toEqual([{ n: 0 }]);
    const sent = standIn.requests.find((r) => r.sql.includes('close_date <= $1'))!;
    expect(sent.params.get('statement_timeout')).toBe('5000');
    expect(JSON.parse(sent.params.get('query_parameters')!)).toEqual([{ name: '$1', value: '2000-01-01' }]);
  });

  it('caps rows at maxRows and says the result was truncated', () => {
    expect(result(6).rows).toHaveLength(5);
    expect(result(6).stats).toMatchObject({ rowCount: 5, truncated: true });
    // The engine is told the cap (one more row, to tell truncation), so it never builds or sends the rest.
    expect(standIn.requests.find((r) => r.sql === 'SELECT id FROM accounts ORDER BY id')!.params.get('max_result_rows')).toBe('6');
  });

  it('maps a statement timeout, a syntax error and a stray parameter to their error codes', () => {
    expect(error(7).code).toBe('timeout');
    expect(error(8).code).toBe('syntax');
    expect(error(9)).toMatchObject({ code: 'parameter', message: expect.stringContaining("'extra'") });
  });

  it('refuses wrong credentials with a connection error', async () => {
    const denied = await client([{ sql: 'SELECT 1' }], 'wrong-secret');
    expect(denied.openError?.code).toBe('connection');
    expect(denied.openError?.message).toContain('FIREBOLT_');
  }, 60_000);
});
