/**
 * The one warehouse contract every tool executor talks to. Two implementations: DuckDB (embedded default, the
 * sample RevOps dataset) and Firebolt through firebolt-sdk (production). SQL uses `:name` placeholders; each
 * implementation binds them as real parameters of its driver, never by splicing text.
 */
import { CodedError } from '../../compiler/codedError.ts';

export type SqlValue = string | number | boolean | null;

export interface QueryOptions {
  /** Values for `:name` placeholders in the statement. */
  params?: Record<string, SqlValue>;
  /** Rows beyond this are dropped and `stats.truncated` is set. */
  maxRows?: number;
  /** The query is cancelled and rejects with a WarehouseError code `timeout` after this many milliseconds. */
  timeoutMs?: number;
}

export interface QueryColumn {
  name: string;
  type: string;
}

/** Rows are JSON-ready: BIGINT/DECIMAL as numbers, DATE as `YYYY-MM-DD`, TIMESTAMP as ISO 8601 strings. */
export type Row = Record<string, SqlValue>;

export interface QueryResult {
  columns: QueryColumn[];
  rows: Row[];
  stats: { rowCount: number; truncated: boolean; durationMs: number };
}

export interface Warehouse {
  readonly dialect: 'duckdb' | 'firebolt';
  query(sql: string, options?: QueryOptions): Promise<QueryResult>;
  close(): Promise<void>;
  /**
   * What a cheap check sees of the data, changing whenever the data may have: caches of derived data (the offline
   * engine's name index) are keyed by it, and kept beside `file`. Absent when nothing cheap tells a change (Firebolt,
   * an in-memory DuckDB): such data is then read from the warehouse every time.
   */
  readonly snapshot?: () => Promise<WarehouseSnapshot>;
}

export interface WarehouseSnapshot {
  /** The data file; derived data is cached beside it. */
  file: string;
  /** Changes whenever the file's contents may have. */
  version: string;
}

/**
 * `too_large`: the query needed more memory than the warehouse allows it. `locked`: another process holds the
 * embedded DuckDB file (warehouseLock.ts).
 */
export type WarehouseErrorCode = 'syntax' | 'timeout' | 'too_large' | 'parameter' | 'connection' | 'execution' | 'locked';

export class WarehouseError extends CodedError<WarehouseErrorCode> {
  override readonly name = 'WarehouseError';
}
