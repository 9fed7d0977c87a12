/**
 * How many records matched in all, not only how many rows came back. A tool's own SQL says it with window
 * aggregates over every matching record, computed before its LIMIT (`COUNT(*) OVER () AS matched_rows`,
 * `SUM(amount) OVER () AS matched_amount`): columns named `matched_*` hold the same value on every row, so they are
 * lifted out of the rows into the result (`totalRows` from `matched_rows`, the rest as `totals` without the
 * prefix). Where the SQL says nothing and the row cap cut the result, one companion `COUNT(*)` over the same
 * statement, with the same bound parameters, gives the count (standard SQL, so DuckDB and Firebolt alike).
 */
import type { QueryColumn, QueryResult, Row, SqlValue, Warehouse } from '../../warehouse/warehouse.ts';
import type { ExecutorOutput } from '../executor.ts';
import { withoutTerminator } from '../../../compiler/sql/sqlLexer.ts';

const PREFIX = 'matched_';
const COUNT = `${PREFIX}rows`;

/** The rows without their `matched_*` columns, and what those columns said about all matching records. */
export function liftMatched(result: QueryResult): ExecutorOutput {
  const lifted = result.columns.filter((c) => c.name.startsWith(PREFIX));
  if (lifted.length === 0) return { columns: result.columns, rows: result.rows, truncated: result.stats.truncated };
  const columns: QueryColumn[] = result.columns.filter((c) => !c.name.startsWith(PREFIX));
  const rows = result.rows.map((row) => Object.fromEntries(columns.map((c) => [c.name, row[c.name] ?? null])) as Row);
  const first = result.rows[0];
  const totals: Record<string, SqlValue> = {};
  for (const c of lifted) if (c.name !== COUNT) totals[c.name.slice(PREFIX.length)] = first?.[c.name] ?? null;
  const counted = lifted.some((c) => c.name === COUNT);
  const totalRows = counted ? Number(first?.[COUNT] ?? 0) : undefined;
  const truncated = result.stats.truncated || (totalRows !== undefined && totalRows > rows.length);
  return { columns, rows, truncated, ...(totalRows !== undefined ? { totalRows } : {}), totals };
}

/**
 * Adds `totalRows` by counting the statement's rows when the row cap cut them and the SQL did not count itself. If
 * the count fails the rows are still right; the result then says that more exist and why they were not counted
 * (`stats.uncounted`, which the text a model reads carries).
 */
export async function withMatchedCount(
  output: ExecutorOutput, warehouse: Warehouse, sql: string, params: Record<string, SqlValue> | undefined, timeoutMs: number,
): Promise<ExecutorOutput> {
  if (output.totalRows !== undefined || !output.truncated) return output;
  try {
    // The newline keeps a trailing `-- comment` from swallowing the closing parenthesis.
    const counting = `SELECT COUNT(*) AS n FROM (\n${withoutTerminator(sql, warehouse.dialect)}\n) AS matched`;
    const counted = await warehouse.query(counting, { ...(params ? { params } : {}), timeoutMs });
    return { ...output, totalRows: Number(counted.rows[0]?.['n'] ?? 0) };
  } catch (error) {
    return { ...output, uncounted: error instanceof Error ? error.message : String(error) };
  }
}
