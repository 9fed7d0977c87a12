/** The statements of the red-team pass (issue 10, defect 3): each ran, or passed the guard, before the guard lexed like the engines. */
export const RED_TEAM_CORPUS: readonly (readonly [sql: string, fragment: string])[] = [
  ["SELECT 1 AS a --x\r, * FROM query('SELECT name, industry FROM accounts LIMIT 2')", "Function query at position 28 is not allowed as a table"],
  ['SELECT 1 --\r; DROP TABLE accounts', "found DROP at position 15 after the ';'"],
  ['SELECT 1 --\r; DELETE FROM accounts', "found DELETE at position 15 after the ';'"],
  ["SELECT 1 --\r; UPDATE accounts SET name = 'x'", "found UPDATE at position 15 after the ';'"],
  ["SELECT 1 --\r; INSERT INTO accounts (id) VALUES ('x')", "found INSERT at position 15 after the ';'"],
  ["SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT name FROM accounts'))", 'Function json_execute_serialized_sql at position 15 is not allowed as a table'],
  ["SELECT json_execute_serialized_sql(json_serialize_sql('SELECT 1'))", 'Function json_execute_serialized_sql at position 8 is not allowed in read queries; allowed: aggregate (count'],
  ['SELECT * FROM duckdb_databases()', 'Function duckdb_databases at position 15 is not allowed as a table'],
  ['SELECT * FROM duckdb_settings()', 'Function duckdb_settings at position 15 is not allowed as a table'],
  ["SELECT current_setting('memory_limit')", 'Function current_setting at position 8 is not allowed in read queries'],
  ['SELECT * FROM pragma_database_size()', 'Function pragma_database_size at position 15 is not allowed as a table'],
  // The second pass: every keyword DuckDB reads a table after reads a file named there.
  ['WITH t AS (TABLE "x.csv") SELECT * FROM t', 'file-like name is used as a table at position 18'],
  ["SELECT 1 AS a UNION TABLE 'f.parquet'", 'string literal is used as a table at position 27'],
  ["SELECT 1 AS a UNION ALL (TABLE 'f.parquet')", 'string literal is used as a table at position 32'],
  ["SELECT a FROM accounts WHERE a IN (TABLE 'x.csv')", 'string literal is used as a table at position 42'],
  ["SELECT * FROM (PIVOT '/etc/passwd' ON a USING count(*))", 'string literal is used as a table at position 22'],
  ["SELECT * FROM (UNPIVOT 'x.csv' ON a INTO NAME n VALUE v)", 'string literal is used as a table at position 24'],
  ['SELECT * FROM (PIVOT_WIDER "x.csv" ON a USING count(*))', 'file-like name is used as a table at position 28'],
  ["SELECT * FROM (PIVOT_LONGER 'x.csv' ON a INTO NAME n VALUE v)", 'string literal is used as a table at position 29'],
  ["SELECT * FROM (SUMMARIZE 'x.csv')", 'found SUMMARIZE at position 16'],
  ["SELECT * FROM (DESCRIBE 'x.csv')", 'found DESCRIBE at position 16'],
];

