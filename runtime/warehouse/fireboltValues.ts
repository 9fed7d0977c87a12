/**
 * Firebolt result values as JSON-ready row values. firebolt-sdk hydrates DATE/TIMESTAMP columns into JavaScript
 * Dates (in UTC), big integers into BigNumber objects, and may carry NUMERIC as text; the `Row` contract
 * (warehouse.ts) wants numbers, `YYYY-MM-DD` and ISO 8601 strings instead.
 */
import type { SqlValue } from './warehouse.ts';

/** The SDK's type name without its nullability suffix: `date null` -> `date`. */
export const columnType = (sdkType: string): string => sdkType.replace(/\s+null$/i, '');

const isNumeric = (type: string): boolean => /^(long|int|integer|bigint|decimal|numeric|double|float|real)/i.test(type);

export function fireboltValue(value: unknown, sdkType: string): SqlValue {
  const type = columnType(sdkType);
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return /^date$/i.test(type) ? value.toISOString().slice(0, 10) : value.toISOString();
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const n = Number(value);
    return isNumeric(type) && value.trim() !== '' && Number.isFinite(n) ? n : value;
  }
  if (typeof value === 'bigint') return Number(value);
  // json-bigint parses numbers with more than 15 significant digits (big integers, but also doubles such as
  // 78.61111111111111) into BigNumber objects; the nearest double is what DuckDB's driver gives too.
  if (typeof value === 'object' && (value as { _isBigNumber?: boolean })._isBigNumber) return Number(String(value));
  return JSON.stringify(value);
}
