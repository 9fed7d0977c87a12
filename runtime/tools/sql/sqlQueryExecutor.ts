/**
 * Kind `sql_query`: SQL a model wrote (the seed's `firebolt_sql_query`, parameter `query`). It runs only after the
 * read-only guard accepts it (and, on DuckDB, the database's own parser agrees), and always under the tool's row
 * cap and timeout; the seed's version had neither. A result cut at the cap says how many rows the query matched.
 */
import { WarehouseError } from '../../warehouse/warehouse.ts';
import type { KindExecutor } from '../executor.ts';
import { fromWarehouseError, ToolFailure } from '../toolFailure.ts';
import { duckDbSecondOpinion } from './duckDbSecondOpinion.ts';
import { withMatchedCount } from './matchedTotals.ts';
import { checkReadOnly } from '../../../compiler/sql/readOnlyGuard.ts';

/** Statements longer than this are refused before parsing: no analytic question needs more, and it bounds the guard's work. */
const MAX_QUERY_CHARS = 20_000;

export const runSqlQuery: KindExecutor<'sql_query'> = async (tool, params, ctx) => {
  // The seed's payload names it `query`; a spec may call its single string parameter something else.
  const name = tool.parameters.some((p) => p.name === 'query') ? 'query' : tool.parameters.find((p) => p.type === 'string')?.name;
  const query = name === undefined ? undefined : params[name];
  if (typeof query !== 'string') {
    throw new ToolFailure('invalid_parameter', `Tool ${tool.name} needs a string parameter query holding one SELECT statement.`);
  }
  if (query.length > MAX_QUERY_CHARS) {
    throw new ToolFailure('refused', `The query is ${query.length} characters; at most ${MAX_QUERY_CHARS} are accepted. Simplify it.`);
  }
  const verdict = checkReadOnly(query, { dialect: ctx.warehouse.dialect });
  if (!verdict.ok) throw new ToolFailure('refused', verdict.reason);
  try {
    if (ctx.warehouse.dialect === 'duckdb') await duckDbSecondOpinion(ctx.warehouse, query, tool.timeoutMs);
    const result = await ctx.warehouse.query(query, { maxRows: tool.maxRows, timeoutMs: tool.timeoutMs });
    const output = { columns: result.columns, rows: result.rows, truncated: result.stats.truncated };
    return await withMatchedCount(output, ctx.warehouse, query, undefined, tool.timeoutMs);
  } catch (error) {
    throw error instanceof WarehouseError ? fromWarehouseError(error, true) : error;
  }
};
