/**
 * Calls from the warehouse `calls` table (the embedded stand-in for Gong, and the fallback when no Gong credentials
 * are set). The statement is one of two constants chosen here; the account and dates are bound parameters.
 */
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { CALL_COLUMNS, callRow, type CallQuery } from './callRows.ts';

const SELECT = `SELECT id AS call_id, call_date, title, account_name, participants, duration_minutes, summary,
  transcript_excerpt, competitor_mentions, objections, next_steps
FROM calls
WHERE call_date >= CAST(:from_date AS DATE) AND call_date <= CAST(:to_date AS DATE)`;
const BY_ACCOUNT = `${SELECT} AND account_name ILIKE ('%' || :account || '%')`;
const ORDER = 'ORDER BY call_date DESC';

export async function callsFromWarehouse(warehouse: Warehouse, query: CallQuery, timeoutMs: number) {
  const dates = { from_date: isoDate(query.from), to_date: isoDate(query.to) };
  const result = query.account === undefined
    ? await warehouse.query(`${SELECT} ${ORDER}`, { params: dates, maxRows: query.maxRows, timeoutMs })
    : await warehouse.query(`${BY_ACCOUNT} ${ORDER}`, { params: { ...dates, account: query.account }, maxRows: query.maxRows, timeoutMs });
  const rows = result.rows.map((row) => callRow({ ...row, source: 'warehouse' }));
  return { columns: CALL_COLUMNS, rows, truncated: result.stats.truncated };
}

const isoDate = (date: Date): string => date.toISOString().slice(0, 10);
