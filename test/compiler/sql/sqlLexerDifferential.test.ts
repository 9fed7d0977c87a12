/**
 * The guard's lexer against the engines' own readers, on seeded generated inputs that mix comments, strings,
 * quoted identifiers, line ends (\n, \r, \r\n, Unicode separators), statement separators and refused functions.
 * Oracles: DuckDB's parser through @duckdb/node-api (`extractStatements` for statement splitting,
 * `json_serialize_sql` for the tree: statement type, select list, functions, table references), and PostgreSQL
 * 17's own scanner (@libpg-query/parser), the reference for Firebolt, whose lexical structure is PostgreSQL's.
 * Whenever our lexer reads an input (it may refuse instead), it must split it exactly as the engines do; whenever
 * the guard accepts one, DuckDB must see one SELECT calling only allow-listed functions on ordinary tables (or be
 * unable to parse it at all, so that nothing runs).
 */
import { createRequire } from 'node:module';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkReadOnly } from '../../../compiler/sql/readOnlyGuard.ts';
import { isEngineCatalogName, isReadQueryFunction, READ_QUERY_TABLE_FUNCTIONS } from '../../../compiler/sql/readQueryFunctions.ts';
import { type Dialect, lexSql, type Token } from '../../../compiler/sql/sqlLexer.ts';
import { seededRandom } from '../../support/seededRandom.ts';

interface PgToken { start: number; text: string; tokenName: string; tokenType: number; keywordKind: number }
/** PostgreSQL 17's SCONST, USCONST, BCONST, XCONST (the scanner names only some token types). */
const STRING_TOKEN_TYPES = new Set([261, 262, 263, 264]);
// The package's ES module entry imports a CommonJS file by name, which Node refuses; its CommonJS entry works.
const pg = createRequire(import.meta.url)('@libpg-query/parser') as { loadModule(): Promise<void>; scanSync(sql: string): { tokens: PgToken[] } };

const INPUTS_PER_DIALECT = 1000;

/** Select-list items the lexer reads, and ones it refuses (ambiguous across engines); mixed so both kinds are common. */
const ITEMS = [
  '1', 'name', 'a.name', "'x'", "'it''s'", "'--'", "'/*'", "';'", "'a\r\nb'", "'\u2028'", "E'a\\'b'", "E'\\\\'",
  "E'x'' ; DROP TABLE t; --'", "B'01''", '$$a;b$$', "$t$ ' $t$", '"col"', '"a""b"', '"x--y"', '"é\u2028"',
  'upper(name)', 'count(*)', 'count /* c */ (*)', "query('SELECT 1')", "read_csv('x.csv')",
  "current_setting('memory_limit')", 'duckdb_databases()', 'current_user', '"current_user"', "repeat('x', 3)",
  '1e5', '0.5', '.5', 'x::INT', 'CAST(1 AS DECIMAL(10, 2))', "EXTRACT(year FROM DATE '2025-01-01')",
  "json_serialize_sql('SELECT 1')", "json_execute_serialized_sql(json_serialize_sql('SELECT 1'))", '[1, 2]',
  "{'a': 1}", 'sum(amount) OVER (PARTITION BY name)', 'CASE WHEN 1 = 1 THEN 2 END', "name LIKE '%a%'",
  'main.upper(name)', 'range(3)', 'unnest([1])', 'getvariable(1)', '1 AS a', '2 "b"', 'now()', 'a$b',
  "1 AS query('x')", "(1) query('x')", 'x::read_csv(1)', 'CAST(1 AS json_serialize_sql(1))',
];
const REFUSED_ITEMS = ["'\\'", "$é$ ' $é$", '$x', '1e', '1x', 'x\u00a0', "1e'\\' ; DROP TABLE t; --'"];
const GAPS = [
  ' ', '\n', '\r', '\r\n', '\t', '\f', '--c\n', '--c\r', '--c\r\n', '-- ; DROP TABLE accounts\r', '/* c */',
  '/* ; DELETE */', '/**/', '/* -- */', '-- /* \n', '\r--x\r', '/* \r\n */', '/* é \u2028 */', '--x\r, * FROM query(\'x\')--\n',
];
const REFUSED_GAPS = ['\v', '\u2028', '\u2029', '\u0085', '\u00a0', '\u3000', '\ufeff', '--x\u2028 y\n', '--\f\n', '/* a /* b */ c */'];
const FROMS = [
  '', '', ' FROM accounts', ' FROM accounts a', " FROM read_csv('x')", ' FROM duckdb_databases()', ' FROM duckdb_databases',
  ' FROM main.repeat(1, 3)', ' FROM (SELECT 1) s', ' FROM unnest([1, 2]) u', ' FROM range(5)', ' FROM pg_catalog.pg_settings',
  ' FROM "accounts"', ' FROM (VALUES (1), (2)) v(x)', ' FROM unnest([1, 2]) u(x)', " FROM (SELECT 1) query('x')",
  " FROM 'x.csv'", ' FROM accounts, LATERAL (SELECT 1) l', ' FROM (repeat(1, 2))', ' FROM accounts JOIN pragma_database_size() p ON true',
  ' FROM accounts a JOIN accounts b ON true, histogram(accounts, name)', ' FROM accounts a JOIN accounts b USING (id), main.repeat(1, 2)',
  ' FROM accounts a JOIN accounts b ON a.id = b.id, unnest([1]) u', " FROM accounts, query('SELECT 42 AS x') AS (x INT)", " FROM accounts, query('SELECT 1') AS MATERIALIZED (x)",
];
const TAILS = ['', '', '', ';', '; SELECT 2', '; DROP TABLE accounts', '; DELETE FROM accounts', "; UPDATE accounts SET name = 'x'", '; INSERT INTO accounts VALUES (1)', ';;'];

function generate(random: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const gap = (): string => (random() < 0.4 ? ' ' : random() < 0.93 ? pick(GAPS) : pick(REFUSED_GAPS));
  const item = (): string => (random() < 0.93 ? pick(ITEMS) : pick(REFUSED_ITEMS));
  let sql = `SELECT${gap()}${item()}`;
  const more = Math.floor(random() * 4);
  for (let i = 0; i < more; i += 1) sql += `${gap()},${gap()}${item()}`;
  return `${sql}${pick(FROMS)}${gap()}${pick(TAILS)}${random() < 0.3 ? gap() : ''}`;
}

/** Where each of our tokens starts (UTF-8 bytes, as PostgreSQL counts) and what it is; operators left out. */
function ourSkeleton(sql: string, tokens: readonly Token[]): string[] {
  const classOf: Partial<Record<Token['kind'], string>> = { string: 's', identifier: 'q', word: 'w', number: 'n' };
  return tokens.flatMap((t) => {
    const cls = t.value === ';' ? ';' : classOf[t.kind];
    return cls ? [`${Buffer.byteLength(sql.slice(0, t.start))}:${cls}`] : [];
  });
}

function pgSkeleton(tokens: PgToken[]): string[] {
  return tokens.flatMap((t) => {
    const cls = STRING_TOKEN_TYPES.has(t.tokenType) ? 's'
      : t.tokenName === 'IDENT' && t.text.startsWith('"') ? 'q'
      : t.tokenName === 'IDENT' || t.keywordKind > 0 ? 'w'
      : /^(ICONST|FCONST)$/.test(t.tokenName) ? 'n'
      : t.tokenName === 'ASCII_59' ? ';' : undefined;
    return cls ? [`${t.start}:${cls}`] : [];
  });
}

/** Statements and, per SELECT, the number of select-list items, as our tokens split them. */
function ourStatements(tokens: readonly Token[]): number[] {
  const statements: Token[][] = [[]];
  for (const t of tokens) {
    if (t.kind === 'punct' && t.value === ';') statements.push([]);
    else statements[statements.length - 1]!.push(t);
  }
  return statements.filter((s) => s.length > 0).map((s) => {
    let depth = 0;
    let items = 1;
    for (const t of s.slice(1)) {
      if (t.value === '(' || t.value === '[' || t.value === '{') depth += 1;
      else if (t.value === ')' || t.value === ']' || t.value === '}') depth -= 1;
      else if (depth === 0 && t.kind === 'punct' && t.value === ',') items += 1;
      else if (depth === 0 && t.kind === 'word' && t.value === 'FROM') break;
    }
    return s[0]?.value === 'SELECT' ? items : -1;
  });
}

interface Tree { functions: string[]; tableFunctions: string[]; tables: string[]; columns: string[]; otherRefs: string[] }

function walk(node: unknown, tree: Tree): Tree {
  if (Array.isArray(node)) node.forEach((child) => walk(child, tree));
  if (!node || typeof node !== 'object') return tree;
  const n = node as Record<string, unknown>;
  if ((n['class'] === 'FUNCTION' && n['is_operator'] === false) || n['class'] === 'WINDOW') tree.functions.push(String(n['function_name']));
  if (n['class'] === 'COLUMN_REF') tree.columns.push(...(n['column_names'] as string[]));
  if ('sample' in n && typeof n['type'] === 'string' && !('class' in n) && !('modifiers' in n)) {
    if (n['type'] === 'BASE_TABLE') tree.tables.push(String(n['catalog_name']), String(n['schema_name']), String(n['table_name']));
    else if (n['type'] === 'TABLE_FUNCTION') tree.tableFunctions.push(String((n['function'] as Record<string, unknown>)['function_name']));
    else if (!['SUBQUERY', 'JOIN', 'EXPRESSION_LIST', 'EMPTY'].includes(n['type'])) tree.otherRefs.push(n['type']);
  }
  for (const [key, value] of Object.entries(n)) if (key !== 'function' || n['type'] !== 'TABLE_FUNCTION') walk(value, tree);
  if (n['type'] === 'TABLE_FUNCTION') walk((n['function'] as Record<string, unknown>)['children'], tree);
  return tree;
}


let instance: DuckDBInstance;
let connection: DuckDBConnection;
beforeAll(async () => {
  await pg.loadModule();
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
});
afterAll(() => {
  connection.disconnectSync();
  instance.closeSync();
});

async function duckDbStatementCount(sql: string): Promise<number | 'error'> {
  try {
    return (await connection.extractStatements(sql)).count;
  } catch {
    return 'error';
  }
}

async function duckDbTree(sql: string): Promise<{ error: boolean; error_type?: string; statements?: { node: { type: string; select_list?: unknown[] } }[] }> {
  const reader = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR) AS tree', [sql]);
  return JSON.parse(String(reader.getRows()[0]![0]));
}

function pgScan(sql: string): string[] | 'error' {
  try {
    // The package's JSON encoding of tokens chokes on a raw form feed; a space lexes the same outside and inside literals.
    return pgSkeleton(pg.scanSync(sql.replaceAll('\f', ' ')).tokens);
  } catch {
    return 'error';
  }
}

describe.each(['duckdb', 'firebolt'] as const)('the %s guard reads generated inputs as the engines do', (dialect: Dialect) => {
  it(`agrees with DuckDB's parser and PostgreSQL's scanner on ${INPUTS_PER_DIALECT} inputs`, async () => {
    const random = seededRandom(dialect === 'duckdb' ? 10 : 20);
    const tally = { inputs: 0, lexed: 0, lexRefused: 0, comparedWithDuckDb: 0, comparedWithPostgres: 0, guardAccepted: 0, acceptedButUnparsable: 0, guardRefused: 0 };
    const disagreements: string[] = [];
    for (let n = 0; n < INPUTS_PER_DIALECT; n += 1) {
      const sql = generate(random);
      tally.inputs += 1;
      let tokens: readonly Token[] | undefined;
      try {
        tokens = lexSql(sql, dialect);
        tally.lexed += 1;
      } catch {
        tally.lexRefused += 1;
      }
      const count = await duckDbStatementCount(sql);
      const tree = await duckDbTree(sql);
      if (tokens) {
        const ours = ourStatements(tokens);
        if (count !== 'error') {
          tally.comparedWithDuckDb += 1;
          if (ours.length !== count) disagreements.push(`statements: ours ${ours.length}, DuckDB ${count}: ${JSON.stringify(sql)}`);
          const theirs = tree.error ? undefined : tree.statements!.map((s) => (s.node.type === 'SELECT_NODE' ? s.node.select_list!.length : -1));
          if (theirs && JSON.stringify(theirs) !== JSON.stringify(ours)) disagreements.push(`select lists: ours ${ours}, DuckDB ${theirs}: ${JSON.stringify(sql)}`);
        }
        const scanned = pgScan(sql);
        if (scanned !== 'error') tally.comparedWithPostgres += 1;
        const skeleton = ourSkeleton(sql, tokens).join(' ');
        if (scanned === 'error' || scanned.join(' ') !== skeleton) {
          disagreements.push(`tokens: ours ${skeleton}, PostgreSQL ${scanned === 'error' ? 'error' : scanned.join(' ')}: ${JSON.stringify(sql)}`);
        }
      }
      const verdict = checkReadOnly(sql, { dialect });
      if (!verdict.ok) {
        tally.guardRefused += 1;
        continue;
      }
      tally.guardAccepted += 1;
      if (tree.error && tree.error_type === 'parser' && count === 'error') {
        tally.acceptedButUnparsable += 1; // the engine runs nothing it cannot parse
        continue;
      }
      if (tree.error || count !== 1 || tree.statements?.length !== 1 || tree.statements[0]!.node.type !== 'SELECT_NODE') {
        disagreements.push(`accepted, but DuckDB does not see one SELECT (${count} statements): ${JSON.stringify(sql)}`);
        continue;
      }
      const seen = walk(tree.statements, { functions: [], tableFunctions: [], tables: [], columns: [], otherRefs: [] });
      const problems = [
        ...seen.functions.filter((f) => !isReadQueryFunction(f)).map((f) => `function ${f}`),
        ...seen.tableFunctions.filter((f) => !READ_QUERY_TABLE_FUNCTIONS.has(f)).map((f) => `table function ${f}`),
        ...[...seen.tables, ...seen.columns].filter(isEngineCatalogName).map((name) => `system name ${name}`),
        ...seen.otherRefs.map((ref) => `table reference ${ref}`),
      ];
      if (problems.length) disagreements.push(`accepted, but DuckDB calls ${problems.join(', ')}: ${JSON.stringify(sql)}`);
    }
    console.info(`${dialect} differential: ${JSON.stringify(tally)}`);
    expect(disagreements).toEqual([]);
    // Not vacuous: most inputs are read by both sides, and both verdicts occur often.
    expect(tally.comparedWithDuckDb).toBeGreaterThan(INPUTS_PER_DIALECT / 4);
    expect(tally.comparedWithPostgres).toBeGreaterThan(INPUTS_PER_DIALECT / 4);
    expect(tally.guardAccepted).toBeGreaterThan(INPUTS_PER_DIALECT / 50);
    expect(tally.guardRefused).toBeGreaterThan(INPUTS_PER_DIALECT / 4);
  });
});
