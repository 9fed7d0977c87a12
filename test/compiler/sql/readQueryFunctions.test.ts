/**
 * The allow-list against DuckDB's own catalog of functions (`duckdb_functions()`), so an engine upgrade that adds
 * or renames functions shows here: every function DuckDB has that the list does not name is refused when called,
 * as a scalar and as a table; and no allowed scalar name is also one of DuckDB's table functions (which the guard
 * would otherwise have to tell apart by position alone).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { checkReadOnly } from '../../../compiler/sql/readOnlyGuard.ts';
import { isReadQueryFunction, READ_QUERY_TABLE_FUNCTIONS } from '../../../compiler/sql/readQueryFunctions.ts';

async function duckDbFunctions(): Promise<{ name: string; type: string }[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll('SELECT DISTINCT function_name, function_type FROM duckdb_functions()');
    return reader.getRows().map(([name, type]) => ({ name: String(name), type: String(type) }));
  } finally {
    connection.disconnectSync();
    instance.closeSync();
  }
}

/** A keyword the guard reads as syntax before '(' (FILTER (WHERE ...)); DuckDB's filter() is list_filter, pure. */
const KEYWORD_NAMES = new Set(['filter']);

describe('the read-query function allow-list against DuckDB', () => {
  it('refuses every DuckDB function it does not list, as a scalar and as a table', async () => {
    const functions = await duckDbFunctions();
    const unlisted = functions.filter((f) => /^[a-z_][a-z0-9_]*$/i.test(f.name) && !isReadQueryFunction(f.name) && !KEYWORD_NAMES.has(f.name));
    expect(unlisted.length).toBeGreaterThan(300);
    const accepted = unlisted.flatMap(({ name }) => [`SELECT ${name}(1)`, `SELECT * FROM ${name}(1)`, `SELECT "${name}"(1)`])
      .filter((sql) => checkReadOnly(sql).ok);
    expect(accepted).toEqual([]);
  });

  it('names no DuckDB table function among the scalar functions it allows', async () => {
    const tables = (await duckDbFunctions()).filter((f) => f.type === 'table' || f.type === 'table_macro').map((f) => f.name);
    expect(tables.length).toBeGreaterThan(50);
    expect(tables.filter((name) => isReadQueryFunction(name) && !READ_QUERY_TABLE_FUNCTIONS.has(name))).toEqual([]);
  });
});
