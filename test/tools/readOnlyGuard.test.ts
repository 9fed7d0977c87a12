import { describe, expect, it } from 'vitest';
import { checkReadOnly } from '../../runtime/tools/sql/readOnlyGuard.ts';

const refusal = (sql: string, dialect?: 'duckdb' | 'firebolt'): string => {
  const verdict = checkReadOnly(sql, { dialect });
  if (verdict.ok) throw new Error(`accepted: ${sql}`);
  return verdict.reason;
};

describe('read-only guard: refused statements', () => {
  // [statement, a fragment the reason must contain: what was found, so the model knows what to fix]
  it.each([
    ['INSERT INTO opportunities (id) VALUES (1)', 'found INSERT at position 1'],
    ['insert into opportunities select * from opportunities', 'found INSERT at position 1'],
    ["UPDATE opportunities SET amount = 0 WHERE opportunity_name = 'x'", 'found UPDATE at position 1'],
    ['DELETE FROM opportunities', 'found DELETE at position 1'],
    ['MERGE INTO accounts USING x ON true WHEN MATCHED THEN DELETE', 'found MERGE'],
    ['TRUNCATE opportunities', 'found TRUNCATE'],
    ['DROP TABLE opportunities', 'found DROP at position 1'],
    ['CREATE TABLE x AS SELECT 1', 'found CREATE'],
    ['ALTER TABLE accounts ADD COLUMN x INT', 'found ALTER'],
    ["COPY opportunities TO '/tmp/out.csv'", 'found COPY'],
    ["ATTACH '/tmp/other.db' AS other", 'found ATTACH'],
    ['DETACH other', 'found DETACH'],
    ['PRAGMA database_list', 'found PRAGMA'],
    ["SET memory_limit = '1GB'", 'found SET'],
    ['INSTALL httpfs', 'found INSTALL'],
    ['LOAD httpfs', 'found LOAD'],
    ["EXPORT DATABASE '/tmp/dump'", 'found EXPORT'],
    ["IMPORT DATABASE '/tmp/dump'", 'found IMPORT'],
    ['CALL pragma_version()', 'found CALL'],
    ['CHECKPOINT', 'found CHECKPOINT'],
    ['VACUUM', 'found VACUUM'],
    ['GRANT SELECT ON accounts TO bob', 'found GRANT'],
    ['EXPLAIN ANALYZE SELECT 1', 'found EXPLAIN'],
    ['SELECT 1; DROP TABLE opportunities', "found DROP at position 11 after the ';'"],
    ['SELECT 1; SELECT 2', "after the ';'"],
    ["SELECT * FROM accounts WHERE name = 'x'; DELETE FROM accounts; --'", "found DELETE"],
    ['SELECT 1;;', "second ';'"],
    ['WITH d AS (DELETE FROM opportunities RETURNING *) SELECT * FROM d', 'found DELETE'],
    ['WITH a AS (SELECT 1) INSERT INTO accounts SELECT * FROM a', 'found INSERT'],
    ['WITH a AS (SELECT 1 AS x) TABLE a', 'must end in a SELECT'],
    ['SELECT 1 INTO newtable', 'found INTO'],
    ["SELECT * FROM read_csv('/etc/passwd')", 'Function read_csv'],
    ["SELECT * FROM read_csv_auto('s3://bucket/x.csv')", 'Function read_csv_auto'],
    ["SELECT * FROM read_parquet('x.parquet')", 'Function read_parquet'],
    ["SELECT * FROM read_json_auto('x.json')", 'Function read_json_auto'],
    ["SELECT content FROM read_text('/etc/hosts')", 'Function read_text'],
    ["SELECT * FROM read_blob('x')", 'Function read_blob'],
    ["SELECT * FROM glob('/home/*')", 'Function glob'],
    ["SELECT * FROM parquet_scan('x.parquet')", 'Function parquet_scan'],
    ["SELECT * FROM sniff_csv('x.csv')", 'Function sniff_csv'],
    ["SELECT * FROM iceberg_scan('s3://lake/t')", 'Function iceberg_scan'],
    ["SELECT * FROM delta_scan('s3://lake/t')", 'Function delta_scan'],
    ["SELECT * FROM READ_PARQUET(URL => 's3://bucket/x.parquet')", 'Function read_parquet'],
    ["SELECT * FROM main.read_csv('x.csv')", 'Function read_csv'],
    ['SELECT * FROM "read_csv"(\'x.csv\')', 'Function read_csv'],
    ["SELECT * FROM query('DELETE FROM accounts')", 'Function query at position 15'],
    ["SELECT * FROM query('SELECT 1')", 'Function query'],
    ['SELECT * FROM duckdb_secrets()', 'Function duckdb_secrets'],
    ["SELECT * FROM 'data.csv'", 'string literal is used as a table'],
    ["SELECT * FROM accounts, 'https://example.com/x.parquet'", 'string literal is used as a table'],
    ["SELECT * FROM accounts a JOIN 's3://b/x.csv' f ON true", 'string literal is used as a table'],
    ['SELECT * FROM "data.csv"', 'file-like name is used as a table'],
    ["SELECT * FROM ('x.parquet')", 'string literal is used as a table'],
    ['SELECT * FROM accounts WHERE id = :id', 'Placeholder :id'],
    ["SELECT 'unterminated", 'unterminated string literal'],
    ['SELECT 1 /* never closed', 'unterminated /* comment'],
    ['SELECT 1 /* outer /* inner */ DROP TABLE x; */', 'nested /* comments'],
    ["SELECT 'a\\' , 'b; DROP TABLE accounts; --'", "backslash before a quote"],
    ['SELECT (1', 'Unbalanced parentheses'],
    ['', 'The query is empty'],
    ['  ;  ', 'The query is empty'],
    ['FROM accounts SELECT name', 'found FROM at position 1'],
    ['DESCRIBE accounts', 'found DESCRIBE'],
  ])('%s', (sql, fragment) => {
    expect(refusal(sql)).toContain(fragment);
  });

  it('refuses dollar-quoted strings on Firebolt, which has none', () => {
    expect(refusal('SELECT $$x$$', 'firebolt')).toContain('Dollar-quoted');
    expect(checkReadOnly('SELECT $$x$$', { dialect: 'duckdb' }).ok).toBe(true);
  });

  it('opens every refusal of a non-SELECT with the rule the model must follow', () => {
    expect(refusal('DELETE FROM accounts')).toMatch(/^Only a single read-only SELECT statement is allowed; found DELETE at position 1/);
  });
});

describe('read-only guard: accepted queries', () => {
  it.each([
    ['SELECT name FROM accounts'],
    ['select name from accounts;'],
    ["SELECT stage_name, COUNT(*) AS n, SUM(amount) FROM opportunities WHERE close_date BETWEEN '2025-10-01' AND '2025-12-31' AND is_closed = false GROUP BY stage_name ORDER BY CASE stage_name WHEN 'Verbal Commit' THEN 1 WHEN 'Negotiate' THEN 2 END"],
    ['WITH ranked AS (SELECT owner_name, amount, ROW_NUMBER() OVER (PARTITION BY owner_name ORDER BY amount DESC) AS rn FROM opportunities) SELECT * FROM ranked WHERE rn = 1'],
    ['WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3), m AS MATERIALIZED (SELECT 2) SELECT * FROM n'],
    ["SELECT ';' AS semi, 'DELETE FROM accounts; DROP TABLE x' AS text FROM accounts"],
    ["SELECT 'it''s; fine' AS quoted"],
    ['SELECT a.name -- DROP TABLE accounts;\nFROM accounts a /* ; DELETE */'],
    ['SELECT name FROM accounts WHERE id IN (SELECT account_id FROM opportunities WHERE amount > (SELECT AVG(amount) FROM opportunities))'],
    ["SELECT DATEDIFF('day', CURRENT_DATE, close_date) AS days, amount * probability / 100 AS weighted, CAST(amount AS DOUBLE)::INTEGER FROM opportunities"],
    ['SELECT "update", "set" FROM (SELECT 1 AS "update", 2 AS "set") t'],
    ["SELECT replace(name, 'a', 'b'), regexp_matches(name, '\\d+') FROM accounts"],
    ['(SELECT 1) UNION ALL (SELECT 2)'],
    ["SELECT E'it\\'s; DROP' AS escaped"],
    ['SELECT $tag$ ; DELETE $tag$ AS dollar'],
  ])('%s', (sql) => {
    expect(checkReadOnly(sql)).toEqual({ ok: true });
  });
});
