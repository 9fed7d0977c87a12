import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFireboltConfig } from '../../../runtime/warehouse/fireboltConfig.ts';
import { openWarehouse } from '../../../runtime/warehouse/openWarehouse.ts';
import { seedSampleWarehouse } from '../../../runtime/warehouse/sample/createSampleWarehouse.ts';
import { WarehouseError } from '../../../runtime/warehouse/warehouse.ts';

const firebolt = {
  FIREBOLT_CLIENT_ID: 'id', FIREBOLT_CLIENT_SECRET: 'secret', FIREBOLT_ACCOUNT: 'acct', FIREBOLT_DATABASE: 'db', FIREBOLT_ENGINE: 'eng',
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'open-warehouse-'));
  await seedSampleWarehouse({ out: join(dir, 'custom.duckdb'), scale: 10 });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('openWarehouse', () => {
  it('opens the DuckDB file at REVOPS_WAREHOUSE_PATH read-only, even with Firebolt credentials in the environment', async () => {
    const warehouse = await openWarehouse({ ...firebolt, REVOPS_WAREHOUSE_PATH: 'custom.duckdb' }, dir);
    expect(warehouse.dialect).toBe('duckdb');
    expect((await warehouse.query('SELECT count(*) AS n FROM opportunities')).rows).toEqual([{ n: 10 }]);
    await expect(warehouse.query("DELETE FROM opportunities")).rejects.toThrow(/read-only/i);
    await warehouse.close();
  });

  it('finds the embedded warehouse in REVOPS_DATA_DIR and opens it writable when asked', async () => {
    await seedSampleWarehouse({ out: join(dir, 'data', 'warehouse.duckdb'), scale: 10 });
    const warehouse = await openWarehouse({ REVOPS_DATA_DIR: 'data' }, dir, { writable: true });
    await warehouse.query("UPDATE opportunities SET next_step = 'call back' WHERE id = 'OPP-IXIS-01'");
    expect((await warehouse.query("SELECT next_step FROM opportunities WHERE id = 'OPP-IXIS-01'")).rows)
      .toEqual([{ next_step: 'call back' }]);
    await warehouse.close();
  });

  it('makes CURRENT_DATE the REVOPS_NOW day, so the sample data and the SQL share one clock', async () => {
    const warehouse = await openWarehouse({ REVOPS_WAREHOUSE_PATH: 'custom.duckdb', REVOPS_NOW: '2025-08-16T16:30:00Z' }, dir);
    const { rows } = await warehouse.query("SELECT CURRENT_DATE AS today, 'CURRENT_DATE' AS text, CURRENT_DATE - INTERVAL 14 DAY AS before");
    expect(rows[0]).toMatchObject({ today: '2025-08-16', text: 'CURRENT_DATE' });
    expect(String(rows[0]!.before)).toMatch(/^2025-08-02/);
    await warehouse.close();
  });

  it('applies REVOPS_WAREHOUSE_MEMORY_LIMIT, and a 512MB limit without it', async () => {
    const limits: string[] = [];
    for (const env of [{ REVOPS_WAREHOUSE_MEMORY_LIMIT: '100MB' }, {}]) {
      const warehouse = await openWarehouse({ REVOPS_WAREHOUSE_PATH: 'custom.duckdb', ...env }, dir);
      limits.push(String((await warehouse.query("SELECT current_setting('memory_limit') AS m")).rows[0]!['m']));
      await warehouse.close();
    }
    expect(limits).toEqual(['95.3 MiB', '488.2 MiB']);
  });

  it('tells how to build the sample warehouse when the file is missing', async () => {
    await expect(openWarehouse({}, dir)).rejects.toThrow(/npm run revops -- data seed/);
  });

  it('rejects an unknown REVOPS_WAREHOUSE', async () => {
    await expect(openWarehouse({ REVOPS_WAREHOUSE: 'snowflake' }, dir)).rejects.toThrow(/'duckdb' or 'firebolt'/);
  });

  it('names every missing Firebolt setting when Firebolt is selected', async () => {
    const error = await openWarehouse({ REVOPS_WAREHOUSE: 'firebolt', FIREBOLT_CLIENT_ID: 'id' }, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as WarehouseError).code).toBe('connection');
    expect((error as WarehouseError).message).toMatch(/FIREBOLT_CLIENT_SECRET, FIREBOLT_ACCOUNT, FIREBOLT_DATABASE, FIREBOLT_ENGINE are not set/);
  });
});

describe('loadFireboltConfig', () => {
  it('reads the environment, with an optional API endpoint', async () => {
    expect(await loadFireboltConfig({ ...firebolt, FIREBOLT_API_ENDPOINT: 'api.dev.firebolt.io' })).toEqual({
      clientId: 'id', clientSecret: 'secret', account: 'acct', database: 'db', engine: 'eng', apiEndpoint: 'api.dev.firebolt.io',
    });
  });

  it('reads a Secrets Manager JSON secret when FIREBOLT_SECRET_ARN is set, the secret winning over the environment', async () => {
    const secrets = mockClient(SecretsManagerClient);
    const arn = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:firebolt';
    secrets.on(GetSecretValueCommand, { SecretId: arn }).resolves({ SecretString: JSON.stringify({ ...firebolt, FIREBOLT_CLIENT_SECRET: 'from-secret' }) });
    const config = await loadFireboltConfig({ FIREBOLT_SECRET_ARN: arn, FIREBOLT_CLIENT_SECRET: 'from-env' }, new SecretsManagerClient({}));
    expect(config).toMatchObject({ clientId: 'id', clientSecret: 'from-secret', engine: 'eng' });
    secrets.restore();
  });

  it('explains an unreadable or malformed secret', async () => {
    const secrets = mockClient(SecretsManagerClient);
    secrets.on(GetSecretValueCommand).rejectsOnce(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }))
      .resolves({ SecretString: 'not json' });
    const env = { FIREBOLT_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:x' };
    await expect(loadFireboltConfig(env, new SecretsManagerClient({}))).rejects.toThrow(/AccessDeniedException.*GetSecretValue/);
    await expect(loadFireboltConfig(env, new SecretsManagerClient({}))).rejects.toThrow(/JSON object/);
    secrets.restore();
  });
});
