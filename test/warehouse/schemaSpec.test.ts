/**
 * `revops data schema`: the warehouse spec read from a live warehouse. The shipped specs/warehouse/sample.yaml is
 * exactly what it writes for a freshly seeded sample warehouse (so the two cannot drift); through the real
 * firebolt-sdk against the loopback stand-in, Firebolt's type names come back in DuckDB's spelling.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { CommandIO } from '../../compiler/cli/command.ts';
import { command } from '../../runtime/cli/data.ts';
import { duckDbTypeOf } from '../../runtime/warehouse/readSchema.ts';
import { seedSampleWarehouse } from '../../runtime/warehouse/sample/createSampleWarehouse.ts';
import { type FireboltStandIn, startFireboltStandIn } from './fireboltStandIn.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SHIPPED = join(ROOT, 'specs', 'warehouse', 'sample.yaml');
const credentials = { clientId: 'svc-revops', clientSecret: 'test-only-secret', account: 'revops', database: 'dwh_prod', engine: 'dwh_prod_analytics' };

let dir: string;
let warehouse: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'data-schema-'));
  ({ path: warehouse } = await seedSampleWarehouse({ out: join(dir, 'warehouse.duckdb'), scale: 50, now: new Date() }));
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

function io(env: Record<string, string>): { io: CommandIO; out: string[] } {
  const out: string[] = [];
  return { io: { stdout: (t) => out.push(t), stderr: (t) => out.push(t), isTTY: false, env, cwd: dir }, out };
}

interface Spec {
  name: string;
  dialect: string;
  tables: Record<string, { columns: Record<string, { type: string; description?: string }> }>;
}

describe('revops data schema', () => {
  it('writes the shipped specs/warehouse/sample.yaml byte for byte from the seeded sample warehouse', async () => {
    const { io: cli, out } = io({ REVOPS_WAREHOUSE_PATH: warehouse });
    expect(await command.run(['schema', '--out', 'specs/warehouse/sample.yaml'], cli)).toBe(0);
    expect(out.join('\n')).toBe('wrote specs/warehouse/sample.yaml: 6 tables, 90 columns from the duckdb warehouse');
    const written = await readFile(join(dir, 'specs', 'warehouse', 'sample.yaml'), 'utf8');
    // On a difference: `npm run revops -- data seed` then `npm run revops -- data schema --out specs/warehouse/sample.yaml`.
    expect(written).toBe(await readFile(SHIPPED, 'utf8'));
  });

  it('carries schema.sql\'s column comments as descriptions', async () => {
    const spec = parse(await readFile(SHIPPED, 'utf8')) as Spec;
    expect(spec.tables.opportunities!.columns.amount).toEqual({ type: 'BIGINT', description: 'USD' });
    expect(spec.tables.opportunities!.columns.probability).toEqual({ type: 'INTEGER', description: '0..100' });
    expect(spec.tables.product_usage!.columns.compute_hours).toEqual({ type: 'DOUBLE' });
  });

  it('names the file\'s spec after it, by default specs/warehouse/warehouse.yaml', async () => {
    const { io: cli } = io({ REVOPS_WAREHOUSE_PATH: warehouse });
    expect(await command.run(['schema'], cli)).toBe(0);
    expect((parse(await readFile(join(dir, 'specs', 'warehouse', 'warehouse.yaml'), 'utf8')) as Spec).name).toBe('warehouse');
  });

  it('reads Firebolt\'s information_schema through firebolt-sdk, with the same tables, columns and types', async () => {
    let standIn: FireboltStandIn | undefined;
    try {
      standIn = await startFireboltStandIn({ databaseFile: warehouse, ...credentials });
      await promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT, 'infra', 'cli', 'revops.mjs'), 'data', 'schema', '--out', join(dir, 'firebolt.yaml')], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: standIn.caFile, REVOPS_WAREHOUSE: 'firebolt',
          FIREBOLT_API_ENDPOINT: standIn.apiEndpoint, FIREBOLT_CLIENT_ID: credentials.clientId,
          FIREBOLT_CLIENT_SECRET: credentials.clientSecret, FIREBOLT_ACCOUNT: credentials.account,
          FIREBOLT_DATABASE: credentials.database, FIREBOLT_ENGINE: credentials.engine,
        },
      });
      expect(standIn.requests.some((r) => /information_schema\.columns/.test(r.sql))).toBe(true);
    } finally {
      await standIn?.close();
    }
    const firebolt = parse(await readFile(join(dir, 'firebolt.yaml'), 'utf8')) as Spec;
    const duckdb = parse(await readFile(SHIPPED, 'utf8')) as Spec;
    expect(firebolt.dialect).toBe('firebolt');
    const types = (spec: Spec) => Object.fromEntries(Object.entries(spec.tables).map(([t, { columns }]) =>
      [t, Object.fromEntries(Object.entries(columns).map(([c, { type }]) => [c, type]))]));
    expect(types(firebolt)).toEqual(types(duckdb));
  }, 120_000);
});

describe('Firebolt type names in DuckDB\'s spelling', () => {
  it.each([
    ['text', 'VARCHAR'], ['TEXT', 'VARCHAR'], ['integer', 'INTEGER'], ['bigint', 'BIGINT'], ['long', 'BIGINT'],
    ['double precision', 'DOUBLE'], ['real', 'FLOAT'], ['date', 'DATE'], ['pgdate', 'DATE'], ['timestamp', 'TIMESTAMP'],
    ['timestamptz', 'TIMESTAMP WITH TIME ZONE'], ['boolean', 'BOOLEAN'], ['numeric(38, 9)', 'DECIMAL(38,9)'],
    ['array(text)', 'VARCHAR[]'], ['text null', 'VARCHAR'], ['geography', 'GEOGRAPHY'],
  ])('%s -> %s', (firebolt, duckdb) => expect(duckDbTypeOf(firebolt)).toBe(duckdb));
});
