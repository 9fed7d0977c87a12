/** Unknown tables and columns read from DuckDB's parse tree: what is reported, where, and what is not. */
import { afterAll, describe, expect, it } from 'vitest';
import type { WarehouseSchema } from '../../compiler/check/context.ts';
import { LazySqlParser } from '../../compiler/check/sql-parser.ts';
import { unknownSqlNames } from '../../compiler/check/sql-names.ts';

const table = (...columns: string[]) => ({ columns: new Map(columns.map((c) => [c, { type: 'VARCHAR' }])) });
const schema: WarehouseSchema = {
  tables: new Map([
    ['opportunities', table('id', 'account_id', 'amount', 'stage_name', 'close_date', 'tags')],
    ['accounts', table('id', 'name', 'segment')],
  ]),
};
const parser = new LazySqlParser();
afterAll(() => parser.close());

async function unknown(sql: string) {
  const parsed = await parser.parse(sql);
  if (!parsed.ok) throw new Error(parsed.message);
  return unknownSqlNames(sql, parsed.tree, schema).map((n) => ({ kind: n.kind, name: n.name, at: sql.slice(n.index, n.index + n.length), index: n.index }));
}

describe('unknown SQL names', () => {
  it('reports a misspelt table and a qualified column of a known table at their names', async () => {
    const sql = 'SELECT o.amout FROM opportunities o JOIN acounts a ON a.id = o.account_id';
    expect(await unknown(sql)).toEqual([
      { kind: 'table', name: 'acounts', at: 'acounts', index: sql.indexOf('acounts') },
      { kind: 'column', name: 'amout', at: 'amout', index: sql.indexOf('amout') },
    ]);
  });

  it('reports a bare column no table read has, after a non-ASCII literal (offsets are bytes in DuckDB)', async () => {
    const sql = "SELECT 'café €' AS label, amount FROM opportunities WHERE stage_nam = :stage";
    expect(await unknown(sql)).toEqual([{ kind: 'column', name: 'stage_nam', at: 'stage_nam', index: sql.indexOf('stage_nam') }]);
  });

  it('accepts what the statement defines: CTEs and their columns, aliases, subqueries, lambdas, ORDER BY aliases', async () => {
    expect(await unknown(`
      WITH won AS (SELECT account_id, SUM(amount) AS total FROM opportunities GROUP BY account_id),
           named (acct, n) AS (SELECT id, name FROM accounts)
      SELECT a.name, w.total, n.acct, list_transform([1, 2], x -> x + 1) AS xs, s.big, CURRENT_DATE AS today
      FROM accounts a JOIN won w ON w.account_id = a.id JOIN named n ON n.acct = a.id
      JOIN (SELECT id, amount > 1000 AS big FROM opportunities) s ON s.id = a.id
      ORDER BY total DESC, today`)).toEqual([]);
  });

  it('checks a column qualified by a CTE loosely: it must be a name the statement knows', async () => {
    const sql = 'WITH won AS (SELECT account_id, SUM(amount) AS total FROM opportunities GROUP BY 1) SELECT w.totl FROM won w';
    expect(await unknown(sql)).toEqual([{ kind: 'column', name: 'totl', at: 'totl', index: sql.indexOf('totl') }]);
  });

  it('leaves other schemas, table functions and quoted names of the right table alone', async () => {
    expect(await unknown('SELECT table_name FROM information_schema.columns')).toEqual([]);
    expect(await unknown('SELECT range FROM range(3)')).toEqual([]);
    expect(await unknown('SELECT "Amount", main.opportunities.stage_name FROM main.opportunities')).toEqual([]);
  });

  it('does not guess at bare columns when the statement reads a table the schema does not know', async () => {
    const sql = 'SELECT whatever FROM opportunities JOIN stage_history h ON h.id = opportunities.id';
    expect(await unknown(sql)).toEqual([{ kind: 'table', name: 'stage_history', at: 'stage_history', index: sql.indexOf('stage_history') }]);
  });
});
