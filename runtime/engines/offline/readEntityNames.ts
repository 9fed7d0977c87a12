/**
 * Reads the entity names from the warehouse: the distinct values of each name column (`resolve: {values:
 * table.column}` and the other columns the tool's SQL compares the same placeholder with, nameColumns.ts) by running
 * `SELECT DISTINCT column FROM table` on the warehouse given to the engine, the one place the offline engine reads
 * the warehouse other than through tools, because no tool returns a whole column and the names must be known before
 * any tool can be called. For columns of one table it also reads which values share a row. What it reads is packed
 * (packedNames.ts) and cached beside the warehouse (nameCache.ts).
 */
import type { Warehouse } from '../../warehouse/warehouse.ts';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/u;

/**
 * What `readEntityNames` reads from the warehouse, as plain data (packed before it is cached or indexed): per
 * table, each name column's distinct values (index = value id) and, per pair of columns `i:j`, the ids of column
 * j's values sharing a row with each value of column i.
 */
export interface EntityNames {
  tables: Array<{ table: string; columns: string[]; values: string[][]; partners: Record<string, number[][]> }>;
  /**
   * `table.column` -> distinct values (in id order) of columns read for their values alone (the metrics layer's
   * dimensions, dimensionValues.ts): no partners, and not searched as names.
   */
  valueColumns: Record<string, string[]>;
}

/** A column's distinct values with ids DuckDB and the name index agree on (their sort order). */
const idsOf = (table: string, column: string): string =>
  `SELECT v, CAST(row_number() OVER (ORDER BY v) - 1 AS INTEGER) AS id FROM (SELECT DISTINCT ${column} AS v FROM ${table} WHERE ${column} IS NOT NULL)`;

/**
 * Which values of two columns share a row, as value ids grouped by the column with fewer values (a few hundred deal
 * names, each with its accounts): a million rows come back as a few hundred id lists, not a million strings.
 */
async function loadPartners(warehouse: Warehouse, table: string, columns: [string, string], sizes: [number, number]): Promise<[number[][], number[][]]> {
  const [by, other] = sizes[0] <= sizes[1] ? [0, 1] : [1, 0];
  const result = await warehouse.query(`WITH a AS (${idsOf(table, columns[by]!)}), b AS (${idsOf(table, columns[other]!)})
    SELECT a.id AS x, array_to_string(list(DISTINCT b.id), ',') AS ys FROM ${table} t
    JOIN a ON t.${columns[by]} = a.v JOIN b ON t.${columns[other]} = b.v GROUP BY a.id`, { maxRows: 10_000_000 });
  const forward: number[][] = Array.from({ length: sizes[by]! }, () => []);
  const backward: number[][] = Array.from({ length: sizes[other]! }, () => []);
  for (const row of result.rows) {
    const x = Number(row.x);
    for (const y of String(row.ys).split(',').map(Number)) {
      forward[x]!.push(y);
      backward[y]!.push(x);
    }
  }
  return by === 0 ? [forward, backward] : [backward, forward];
}

const checked = (source: string, what: string): [table: string, column: string] => {
  if (!IDENTIFIER.test(source)) throw new Error(`offline engine: ${what} '${source}' is not table.column`);
  return source.split('.') as [string, string];
};

/** The distinct values of `table.column`, in the order of their ids. */
async function distinctValues(warehouse: Warehouse, table: string, column: string): Promise<string[]> {
  const result = await warehouse.query(idsOf(table, column), { maxRows: 10_000_000 });
  const values: string[] = [];
  for (const row of result.rows) values[Number(row.id)] = String(row.v);
  return values;
}

/**
 * Reads the distinct values of every `table.column` in `sources` (identifiers checked: they are spliced into SQL),
 * and for columns of one table which values share a row; then the values of each of `valueSources` not among them.
 */
export async function readEntityNames(warehouse: Warehouse, sources: string[], valueSources: string[] = []): Promise<EntityNames> {
  const byTable = new Map<string, string[]>();
  for (const source of [...new Set(sources)].sort()) {
    const [table, column] = checked(source, 'resolve.values');
    byTable.set(table, [...(byTable.get(table) ?? []), column]);
  }
  const tables: EntityNames['tables'] = [];
  for (const [table, columns] of byTable) {
    const read: EntityNames['tables'][number] = { table, columns, values: [], partners: {} };
    for (const column of columns) read.values.push(await distinctValues(warehouse, table, column));
    for (let i = 0; i < columns.length; i++) for (let j = i + 1; j < columns.length; j++) {
      const [ij, ji] = await loadPartners(warehouse, table, [columns[i]!, columns[j]!], [read.values[i]!.length, read.values[j]!.length]);
      read.partners[`${i}:${j}`] = ij;
      read.partners[`${j}:${i}`] = ji;
    }
    tables.push(read);
  }
  const valueColumns: EntityNames['valueColumns'] = {};
  for (const source of [...new Set(valueSources)].filter((s) => !sources.includes(s)).sort()) {
    valueColumns[source] = await distinctValues(warehouse, ...checked(source, 'dimension'));
  }
  return { tables, valueColumns };
}
