/**
 * The warehouse columns a name parameter is matched against: its `resolve.values` column first, then every column
 * the tool's SQL compares the placeholder with by (I)LIKE — `o.account_name ILIKE ('%' || :deal_name || '%')` means
 * a deal can be named by its account as well as its own name, so the question is searched for both. Read from the
 * SQL the spec already has, so a spec author declares the column once.
 */
import type { ManifestParameter, ManifestTool } from '../../../compiler/manifest.ts';
import { findPlaceholders } from '../../warehouse/placeholders.ts';

const KEYWORDS = new Set(['on', 'where', 'left', 'right', 'inner', 'outer', 'full', 'cross', 'join', 'using', 'group', 'order', 'limit', 'lateral']);
const TABLE_REF = /\b(?:FROM|JOIN)\s+([A-Za-z_][A-Za-z0-9_]*)(?:\s+(?:AS\s+)?([A-Za-z_][A-Za-z0-9_]*))?/giu;
/** `alias.column ILIKE ('%' ||` or `COALESCE(a.x, c.y, '') ILIKE ('%' ||` right before the placeholder. */
const COMPARED = /(COALESCE\s*\(([^()]*)\)|(?:[A-Za-z_][A-Za-z0-9_]*\.)?[A-Za-z_][A-Za-z0-9_]*)\s+I?LIKE\s*\(?\s*(?:'%'\s*\|\|\s*)?$/iu;
const COLUMN = /(?:([A-Za-z_][A-Za-z0-9_]*)\.)?([A-Za-z_][A-Za-z0-9_]*)/gu;

/** alias (and table name) -> table, from the FROM and JOIN clauses. */
function tableAliases(sql: string): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const m of sql.matchAll(TABLE_REF)) {
    const table = m[1]!;
    aliases.set(table.toLowerCase(), table);
    if (m[2] && !KEYWORDS.has(m[2].toLowerCase())) aliases.set(m[2].toLowerCase(), table);
  }
  return aliases;
}

/** `table.column` names the SQL compares `param`'s placeholder with; unqualified columns need a single table. */
export function comparedColumns(sql: string, param: string): string[] {
  const aliases = tableAliases(sql);
  const tables = [...new Set(aliases.values())];
  const out: string[] = [];
  for (const p of findPlaceholders(sql).filter((x) => x.name === param)) {
    const m = COMPARED.exec(sql.slice(Math.max(0, p.start - 200), p.start));
    if (!m) continue;
    for (const c of (m[2] ?? m[1]!).matchAll(COLUMN)) {
      if (c[0].toUpperCase() === 'COALESCE') continue;
      const table = c[1] ? aliases.get(c[1].toLowerCase()) : tables.length === 1 ? tables[0] : undefined;
      if (table) out.push(`${table}.${c[2]}`);
    }
  }
  return out;
}

/** The columns `p` is matched against, its declared `resolve.values` first; empty for parameters that are not names. */
export function nameColumns(tool: ManifestTool, p: ManifestParameter): string[] {
  if (!p.resolve || !('values' in p.resolve)) return [];
  const derived = tool.kind === 'sql' ? comparedColumns(tool.sql, p.name) : [];
  return [...new Set([p.resolve.values, ...derived])];
}
