/**
 * The metrics layer against the warehouse schema (when the project has one): each model's table and its joins'
 * tables exist, each dimension's column is a column of its table (the base table or its join's), the time column
 * is a date, and every column a measure's SQL, its filters and a join's condition name exists. Each expression is
 * parsed by DuckDB inside the statement it becomes at run time (runtime/tools/metrics/buildMetricSql.ts: a measure
 * and its filters over the base table alone, a join condition over the base table and the joined one) and read as
 * sql-names.ts reads a tool's statement, so a name is reported at its place inside the YAML string. A syntax error
 * is reported with or without a schema.
 */
import { catalog } from '../diagnostics/catalog.ts';
import { type Diagnostic, diagnostic, unknownName } from '../diagnostics/diagnostic.ts';
import type { Location } from '../diagnostics/diagnostic.ts';
import type { PathSegment } from '../load/locate.ts';
import type { Project, Spec } from '../project.ts';
import type { MetricsSpec } from '../schema/index.ts';
import type { CheckContext, WarehouseSchema } from './context.ts';
import { unknownSqlNames } from './sql-names.ts';

/** Periods compare the time column with dates and grains truncate it (Firebolt's PGDATE, TIMESTAMPNTZ included). */
const DATE_TYPE = /DATE|TIMESTAMP/iu;

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** One expression of a model, the statement it is parsed in, and where it starts there. */
interface Expression {
  path: PathSegment[];
  /** "measure 'pipeline'", "a filter of measure 'pipeline'", "join 'account'". */
  what: string;
  text: string;
  /** The tables its columns come from, in words. */
  reads: string;
  /** The tables the statement reads: its names are checked only when the schema has them all. */
  tables: string[];
  prefix: string;
  suffix: string;
}

function expressions(value: MetricsSpec, base: string): Expression[] {
  const from = `FROM ${quote(base)}`;
  const measures = Object.entries(value.measures).flatMap(([name, m]) => [
    { path: ['measures', name, 'sql'], what: `measure '${name}'`, text: m.sql, reads: `table '${base}'`, tables: [base], prefix: 'SELECT ', suffix: ` ${from}` },
    ...(m.filters ?? []).map((f, i) => ({ path: ['measures', name, 'filters', i], what: `a filter of measure '${name}'`, text: f, reads: `table '${base}'`, tables: [base], prefix: `SELECT 1 ${from} WHERE `, suffix: '' })),
  ]);
  const joins = Object.entries(value.joins ?? {}).map(([name, j]) => ({
    path: ['joins', name, 'on'], what: `join '${name}'`, text: j.on, reads: `tables '${base}' and '${j.table}'`, tables: [base, j.table], prefix: `SELECT 1 ${from} LEFT JOIN ${quote(j.table)} AS ${quote(name)} ON `, suffix: '',
  }));
  return [...measures, ...joins];
}

type Columns = ReadonlyMap<string, { type: string }>;

const columnOf = (columns: Columns, name: string): { type: string } | undefined =>
  [...columns].find(([c]) => c.toLowerCase() === name.toLowerCase())?.[1];

/** The tables a model names, each known or reported. */
function tableNames({ value, at }: Spec<MetricsSpec>, schema: WarehouseSchema): { out: Diagnostic[]; known: Map<string, Columns> } {
  const out: Diagnostic[] = [];
  const known = new Map<string, Columns>();
  const tables = [...schema.tables.keys()];
  const check = (table: string, path: PathSegment[], what: string) => {
    const found = [...schema.tables].find(([t]) => t.toLowerCase() === table.toLowerCase());
    if (found) known.set(table, found[1].columns);
    else out.push(unknownName(catalog.unknownMetricTable, at(path), table, tables, [what]));
  };
  check(value.table, ['table'], `model '${value.name}'`);
  for (const [name, j] of Object.entries(value.joins ?? {})) check(j.table, ['joins', name, 'table'], `join '${name}'`);
  return { out, known };
}

/** The dimensions' columns and the time column, each on the table it is read from. */
function namedColumns({ value, at }: Spec<MetricsSpec>, known: Map<string, Columns>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const check = (column: string, table: string, path: PathSegment[], what: string): { type: string } | undefined => {
    const columns = known.get(table);
    if (!columns) return undefined; // an unknown table is reported once, at its name
    const found = columnOf(columns, column);
    if (!found) out.push(unknownName(catalog.unknownMetricColumn, at(path), column, columns.keys(), [what, table]));
    return found;
  };
  for (const [name, d] of Object.entries(value.dimensions ?? {})) {
    const table = d.join === undefined ? value.table : value.joins?.[d.join]?.table;
    if (table !== undefined) check(d.column, table, ['dimensions', name, 'column'], `dimension '${name}'`);
  }
  const time = check(value.time.column, value.table, ['time', 'column'], 'the time column');
  if (time && !DATE_TYPE.test(time.type)) out.push(diagnostic(catalog.timeColumnNotDate, at(['time', 'column']), [value.time.column, time.type, value.table]));
  return out;
}

async function checkExpression(spec: Spec<MetricsSpec>, e: Expression, schema: WarehouseSchema | undefined, context: CheckContext): Promise<Diagnostic[]> {
  const sql = `${e.prefix}${e.text}${e.suffix}`;
  const inText = (index: number, length: number): Location => spec.inString(e.path, index - e.prefix.length, length);
  const parsed = await context.sql.parse(sql);
  if (!parsed.ok) {
    const position = parsed.position === undefined ? -1 : parsed.position - e.prefix.length;
    const where = position >= 0 && position < e.text.length ? spec.inString(e.path, position, 1) : spec.at(e.path);
    return [diagnostic(catalog.metricSqlSyntax, where, [e.what, parsed.message.split('\n')[0]!])];
  }
  if (!schema) return [];
  return unknownSqlNames(sql, parsed.tree, schema)
    // Names outside the expression (the tables the statement is built with) are checked by tableNames.
    .filter((n) => n.kind === 'column' && n.index >= e.prefix.length && n.index < e.prefix.length + e.text.length)
    .map((n) => unknownName(catalog.unknownMetricSqlColumn, inText(n.index, n.length), n.name, n.candidates,
      [e.what, n.table !== undefined ? `table '${n.table}'` : e.reads]));
}

async function checkModel(spec: Spec<MetricsSpec>, context: CheckContext): Promise<Diagnostic[]> {
  const { schema } = context;
  const tables = schema ? tableNames(spec, schema) : undefined;
  // Over a table the schema lacks, columns cannot be told: only the expression's syntax is checked.
  const namesOf = (e: Expression) => (tables && e.tables.every((t) => tables.known.has(t)) ? schema : undefined);
  return [
    ...(tables?.out ?? []),
    ...(tables ? namedColumns(spec, tables.known) : []),
    ...(await Promise.all(expressions(spec.value, spec.value.table).map((e) => checkExpression(spec, e, namesOf(e), context)))).flat(),
  ];
}

export async function checkMetricsWarehouse(project: Project, context: CheckContext): Promise<Diagnostic[]> {
  return (await Promise.all(project.metrics.map((m) => checkModel(m, context)))).flat();
}
