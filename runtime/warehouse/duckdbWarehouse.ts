/**
 * The embedded warehouse: a DuckDB file (the generated sample RevOps dataset) behind the `Warehouse` contract.
 * `:name` placeholders become DuckDB named parameters (`$name`) bound through a prepared statement; each query
 * runs on its own connection so a timeout interrupts that query alone. The instance is opened with external access
 * disabled and its configuration locked, so no SQL can read or write files, attach databases or load extensions,
 * whatever the tool layer lets through (defence in depth behind the read-only SQL guard). Memory is bounded at open
 * too: the instance's `memory_limit` (shared by its queries) with spilling to disk turned off, so a query that
 * outgrows it fails within seconds with a `too_large` error instead of swapping or filling a disk.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { duckDbDriver } from './duckdbDriver.ts';
import { bindValue, toSqlValue } from './duckdbValues.ts';
import { checkParameters, findPlaceholders, pinCurrentDate, rewritePlaceholders } from './placeholders.ts';
import {
  type QueryOptions,
  type QueryResult,
  type Row,
  type Warehouse,
  WarehouseError,
  type WarehouseSnapshot,
  type WarehouseErrorCode,
} from './warehouse.ts';

export interface DuckDbWarehouseOptions {
  /** Open the file read-only (`access_mode=READ_ONLY`); several processes may then share it. */
  readOnly?: boolean;
  /** `YYYY-MM-DD`: CURRENT_DATE in every statement means this day (REVOPS_NOW pins the sample data's clock). */
  today?: string;
  /** DuckDB's memory limit for all queries together, e.g. `2GB` or `512MB` (REVOPS_WAREHOUSE_MEMORY_LIMIT). */
  memoryLimit?: string;
}

/**
 * Every shipped sql tool and heavy legitimate read queries on the 1,000,000-opportunity sample run within 256MB;
 * at 512MB a query that outgrows the limit ends in about 2 s (`npm run bench -- queryMemory`).
 */
export const DEFAULT_MEMORY_LIMIT = '512MB';

const lockedDown: Record<string, string> = {
  enable_external_access: 'false',
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  lock_configuration: 'true',
};

const MEMORY_SIZE = /^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

/** No temporary files: a query that does not fit in memory fails fast instead of spilling to disk. */
const bounded = (memoryLimit: string): Record<string, string> => ({ memory_limit: memoryLimit, max_temp_directory_size: '0B' });

export async function openDuckDbWarehouse(
  path: string | ':memory:',
  options: DuckDbWarehouseOptions = {},
): Promise<Warehouse> {
  // DuckDB refuses READ_ONLY for an in-memory database, which is writable by nature and private to this process.
  const accessMode: Record<string, string> = options.readOnly && path !== ':memory:' ? { access_mode: 'READ_ONLY' } : {};
  const memoryLimit = options.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
  if (!MEMORY_SIZE.test(memoryLimit)) {
    throw new WarehouseError('connection', `the warehouse memory limit must be a size such as 2GB or 512MB; got '${memoryLimit}'`);
  }
  let instance: DuckDBInstance;
  try {
    instance = await duckDbDriver().DuckDBInstance.create(path, { ...bounded(memoryLimit), ...lockedDown, ...accessMode });
  } catch (cause) {
    throw new WarehouseError('connection', `cannot open DuckDB warehouse '${path}': ${messageOf(cause)}`, { cause });
  }
  return new DuckDbWarehouse(instance, memoryLimit, options.today, path === ':memory:' ? undefined : resolve(path));
}

/** The file's identity and last change, and its write-ahead log's (committed data DuckDB has not checkpointed yet). */
async function fileVersion(file: string): Promise<string> {
  const seen = async (path: string): Promise<string> => {
    const s = await stat(path, { bigint: true }).catch(() => undefined);
    return s ? `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}` : '-';
  };
  return `${await seen(file)}/${await seen(`${file}.wal`)}`;
}

class DuckDbWarehouse implements Warehouse {
  readonly dialect = 'duckdb' as const;
  private readonly open = new Set<DuckDBConnection>();
  private closed = false;

  readonly snapshot?: () => Promise<WarehouseSnapshot>;

  constructor(private readonly instance: DuckDBInstance, private readonly memoryLimit: string, private readonly today?: string, file?: string) {
    if (file) this.snapshot = async () => ({ file, version: await fileVersion(file) });
  }

  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    if (this.closed) throw new WarehouseError('connection', 'the warehouse is closed; open it again');
    if (this.today) sql = pinCurrentDate(sql, this.today);
    const placeholders = findPlaceholders(sql, this.dialect);
    const names = checkParameters(placeholders, options.params);
    const started = performance.now();
    const connection = await this.instance.connect();
    this.open.add(connection);
    let timedOut = false;
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      connection.interrupt();
    }, options.timeoutMs);
    try {
      const statement = await connection.prepare(rewritePlaceholders(sql, placeholders, (name) => `$${name}`));
      if (statement.parameterCount !== names.length) {
        throw new WarehouseError('parameter', 'the statement has placeholders other than :name ' +
          '(`?`, `$1` or `$name`); write every parameter as :name');
      }
      for (const name of names) bindValue(statement, statement.parameterIndex(name), options.params![name]!);
      const limit = options.maxRows;
      const reader = limit === undefined ? await statement.streamAndReadAll() : await statement.streamAndReadUntil(limit + 1);
      const total = reader.currentRowCount;
      const rowCount = limit === undefined ? total : Math.min(total, limit);
      const columns = reader.columnNames().map((name, i) => ({ name, type: reader.columnType(i).toString() }));
      const values = reader.getRows().slice(0, rowCount);
      const rows = values.map((row) => Object.fromEntries(columns.map((c, i) => [c.name, toSqlValue(row[i]!)])) as Row);
      return { columns, rows, stats: { rowCount, truncated: total > rowCount, durationMs: performance.now() - started } };
    } catch (cause) {
      if (cause instanceof WarehouseError) throw cause;
      if (timedOut) {
        throw new WarehouseError('timeout', `query cancelled after ${options.timeoutMs} ms; narrow it (filters, LIMIT)` +
          ' or raise the timeout', { cause });
      }
      if (/^Out of Memory Error/.test(messageOf(cause))) {
        throw new WarehouseError('too_large', `query too large: it needs more than the warehouse's ${this.memoryLimit} of ` +
          'memory; narrow it (filters, aggregates, fewer rows)', { cause });
      }
      throw new WarehouseError(classify(messageOf(cause)), messageOf(cause), { cause });
    } finally {
      clearTimeout(timer);
      this.open.delete(connection);
      connection.disconnectSync();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const connection of this.open) connection.interrupt();
    this.instance.closeSync();
  }
}

/** DuckDB prefixes messages with the failing phase: parse and bind failures mean the statement itself is wrong. */
function classify(message: string): WarehouseErrorCode {
  return /^(Parser|Binder|Catalog) Error/.test(message) || /multiple statements/i.test(message) ? 'syntax' : 'execution';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
