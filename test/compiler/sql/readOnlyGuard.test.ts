import { describe, expect, it } from 'vitest';
import { checkReadOnly } from '../../../compiler/sql/readOnlyGuard.ts';
import { RED_TEAM_CORPUS } from '../../support/redTeamSql.ts';

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
    expect(refusal('SELECT $$x$$', 'firebolt')).toContain('dollar-quoted strings ($$) are not supported on Firebolt');
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
    ['WITH n(i) AS (SELECT 1), m AS MATERIALIZED (SELECT 2) SELECT * FROM n'],
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

describe("read-only guard: a spec's own SQL (placeholders: true)", () => {
  it('accepts :name placeholders, still refuses $1, and says where it refused', () => {
    expect(checkReadOnly('SELECT name FROM accounts WHERE id = :id', { placeholders: true })).toEqual({ ok: true });
    expect(checkReadOnly('SELECT name FROM accounts WHERE id = $1', { placeholders: true })).toMatchObject({ ok: false, position: 37 });
    expect(checkReadOnly("SELECT * FROM accounts, read_csv('/etc/passwd') WHERE id = :id", { placeholders: true }))
      .toMatchObject({ ok: false, reason: expect.stringContaining('Function read_csv'), position: 24 });
  });
});

describe('read-only guard: tables after TABLE and PIVOT', () => {
  it.each([
    'WITH t AS (TABLE accounts) SELECT * FROM t',
    'SELECT name FROM accounts UNION TABLE accounts',
    'SELECT * FROM (PIVOT opportunities ON stage_name USING sum(amount))',
  ])('accepts a warehouse table there: %s', (sql) => {
    expect(checkReadOnly(sql)).toEqual({ ok: true });
  });
});

describe('read-only guard: the red-team corpus, in both dialects', () => {
  it.each(RED_TEAM_CORPUS.flatMap(([sql, fragment]) => (['duckdb', 'firebolt'] as const).map((dialect) => [dialect, sql, fragment] as const)))(
    '%s refuses %j', (dialect, sql, fragment) => {
      expect(refusal(sql, dialect)).toContain(fragment);
    });
});

describe('read-only guard: line ends, comments and characters as the engines read them', () => {
  it.each([
    ['SELECT 1 --\r\n; DROP TABLE accounts', "found DROP at position 16 after the ';'"],
    ['SELECT 1 -- a\u2028; DROP TABLE accounts', 'a -- comment holds the line break U+2028'],
    ['SELECT 1 -- a\u2029 x', 'line break U+2029'],
    ['SELECT 1 -- a\f x', 'line break U+000C'],
    ['SELECT 1 -- a\u0085 x', 'control character U+0085'],
    ['SELECT 1\u000b', 'control character U+000B'],
    ["SELECT 'a\u0000'; DROP TABLE accounts", 'control character U+0000'],
    ['SELECT\u00a01', 'character U+00A0 is only allowed inside a string literal'],
    ['SELECT 1 AS x\u2028FROM accounts', 'character U+2028'],
    ['SELECT\ufeff1', 'character U+FEFF'],
    ['SELECT $é$ \' $é$ ; DROP TABLE x; --\'', 'the dollar-quote tag $é$ must be ASCII'],
    ['SELECT $name', "'$' is only allowed in a dollar-quoted string"],
    ["SELECT 1e'\\' ; DROP TABLE t; --'", 'put a space after the number 1'],
    ['SELECT 0x1F', 'put a space after the number 0'],
    ['SELECT * FROM duckdb_databases', "DUCKDB_DATABASES at position 15 names the database's own catalog"],
    ['SELECT * FROM pragma_database_list', 'names the database\'s own catalog'],
    ['SELECT * FROM pg_catalog.pg_settings', 'names the database\'s own catalog'],
    ['SELECT * FROM system.main.duckdb_databases', 'SYSTEM at position 15 names the database'],
    ['SELECT current_user, "current_catalog"', 'CURRENT_USER at position 8'],
    ['SELECT "user"', '"user" at position 8'],
    ['SELECT * FROM (SHOW databases)', 'found SHOW'],
    ['SELECT * FROM (SUMMARIZE accounts)', 'found SUMMARIZE'],
    ['SELECT * FROM range(1000000000000)', 'Function range at position 15 is not allowed as a table'],
    ['SELECT * FROM generate_series(1, 1000000000000)', 'Function generate_series'],
    ['SELECT * FROM main.repeat(1, 1000000000000)', 'Function repeat at position 20 is not allowed as a table'],
    ['SELECT * FROM accounts, LATERAL repeat(1, 10)', 'Function repeat at position 33 is not allowed as a table'],
    ['SELECT * FROM accounts, (repeat(1, 10))', 'Function repeat at position 26 is not allowed as a table'],
    ["SELECT * FROM accounts a JOIN accounts b ON true, histogram('duckdb_databases', path)", 'Function histogram at position 51 is not allowed as a table'],
    ['SELECT * FROM accounts a JOIN accounts b USING (id), unnest([1]) u, generate_series(1, 9)', 'Function generate_series at position 69 is not allowed as a table'],
    ["SELECT * FROM accounts a JOIN accounts b ON a.id = b.id, 'x.csv'", 'string literal is used as a table at position 58'],
    ["SELECT * FROM accounts, query('SELECT path FROM duckdb_databases()') AS (path VARCHAR)", 'Function query at position 25 is not allowed as a table'],
    ["SELECT * FROM accounts, query('SELECT 1') AS MATERIALIZED (x)", 'Function query at position 25 is not allowed as a table'],
    ['SELECT count(*) FROM accounts WHERE sleep_ms(10000) IS NULL', 'Function sleep_ms'],
    [`SELECT ${'('.repeat(101)}1${')'.repeat(101)}`, 'Parentheses nest more than 100 deep at position 108'],
    ["SELECT getvariable('x'), version()", 'Function getvariable'],
    ["SELECT EXTRACT(year FROM query('x'))", 'Function query at position 26 is not allowed in read queries'],
  ])('%j', (sql, fragment) => {
    expect(refusal(sql)).toContain(fragment);
  });

  it('refuses on Firebolt what only DuckDB reads unambiguously', () => {
    expect(refusal("SELECT E'it\\'s'", 'firebolt')).toContain("backslash escapes in E'...' strings are not allowed on Firebolt");
    expect(refusal('SELECT a$b FROM accounts', 'firebolt')).toContain("'$' in the name a$b is not allowed on Firebolt");
    expect(checkReadOnly("SELECT E'it''s'", { dialect: 'firebolt' })).toEqual({ ok: true });
  });

  it.each([
    ['SELECT 1 --x\r\nFROM accounts'],
    ['SELECT 1 --x\rFROM accounts'],
    ['SELECT name\r\nFROM accounts\rWHERE id = \'x\'\f'],
    ["SELECT 'café — “quoted” \u2028 line' AS s, \"naïve\" FROM accounts -- résumé\n"],
    ['SELECT 1 /* é \u2028 */ AS x'],
    ["SELECT EXTRACT(year FROM close_date), SUBSTRING(name FROM 1 FOR 3), TRIM(BOTH 'x' FROM name) FROM opportunities"],
    ['SELECT CAST(amount AS DECIMAL(18, 2)), amount::NUMERIC(10, 1) FROM opportunities'],
    ['SELECT a IS DISTINCT FROM upper(b) FROM (SELECT 1 AS a, 2 AS b) AS t(a, b)'],
    ["SELECT * FROM unnest(['a', 'b']) AS u(x)"],
    ["SELECT date_trunc('month', close_date) AS m, SUM(amount) FILTER (WHERE is_won) FROM opportunities GROUP BY ALL ORDER BY 1"],
    ['SELECT COLUMNS(* EXCLUDE (id)) FROM accounts'],
    ['WITH a(x) AS (SELECT 1), b AS NOT MATERIALIZED (SELECT 2) SELECT * FROM a, b'],
    ['SELECT * FROM (WITH n(i) AS (SELECT 1), query(x) AS (SELECT 2) SELECT * FROM n, query) t'],
  ])('accepts %j', (sql) => {
    expect(checkReadOnly(sql)).toEqual({ ok: true });
    expect(checkReadOnly(sql, { dialect: 'firebolt' })).toEqual({ ok: true });
  });
});

describe('values that grow at every level', () => {
  const nested = (fn: string, levels: number): string => `SELECT length(${`${fn}(`.repeat(levels)}'xxxxxxxxxxxxxxxx'${')'.repeat(levels)})`;
  const aliases = (levels: number): string =>
    `SELECT name AS a0, ${Array.from({ length: levels }, (_, i) => `a${i} || a${i} AS a${i + 1}`).join(', ')} FROM accounts`;
  it.each([
    [nested('hex', 26), /more than 1024 times longer .*hex at position 15 ×2/],
    [nested('hex', 11), /more than 1024 times longer/],
    [nested('to_base64', 11), /more than 1024 times longer/],
    [nested('url_encode', 7), /more than 1024 times longer/],
    [aliases(11), /more than 1024 times longer .*'\|\|' at position/],
    ["SELECT concat(x, x) FROM (SELECT concat(x, x) AS x FROM (SELECT concat(x, x) AS x FROM (SELECT concat(x, x) AS x FROM (SELECT concat(x, x) AS x FROM (SELECT concat(x, x) AS x FROM (SELECT concat(x, x, x, x, x, x) AS x FROM (SELECT concat(name, name, name, name, name) AS x FROM accounts)))))))", /more than 1024/],
    ["SELECT [y, y, y, y, y, y, y, y] FROM (SELECT x || x || x || x AS y FROM (SELECT list_concat(l, l, l, l) AS x FROM (SELECT list_value(name, name, name, name, name, name, name, name, name) AS l FROM accounts)))", /more than 1024/],
    ["SELECT replace(replace(name, 'a', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'), 'a', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa') FROM accounts", /more than 1024/],
    ["WITH a AS (SELECT regexp_replace(name, 'x*', 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy', 'g') AS n FROM accounts) SELECT regexp_replace(n, 'x*', 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy', 'g') FROM a", /more than 1024/],
    ["SELECT array_to_string(string_split(name, ''), 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy') FROM accounts", /more than 1024/],
    ["SELECT replace(name, 'a', name) FROM accounts", /replace at position 8 has a replacement or separator that is not a literal/],
    ["SELECT array_to_string(string_split(name, ''), name) FROM accounts", /array_to_string at position 8 has a replacement or separator/],
    ["WITH RECURSIVE r(s) AS (SELECT 'x' UNION ALL SELECT s || s FROM r WHERE length(s) < 1000000000) SELECT max(length(s)) FROM r", /WITH RECURSIVE at position 6/],
    ["SELECT length(list_reduce(['a', 'b', 'c'], (acc, x) -> acc || acc))", /Function list_reduce at position 15 is not allowed/],
    ["SELECT list_aggregate(['a'], 'string_agg', '')", /Function list_aggregate at position 8 is not allowed/],
  ])('refuses growth without a bound: %s', (sql, reason) => {
    for (const dialect of ['duckdb', 'firebolt'] as const) {
      const verdict = checkReadOnly(sql, { dialect });
      expect(verdict.ok, dialect).toBe(false);
      expect(!verdict.ok && verdict.reason).toMatch(reason);
    }
  });

  it.each([
    ["SELECT replace(replace(name, '-', ' '), '_', ' ') FROM accounts"],
    ["SELECT replace(name, 'Inc.', ''), regexp_replace(name, '\\s+', '', 'g') FROM accounts"],
    ["SELECT replace(replace(name, 'Corporation', 'Corp'), 'a', 'aa') FROM accounts"],
    [nested('hex', 10)],
    [aliases(10)],
    ["SELECT first_name || ' ' || last_name AS person, concat(company, ' (', industry, ')') AS org, title || ', ' || company FROM leads"],
    ["SELECT stage_name, string_agg(opportunity_name || ' (' || owner_name || ')', ', ') AS deals, list(owner_name) FROM opportunities GROUP BY stage_name"],
    ["SELECT to_json(struct_pack(name := name, industry := industry)), ['Closed Won', 'Closed Lost'], hex(md5(name)) FROM accounts"],
    ["SELECT array_to_string(list_distinct(list(industry)), ', ') FROM accounts"],
  ])('accepts bounded growth: %s', (sql) => {
    expect(checkReadOnly(sql, { dialect: 'duckdb' })).toEqual({ ok: true });
  });

  it('bounds what DuckDB builds, within the memory limit', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:', { memory_limit: '512MB' });
    const connection = await instance.connect();
    try {
      const accepted = [nested('hex', 10), nested('url_encode', 6), `SELECT length(a10) FROM (${aliases(10).replace('FROM accounts', "FROM (SELECT 'xxxxxxxxxxxxxxxx' AS name)")})`];
      for (const sql of accepted) {
        expect(checkReadOnly(sql)).toEqual({ ok: true });
        const length = Number((await connection.runAndReadAll(sql)).getRows()[0]![0]);
        expect(length).toBeLessThanOrEqual(16 * 1024);
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
