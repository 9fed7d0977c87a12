/**
 * Chooses and opens the configured warehouse. `REVOPS_WAREHOUSE=firebolt` selects Firebolt (credentials from the
 * environment or Secrets Manager, see fireboltConfig.ts); unset or `duckdb` selects the embedded DuckDB file at
 * `REVOPS_WAREHOUSE_PATH` (default `warehouse.duckdb` in REVOPS_DATA_DIR, itself `.revops` by default), opened
 * read-only unless the caller needs writes (the server, for CRM updates; DuckDB then locks the file to one process).
 * With REVOPS_NOW set, its CURRENT_DATE is that day, so the sample data and the seed's date arithmetic agree;
 * REVOPS_WAREHOUSE_MEMORY_LIMIT sets its memory limit (duckdbWarehouse.ts).
 * Firebolt is never chosen just because FIREBOLT_* credentials happen to be in the environment: a developer shell
 * with production credentials must not send a local test run to production. Each driver is imported only when
 * chosen, so a Lambda bundle for one never loads the other. A DuckDB file another process holds for writing is a
 * `locked` error naming that process (warehouseLock.ts).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sampleNow } from './sample/sampleClock.ts';
import { type Warehouse, WarehouseError } from './warehouse.ts';
import { lockConflict } from './warehouseLock.ts';
import { dataDirOf } from '../config.ts';

type Env = Record<string, string | undefined>;

/** Where the embedded DuckDB warehouse lives: REVOPS_WAREHOUSE_PATH, else `<REVOPS_DATA_DIR or .revops>/warehouse.duckdb`. */
export function embeddedWarehousePath(env: Env, cwd: string = process.cwd()): string {
  return resolve(cwd, env.REVOPS_WAREHOUSE_PATH?.trim() || join(dataDirOf(env, cwd), 'warehouse.duckdb'));
}

export async function openWarehouse(env: Env, cwd: string = process.cwd(), options: { writable?: boolean } = {}): Promise<Warehouse> {
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
  const path = embeddedWarehousePath(env, cwd);
  if (!existsSync(path)) {
    throw new WarehouseError('connection', `no warehouse at ${path}; run \`npm run revops -- data seed\` to build the ` +
      'sample one, or set REVOPS_WAREHOUSE_PATH');
  }
  const { openDuckDbWarehouse } = await import('./duckdbWarehouse.ts');
  const today = env.REVOPS_NOW?.trim() ? sampleNow(env).toISOString().slice(0, 10) : undefined;
  const memoryLimit = env.REVOPS_WAREHOUSE_MEMORY_LIMIT?.trim();
  try {
    return await openDuckDbWarehouse(path, { readOnly: !options.writable, ...(today ? { today } : {}), ...(memoryLimit ? { memoryLimit } : {}) });
  } catch (error) {
    throw lockConflict(error, { path, cwd, variable: env.REVOPS_WAREHOUSE_PATH?.trim() ? 'REVOPS_WAREHOUSE_PATH' : 'REVOPS_DATA_DIR' }) ?? error;
  }
}
