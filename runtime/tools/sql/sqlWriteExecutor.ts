/**
 * Kind `sql_write` (the seed's `firebolt_writer`): inserts and updates confined to the tables, columns and
 * operations the spec's `write` block allowlists. The seed's writer ran any raw SQL with table names and conditions
 * pasted in; here the statement is built only from allowlisted identifiers (quoted) and every value is bound.
 *
 * Parameters the spec declares (all strings, as Bedrock sends them):
 *   operation  "insert" | "update"
 *   table      an allowlisted table name
 *   values     JSON object of column -> value, e.g. {"next_step":"Send MSA","probability":80}
 *   key        update only: JSON object naming every key column, e.g. {"id":"opp-001"}
 * Insert may set writable and key columns; update sets writable non-key columns of the one row the full key names.
 * The result text reports rows affected.
 */
import type { SqlWriteTool, WriteTable } from '../../../compiler/manifest.ts';
import type { SqlValue } from '../../warehouse/warehouse.ts';
import { WarehouseError } from '../../warehouse/warehouse.ts';
import type { KindExecutor } from '../executor.ts';
import type { CheckedParams } from '../parameters.ts';
import type { ToolContext } from '../toolbox.ts';
import { fromWarehouseError, ToolFailure } from '../toolFailure.ts';

export interface WriteRequest {
  table: string;
  rule: WriteTable;
  operation: 'insert' | 'update';
  values: Record<string, SqlValue>;
  /** update only */
  key?: Record<string, SqlValue>;
}

/**
 * The call's table, operation, values and key, checked against the spec's write rules (tables, columns,
 * operations, enums) — shared by the executor and the approval preview, so what is approved is what is written.
 */
export function parseWrite(tool: SqlWriteTool, params: CheckedParams): WriteRequest {
  const { table, rule } = allowedTable(tool, params['table']);
  const operation = params['operation'];
  if (operation !== 'insert' && operation !== 'update') {
    throw new ToolFailure('invalid_parameter', `Parameter operation must be insert or update; got ${JSON.stringify(operation)}.`);
  }
  if (!rule.operations.includes(operation)) {
    throw new ToolFailure('refused', `${operation} is not allowed on ${table}; allowed: ${rule.operations.join(', ') || 'none'}.`);
  }
  const values = jsonObject('values', params['values']);
  checkEnums(table, rule, values);
  // The shipped spec defaults `key` to "" so Bedrock can leave it out; empty means absent.
  const key = params['key'] === '' ? undefined : params['key'];
  if (operation === 'insert') {
    if (key !== undefined) throw new ToolFailure('invalid_parameter', 'Parameter key is only used with operation update; put key columns in values for an insert.');
    return { table, rule, operation, values };
  }
  return { table, rule, operation, values, key: jsonObject('key', key) };
}

/**
 * An approved call carries the preview's old values (`expected`): the update then applies only where the record
 * still holds them, so a replay after a crash changes nothing twice and a record edited since the preview is not
 * overwritten unseen.
 */
export const runSqlWrite: KindExecutor<'sql_write'> = async (tool, params, ctx, _signal, approved) => {
  const write = parseWrite(tool, params);
  const statement = write.operation === 'insert' ? insertStatement(write) : updateStatement(write, approved?.expected);
  try {
    const result = await ctx.warehouse.query(statement.sql, { params: statement.params, timeoutMs: tool.timeoutMs });
    const affected = rowsAffected(result.rows);
    if (affected === 0 && approved?.expected && write.key) return { text: await unchangedUpdate(tool, write, ctx) };
    const count = affected === undefined ? 'an unknown number of rows' : `${affected} row${affected === 1 ? '' : 's'}`;
    return { text: `${write.operation === 'insert' ? 'Inserted' : 'Updated'} ${count} in ${write.table}.` };
  } catch (error) {
    throw error instanceof WarehouseError ? fromWarehouseError(error, false) : error;
  }
};

/** An approved update that matched no row: already applied (a replay), or the record moved on since the preview. */
async function unchangedUpdate(tool: SqlWriteTool, write: WriteRequest, ctx: ToolContext): Promise<string> {
  const columns = Object.keys(write.values);
  const keyColumns = write.rule.key;
  const sql = `SELECT ${columns.map(quote).join(', ')} FROM ${quote(write.table)} WHERE ${keyColumns.map((c, i) => `${quote(c)} = :k${i}`).join(' AND ')}`;
  const params = Object.fromEntries(keyColumns.map((c, i) => [`k${i}`, write.key![c] ?? null]));
  const { rows } = await ctx.warehouse.query(sql, { params, timeoutMs: tool.timeoutMs, maxRows: 1 });
  const row = rows[0];
  if (row && columns.every((c) => row[c] === write.values[c])) return `Already applied: ${write.table} holds the approved values (nothing written again).`;
  throw new ToolFailure('refused', `The ${write.table} record changed since the preview was approved, so nothing was written; ask again to see its current values.`);
}

function checkEnums(table: string, rule: WriteTable, values: Record<string, SqlValue>): void {
  for (const [column, value] of Object.entries(values)) {
    const allowed = rule.enums[column];
    if (allowed && !allowed.includes(String(value))) {
      throw new ToolFailure('invalid_parameter', `${column.replace(/_/gu, ' ')} cannot be ${JSON.stringify(value)} in ${table}; it is one of: ${allowed.join(', ')}.`);
    }
  }
}

function allowedTable(tool: SqlWriteTool, table: unknown): { table: string; rule: WriteTable } {
  const tables = tool.write?.tables ?? {};
  const rule = typeof table === 'string' ? tables[table] : undefined;
  if (typeof table !== 'string' || !rule) {
    throw new ToolFailure('refused', `Writes to ${JSON.stringify(table)} are not allowed; writable tables: ${Object.keys(tables).join(', ') || 'none'}.`);
  }
  return { table, rule };
}

function jsonObject(name: string, value: unknown): Record<string, SqlValue> {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new ToolFailure('invalid_parameter', `Parameter ${name} must be a JSON object such as {"column":"value"}; it is not valid JSON.`);
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.keys(parsed).length === 0) {
    throw new ToolFailure('invalid_parameter', `Parameter ${name} must be a non-empty JSON object of column -> value.`);
  }
  for (const [column, item] of Object.entries(parsed)) {
    if (item !== null && !['string', 'number', 'boolean'].includes(typeof item)) {
      throw new ToolFailure('invalid_parameter', `Parameter ${name}: column ${column} must hold a string, number, boolean or null.`);
    }
  }
  return parsed as Record<string, SqlValue>;
}

function checkColumns(table: string, given: string[], allowed: string[], what: string): void {
  const bad = given.filter((column) => !allowed.includes(column));
  if (bad.length > 0) {
    throw new ToolFailure('refused', `Column${bad.length > 1 ? 's' : ''} ${bad.join(', ')} cannot be ${what} in ${table}; allowed: ${allowed.join(', ') || 'none'}.`);
  }
}

const quote = (identifier: string): string => `"${identifier.replaceAll('"', '""')}"`;

function insertStatement({ table, rule, values }: WriteRequest) {
  const columns = Object.keys(values);
  checkColumns(table, columns, [...new Set([...rule.key, ...rule.columns])], 'written');
  const params = Object.fromEntries(columns.map((column, i) => [`v${i}`, values[column] ?? null]));
  const sql = `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES (${columns.map((_, i) => `:v${i}`).join(', ')})`;
  return { sql, params };
}

function updateStatement({ table, rule, values, key = {} }: WriteRequest, expected?: Record<string, SqlValue>) {
  if (rule.key.length === 0) throw new ToolFailure('refused', `${table} declares no key columns in the spec, so updates (which need one row's full key) are refused.`);
  const columns = Object.keys(values);
  checkColumns(table, columns, rule.columns.filter((column) => !rule.key.includes(column)), 'updated');
  const keyColumns = Object.keys(key);
  checkColumns(table, keyColumns, rule.key, 'used as the key');
  const missing = rule.key.filter((column) => key[column] === undefined || key[column] === null);
  if (missing.length > 0) {
    throw new ToolFailure('invalid_parameter', `An update must name the full key of ${table}; missing: ${missing.join(', ')}.`);
  }
  const params: Record<string, SqlValue> = {};
  columns.forEach((column, i) => (params[`v${i}`] = values[column] ?? null));
  rule.key.forEach((column, i) => (params[`k${i}`] = key[column] ?? null));
  const guards = Object.entries(expected ?? {}).filter(([column]) => columns.includes(column)).map(([column, value], i) => {
    params[`e${i}`] = value;
    return ` AND ${quote(column)} IS NOT DISTINCT FROM :e${i}`;
  });
  const sql = `UPDATE ${quote(table)} SET ${columns.map((c, i) => `${quote(c)} = :v${i}`).join(', ')} WHERE ${rule.key.map((c, i) => `${quote(c)} = :k${i}`).join(' AND ')}${guards.join('')}`;
  return { sql, params };
}

/** DuckDB answers a write with one row holding the count; other engines may answer nothing. */
function rowsAffected(rows: Array<Record<string, SqlValue>>): number | undefined {
  if (rows.length !== 1) return undefined;
  const values = Object.values(rows[0]!);
  return values.length === 1 && typeof values[0] === 'number' ? values[0] : undefined;
}
