/**
 * A second opinion on model-written SQL from DuckDB's own parser, where the warehouse is DuckDB: its
 * `json_serialize_sql` serialises SELECT statements only, so anything it cannot serialise, or more than one
 * statement, is refused even if the token guard let it through. Firebolt has no such function; there the token
 * guard (readOnlyGuard.ts) stands alone, which is why it is the primary check.
 */
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { ToolFailure } from '../toolFailure.ts';

interface Serialized {
  error: boolean;
  error_type?: string;
  error_message?: string;
  statements?: unknown[];
}

export async function duckDbSecondOpinion(warehouse: Warehouse, query: string, timeoutMs: number): Promise<void> {
  const result = await warehouse.query('SELECT json_serialize_sql(CAST(:query AS VARCHAR)) AS parsed', { params: { query }, timeoutMs });
  const parsed = JSON.parse(String(result.rows[0]?.['parsed'])) as Serialized;
  if (parsed.error && parsed.error_type === 'parser') {
    throw new ToolFailure('invalid_parameter', `query: the SQL does not parse: ${parsed.error_message ?? 'syntax error'}`);
  }
  if (parsed.error) {
    throw new ToolFailure('refused', `Only a single read-only SELECT statement is allowed; DuckDB's parser says: ${(parsed.error_message ?? String(parsed.error_type)).replace(/[.!]+$/, '')}.`);
  }
  if ((parsed.statements?.length ?? 0) !== 1) {
    throw new ToolFailure('refused', `Only a single read-only SELECT statement is allowed; DuckDB's parser found ${parsed.statements?.length ?? 0} statements.`);
  }
}
