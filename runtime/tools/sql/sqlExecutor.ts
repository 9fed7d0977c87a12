/**
 * Kind `sql`: runs the spec's own statement with its `:name` placeholders bound as real driver parameters, so a
 * value can never change the statement (the seed pasted names into SQL strings). Every placeholder is bound, absent
 * optional parameters as NULL, so a spec can write `(:owner IS NULL OR owner_name = :owner)`. The result says how
 * many records matched in all (matchedTotals.ts).
 */
import { findPlaceholders } from '../../warehouse/placeholders.ts';
import type { SqlValue } from '../../warehouse/warehouse.ts';
import { WarehouseError } from '../../warehouse/warehouse.ts';
import type { KindExecutor } from '../executor.ts';
import { fromWarehouseError, ToolFailure } from '../toolFailure.ts';
import { liftMatched, withMatchedCount } from './matchedTotals.ts';

export const runSql: KindExecutor<'sql'> = async (tool, params, ctx) => {
  if (!tool.sql) throw new ToolFailure('execution', `Tool ${tool.name} has kind sql but no sql statement; add \`sql:\` to its spec.`);
  // Bind exactly the placeholders the statement uses (warehouses refuse unused values), absent ones as NULL.
  const bound: Record<string, SqlValue> = {};
  for (const { name } of findPlaceholders(tool.sql, ctx.warehouse.dialect)) {
    const value = params[name];
    if (Array.isArray(value)) {
      throw new ToolFailure('execution', `Parameter ${name} of ${tool.name} is a list; sql tools bind single values (declare it as a string).`);
    }
    bound[name] = value ?? null;
  }
  try {
    const result = await ctx.warehouse.query(tool.sql, { params: bound, maxRows: tool.maxRows, timeoutMs: tool.timeoutMs });
    return await withMatchedCount(liftMatched(result), ctx.warehouse, tool.sql, bound, tool.timeoutMs);
  } catch (error) {
    throw error instanceof WarehouseError ? fromWarehouseError(error, false) : error;
  }
};
