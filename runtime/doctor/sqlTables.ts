/**
 * The tables a tool's SQL reads, for `revops doctor`'s schema check: names after FROM or JOIN (schema-qualified
 * or not), minus the statement's own common table expressions and table functions. A lexical reading, enough to
 * say "the warehouse lacks table X"; the compiler's SQL checks decide what may run.
 */
const REFERENCE = /\b(?:from|join)\s+((?:"[^"]+"|[a-z_][\w$]*)(?:\.(?:"[^"]+"|[a-z_][\w$]*))?)(\s*\()?/giu;
const CTE = /(?:\bwith|,)\s*(?:recursive\s+)?([a-z_][\w$]*)\s+as\s*\(/giu;

const bare = (name: string): string => name.replaceAll('"', '').toLowerCase();

export function tablesRead(sql: string): string[] {
  const ctes = new Set([...sql.matchAll(CTE)].map((m) => bare(m[1]!)));
  const tables = [...sql.matchAll(REFERENCE)].filter((m) => !m[2]).map((m) => bare(m[1]!))
    .filter((name) => !ctes.has(name));
  return [...new Set(tables)].sort();
}
