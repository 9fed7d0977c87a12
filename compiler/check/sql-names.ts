/**
 * Tables and columns a statement names that the warehouse schema does not have, read from DuckDB's parse tree
 * (`json_serialize_sql`): BASE_TABLE nodes for tables, COLUMN_REF nodes for columns, each with the byte offset of
 * the name in the statement. No binder runs, so scopes are approximated the safe way: a column qualified by a
 * schema table's name or alias must be one of that table's columns; any other column must be a column of some
 * table the statement reads, or a name the statement itself defines (an alias, a CTE's column list, a lambda's
 * parameter). A statement that reads a table the schema does not know (or a table function) is checked for
 * its tables and its columns qualified by a schema table only.
 */
import type { WarehouseSchema } from './context.ts';

export interface UnknownSqlName {
  kind: 'table' | 'column';
  name: string;
  /** Character offset of the name in the statement, and its length. */
  index: number;
  length: number;
  /** Names that would have been right there, for the did-you-mean. */
  candidates: string[];
  /** For a qualified column: the table it was looked up in. */
  table?: string;
}

interface Node {
  [key: string]: unknown;
}

interface TableRef {
  name: string;
  schemaName: string;
  alias: string;
  location: number;
}

interface ColumnRef {
  names: string[];
  location: number;
}

/** Names DuckDB parses as column references but binds as values. */
const BUILTIN_COLUMNS = new Set(['current_date', 'current_time', 'current_timestamp', 'localtime', 'localtimestamp',
  'current_user', 'user', 'session_user', 'current_schema', 'current_catalog', 'current_role', 'rowid']);

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null;

/** Every table, column and defined name in the tree. */
function collect(tree: unknown) {
  const found = {
    tables: [] as TableRef[], columns: [] as ColumnRef[], defined: new Set<string>(), ctes: new Set<string>(),
    /** The statement reads rows whose columns the schema cannot tell (a table function, a VALUES list, a PIVOT). */
    opaque: false,
  };
  const defineAll = (names: unknown) => {
    if (Array.isArray(names)) for (const n of names) if (typeof n === 'string') found.defined.add(n.toLowerCase());
  };
  const visit = (value: unknown, inLambdaParameters: boolean): void => {
    if (Array.isArray(value)) return value.forEach((v) => visit(v, inLambdaParameters));
    if (!isNode(value)) return;
    if (typeof value.alias === 'string' && value.alias) found.defined.add(value.alias.toLowerCase());
    defineAll(value.column_name_alias);
    if (value.type === 'TABLE_FUNCTION' || value.type === 'EXPRESSION_LIST' || value.type === 'PIVOT') found.opaque = true;
    if (value.type === 'BASE_TABLE' && typeof value.table_name === 'string') {
      found.tables.push({
        name: value.table_name,
        schemaName: String(value.schema_name ?? ''),
        alias: String(value.alias ?? ''),
        location: Number(value.query_location),
      });
    }
    if (value.class === 'COLUMN_REF' && Array.isArray(value.column_names)) {
      if (inLambdaParameters) defineAll(value.column_names);
      else found.columns.push({ names: value.column_names.map(String), location: Number(value.query_location) });
    }
    const map = (value.cte_map as Node | undefined)?.map;
    if (Array.isArray(map)) {
      for (const entry of map as Node[]) {
        found.ctes.add(String(entry.key).toLowerCase());
        defineAll((entry.value as Node | undefined)?.aliases);
      }
    }
    for (const [key, child] of Object.entries(value)) visit(child, inLambdaParameters || (value.class === 'LAMBDA' && key === 'lhs'));
  };
  visit(tree, false);
  return found;
}

/** From DuckDB's byte offset to the character offset of `names` (in order, each possibly quoted) from there. */
function placeOf(sql: string, byteOffset: number, names: readonly string[]): { index: number; length: number } | undefined {
  const bytes = Buffer.from(sql, 'utf8');
  if (!Number.isSafeInteger(byteOffset) || byteOffset > bytes.length) return undefined;
  let at = bytes.subarray(0, byteOffset).toString('utf8').length;
  const lower = sql.toLowerCase();
  for (const [i, name] of names.entries()) {
    const found = lower.indexOf(name.toLowerCase(), at);
    if (found === -1) return undefined;
    if (i === names.length - 1) return { index: found, length: name.length };
    at = found + name.length;
  }
  return undefined;
}

export function unknownSqlNames(sql: string, tree: unknown, schema: WarehouseSchema): UnknownSqlName[] {
  const tables = new Map([...schema.tables].map(([name, table]) => [name.toLowerCase(), table]));
  const { tables: refs, columns, defined, ctes, opaque } = collect(tree);
  const out: UnknownSqlName[] = [];
  const ours = refs.filter((t) => !t.schemaName || t.schemaName.toLowerCase() === 'main' || t.schemaName.toLowerCase() === 'public');
  const read = new Map<string, string>(); // name or alias -> schema table
  let allKnown = refs.length === ours.length && !opaque;
  for (const ref of ours) {
    const name = ref.name.toLowerCase();
    if (ctes.has(name)) continue;
    if (!tables.has(name)) {
      allKnown = false;
      const place = placeOf(sql, ref.location, [ref.name]);
      if (place) out.push({ kind: 'table', name: ref.name, ...place, candidates: [...schema.tables.keys(), ...ctes] });
      continue;
    }
    read.set(ref.alias ? ref.alias.toLowerCase() : name, name);
  }
  const readColumns = [...new Set([...read.values()])].flatMap((t) => [...tables.get(t)!.columns.keys()]);
  const known = new Set([...readColumns.map((c) => c.toLowerCase()), ...defined, ...BUILTIN_COLUMNS]);
  for (const { names, location } of columns) {
    const column = names.at(-1)!;
    const qualifier = names.length >= 2 ? names.at(-2)!.toLowerCase() : undefined;
    const table = qualifier === undefined ? undefined : read.get(qualifier);
    if (table !== undefined) {
      const own = [...tables.get(table)!.columns.keys()];
      if (own.some((c) => c.toLowerCase() === column.toLowerCase())) continue;
      const place = placeOf(sql, location, names);
      if (place) out.push({ kind: 'column', name: column, ...place, candidates: own, table });
      continue;
    }
    // A qualifier that is no table (a struct column, a CTE or subquery alias) is checked loosely, and only when
    // every table the statement reads is known; so is a bare name.
    if (!allKnown || (qualifier !== undefined && names.length > 2) || known.has(column.toLowerCase())) continue;
    if (qualifier !== undefined && !defined.has(qualifier) && !ctes.has(qualifier)) continue;
    const place = placeOf(sql, location, names);
    if (place) out.push({ kind: 'column', name: column, ...place, candidates: [...new Set([...readColumns, ...defined])] });
  }
  return out;
}
