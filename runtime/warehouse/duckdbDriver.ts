/**
 * The DuckDB driver's classes, loaded with `require`. @duckdb/node-api is CommonJS, and an ES `import` of it makes
 * Node lex its entry and every file it re-exports to learn their export names before loading them again as
 * CommonJS: about 100 ms of every process that opens a warehouse (`revops ask`, `revops serve`). Types come from the
 * package itself (`import type`, erased at build).
 */
import { createRequire } from 'node:module';

const driver = createRequire(import.meta.url)('@duckdb/node-api') as typeof import('@duckdb/node-api');

export const DuckDBInstance = driver.DuckDBInstance;
export type DuckDBInstance = import('@duckdb/node-api').DuckDBInstance;

export const {
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
} = driver;
