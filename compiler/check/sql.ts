/**
 * SQL tools (kind sql): the statement parses in DuckDB, is read-only (DuckDB serialises only SELECT statements),
 * is one statement, passes the runtime's read-only guard (compiler/sql/readOnlyGuard.ts: functions allow-listed, no
 * files, catalogs or unbounded growth; on Firebolt nothing else stands between a statement and the data), uses only
 * declared `:params`, and uses every declared parameter (warning). The seed's writer ran any SQL it was
 * given; here writes go only through kind sql_write and its declared tables. A statement cut by a final LIMIT must
 * count all matching records (`matched_rows`, runtime/tools/sql/matchedTotals.ts), or answers count a page (warning).
 */
import { catalog } from '../diagnostics/catalog.ts';
import { type Diagnostic, diagnostic, unknownName } from '../diagnostics/diagnostic.ts';
import type { Project, Spec } from '../project.ts';
import type { ToolSpec } from '../schema/index.ts';
import type { Dialect } from '../sql/sqlLexer.ts';
import { checkReadOnly } from '../sql/readOnlyGuard.ts';
import type { CheckContext } from './context.ts';
import { placeholdersOf } from './sql-parser.ts';

const FINAL_LIMIT = /\b(LIMIT\s+\d+)\s*;?\s*$/iu;
const COUNTS_MATCHES = /\bAS\s+matched_rows\b/iu;

async function checkTool({ value, at, inString }: Spec<ToolSpec>, context: CheckContext, dialect: Dialect): Promise<Diagnostic[]> {
  const sql = value.sql;
  if (value.kind !== 'sql' || sql === undefined) return [];
  const out: Diagnostic[] = [];
  const declared = Object.keys(value.parameters ?? {});
  const known = new Set(declared);
  const used = placeholdersOf(sql);
  const usedNames = new Set(used.map((p) => p.name));
  for (const { name, start } of used) {
    if (!known.has(name)) out.push(unknownName(catalog.undeclaredSqlParameter, inString(['sql'], start, name.length + 1), name, declared));
  }
  for (const name of declared) {
    if (!usedNames.has(name)) out.push(diagnostic(catalog.unusedSqlParameter, at(['parameters', name], { key: true }), [name]));
  }
  const limit = FINAL_LIMIT.exec(sql);
  if (limit && !COUNTS_MATCHES.test(sql)) out.push(diagnostic(catalog.limitWithoutTotal, inString(['sql'], limit.index, limit[1]!.length), [limit[1]!]));
  const parsed = await context.sql.parse(sql);
  if (parsed.ok) {
    if (parsed.statements > 1) out.push(diagnostic(catalog.multipleStatements, at(['sql']), [`${parsed.statements} statements`]));
    else out.push(...guardDiagnostics(sql, dialect, inString, at));
  } else if (parsed.notSelect) {
    out.push(diagnostic(catalog.writeInReadOnly, at(['sql']), [value.kind]));
  } else {
    const where = parsed.position === undefined ? at(['sql']) : inString(['sql'], parsed.position, 1);
    out.push(diagnostic(catalog.sqlSyntax, where, [parsed.message.split('\n')[0]!]));
  }
  return out;
}

/** What the guard refuses, at the token it blames inside the SQL string. */
function guardDiagnostics(sql: string, dialect: Dialect, inString: Spec<ToolSpec>['inString'], at: Spec<ToolSpec>['at']): Diagnostic[] {
  const verdict = checkReadOnly(sql, { dialect, placeholders: true });
  if (verdict.ok) return [];
  const where = verdict.position === undefined ? at(['sql']) : inString(['sql'], verdict.position, 1);
  return [diagnostic(catalog.notReadQuery, where, [verdict.reason])];
}

export async function checkSql(project: Project, context: CheckContext): Promise<Diagnostic[]> {
  // The engine the warehouse schema was read from; a project without one is checked as DuckDB, the embedded engine.
  const dialect = project.warehouses.find((w) => w.value.dialect)?.value.dialect ?? 'duckdb';
  return (await Promise.all(project.tools.map((tool) => checkTool(tool, context, dialect)))).flat();
}
