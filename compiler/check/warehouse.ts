/**
 * SQL against the warehouse schema: every table and column a `sql` tool or an eval fact names exists in
 * `specs/warehouse` (sql-names.ts reads them from DuckDB's parse tree). A project without a warehouse spec is not
 * checked, with one warning that says how to write one.
 */
import { catalog } from '../diagnostics/catalog.ts';
import { type Diagnostic, diagnostic, unknownName } from '../diagnostics/diagnostic.ts';
import type { Location } from '../diagnostics/diagnostic.ts';
import type { Project } from '../project.ts';
import type { CheckContext, WarehouseSchema } from './context.ts';
import { unknownSqlNames } from './sql-names.ts';

/** One SQL string of a spec and how to point into it. */
interface Statement {
  sql: string;
  at(index: number, length: number): Location;
}

function statements(project: Project): Statement[] {
  const tools = project.tools.flatMap(({ value, inString }) =>
    value.kind === 'sql' && value.sql !== undefined ? [{ sql: value.sql, at: (i: number, n: number) => inString(['sql'], i, n) }] : []);
  const facts = project.evals.flatMap(({ value, inString }) =>
    value.cases.flatMap((c, i) => (c.facts ?? []).map((fact, f) =>
      ({ sql: fact.sql, at: (index: number, n: number) => inString(['cases', i, 'facts', f, 'sql'], index, n) }))));
  return [...tools, ...facts];
}

const where = (table: string | undefined, candidates: readonly string[]): string =>
  table !== undefined ? `table '${table}'` : candidates.length ? 'the tables the statement reads' : 'any table';

async function checkStatement({ sql, at }: Statement, schema: WarehouseSchema, context: CheckContext): Promise<Diagnostic[]> {
  const parsed = await context.sql.parse(sql);
  if (!parsed.ok) return []; // reported by the SQL checks
  return unknownSqlNames(sql, parsed.tree, schema).map((name) => name.kind === 'table'
    ? unknownName(catalog.unknownTable, at(name.index, name.length), name.name, name.candidates)
    : unknownName(catalog.unknownColumn, at(name.index, name.length), name.name, name.candidates, [where(name.table, name.candidates)]));
}

export async function checkWarehouse(project: Project, context: CheckContext): Promise<Diagnostic[]> {
  const { schema } = context;
  if (!schema) {
    const first = project.tools.find((t) => t.value.kind === 'sql' && t.value.sql !== undefined);
    return first ? [diagnostic(catalog.noWarehouseSchema, first.at(['sql']))] : [];
  }
  return (await Promise.all(statements(project).map((s) => checkStatement(s, schema, context)))).flat();
}
