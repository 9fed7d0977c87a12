/**
 * Chooses and opens the configured warehouse. `REVOPS_WAREHOUSE=firebolt` selects Firebolt (credentials from the
 * environment or Secrets Manager, see fireboltConfig.ts); unset or `duckdb` selects the embedded DuckDB file at
 * `REVOPS_WAREHOUSE_PATH` (default `.revops/warehouse.duckdb`), opened read-only.
 * Firebolt is never chosen just because FIREBOLT_* credentials happen to be in the environment: a developer shell
 * with production credentials must not send a local test run to production. Each driver is imported only when
 * chosen, so a Lambda bundle for one never loads the other.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Warehouse, WarehouseError } from './warehouse.ts';

export const DEFAULT_WAREHOUSE_PATH = '.revops/warehouse.duckdb';

export async function openWarehouse(env: Record<string, string | undefined>, cwd: string = process.cwd()): Promise<Warehouse> {
  const kind = env.REVOPS_WAREHOUSE?.trim().toLowerCase() || 'duckdb';
  if (kind === 'firebolt') {
    const [{ loadFireboltConfig }, { openFireboltWarehouse }] = await Promise.all([
      import('./fireboltConfig.ts'),
      import('./fireboltWarehouse.ts'),
    ]);
    return openFireboltWarehouse(await loadFireboltConfig(env));
  }
  if (kind !== 'duckdb') {
    throw new WarehouseError('connection', `REVOPS_WAREHOUSE must be 'duckdb' or 'firebolt'; got '${env.REVOPS_WAREHOUSE}'`);
  }
  const path = resolve(cwd, env.REVOPS_WAREHOUSE_PATH?.trim() || DEFAULT_WAREHOUSE_PATH);
  if (!existsSync(path)) {
    throw new WarehouseError('connection', `no warehouse at ${path}; run \`npm run revops -- data seed\` to build the ` +
      'sample one, or set REVOPS_WAREHOUSE_PATH');
  }
  const { openDuckDbWarehouse } = await import('./duckdbWarehouse.ts');
  return openDuckDbWarehouse(path, { readOnly: true });
}
