/**
 * A live warehouse's tables and columns, read through the `Warehouse` contract from its information_schema
 * (DuckDB and Firebolt both have `information_schema.columns`), with types as DuckDB names them — the form
 * `specs/warehouse/*.yaml` keeps — and DuckDB's column comments as descriptions (Firebolt has none there).
 */
import type { Warehouse } from './warehouse.ts';

export interface WarehouseColumn {
  type: string;
  description?: string;
}

export type WarehouseTables = Map<string, Map<string, WarehouseColumn>>;

const COLUMNS = (comments: boolean) => `SELECT table_name AS table_name, column_name AS column_name, data_type AS data_type${comments ? ', column_comment AS column_comment' : ''}
FROM information_schema.columns
WHERE table_schema NOT IN ('information_schema', 'pg_catalog')
ORDER BY table_name, ordinal_position`;

/** Firebolt's type names (`text`, `double precision`, `numeric(38, 9)`, `array(int)`) in DuckDB's spelling. */
const FIREBOLT_TYPES: Record<string, string> = {
  text: 'VARCHAR', string: 'VARCHAR', varchar: 'VARCHAR', int: 'INTEGER', integer: 'INTEGER', bigint: 'BIGINT',
  long: 'BIGINT', real: 'FLOAT', float: 'FLOAT', double: 'DOUBLE', 'double precision': 'DOUBLE', date: 'DATE',
  pgdate: 'DATE', timestamp: 'TIMESTAMP', timestampntz: 'TIMESTAMP', timestamptz: 'TIMESTAMP WITH TIME ZONE',
  boolean: 'BOOLEAN', bytea: 'BLOB',
};

export function duckDbTypeOf(fireboltType: string): string {
  const type = fireboltType.trim().replace(/\s+null$/i, '').replace(/\s+not null$/i, '');
  const array = /^array\((.*)\)$/i.exec(type);
  if (array) return `${duckDbTypeOf(array[1]!)}[]`;
  const numeric = /^(?:numeric|decimal)\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)$/i.exec(type);
  if (numeric) return `DECIMAL(${numeric[1]},${numeric[2]})`;
  return FIREBOLT_TYPES[type.toLowerCase()] ?? type.toUpperCase();
}

export async function readWarehouseSchema(warehouse: Warehouse): Promise<WarehouseTables> {
  const duckdb = warehouse.dialect === 'duckdb';
  const { rows } = await warehouse.query(COLUMNS(duckdb));
  const tables: WarehouseTables = new Map();
  for (const row of rows) {
    const table = String(row.table_name);
    if (!tables.has(table)) tables.set(table, new Map());
    const type = String(row.data_type);
    const description = typeof row.column_comment === 'string' && row.column_comment ? row.column_comment : undefined;
    tables.get(table)!.set(String(row.column_name), { type: duckdb ? type : duckDbTypeOf(type), ...(description ? { description } : {}) });
  }
  return tables;
}
