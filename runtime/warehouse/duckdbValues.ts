/**
 * Conversions at the DuckDB driver edge: driver values to JSON-ready row values (the `Row` contract in
 * warehouse.ts), and our parameter values to typed bindings.
 */
import type { DuckDBPreparedStatement, DuckDBValue } from '@duckdb/node-api';
import { duckDbDriver } from './duckdbDriver.ts';
import type { SqlValue } from './warehouse.ts';

/** Epoch milliseconds -> ISO 8601; values outside JavaScript's date range keep DuckDB's own text. */
function isoFromMillis(millis: bigint, fallback: () => string): string {
  const ms = Number(millis);
  return Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : fallback();
}

export function toSqlValue(value: DuckDBValue): SqlValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value); // safe for money and counts; precision beyond 2^53 is not needed
  const {
    DuckDBDateValue, DuckDBDecimalValue, DuckDBTimestampMillisecondsValue, DuckDBTimestampNanosecondsValue,
    DuckDBTimestampSecondsValue, DuckDBTimestampTZValue, DuckDBTimestampValue,
  } = duckDbDriver();
  if (value instanceof DuckDBDecimalValue) return value.toDouble();
  if (value instanceof DuckDBDateValue) return value.toString(); // YYYY-MM-DD
  if (value instanceof DuckDBTimestampValue || value instanceof DuckDBTimestampTZValue) {
    return isoFromMillis(value.micros / 1000n, () => value.toString());
  }
  if (value instanceof DuckDBTimestampMillisecondsValue) return isoFromMillis(value.millis, () => value.toString());
  if (value instanceof DuckDBTimestampSecondsValue) return isoFromMillis(value.seconds * 1000n, () => value.toString());
  if (value instanceof DuckDBTimestampNanosecondsValue) {
    return isoFromMillis(value.nanos / 1_000_000n, () => value.toString());
  }
  // Lists, structs, intervals, UUIDs, blobs: their SQL text form is what a reader (or a model) can use.
  return value.toString();
}

/** Binds one value by its JavaScript type; DuckDB casts it to the type the statement expects at that position. */
export function bindValue(statement: DuckDBPreparedStatement, index: number, value: SqlValue): void {
  if (value === null) statement.bindNull(index);
  else if (typeof value === 'string') statement.bindVarchar(index, value);
  else if (typeof value === 'boolean') statement.bindBoolean(index, value);
  else if (Number.isSafeInteger(value)) statement.bindBigInt(index, BigInt(value));
  else statement.bindDouble(index, value);
}
