/**
 * The sample schema's column comments (`name TYPE, -- what it holds` in schema.sql) as DuckDB `COMMENT ON COLUMN`
 * statements, so the seeded warehouse carries its own column descriptions and `revops data schema` reads them
 * back like any warehouse's.
 */
const TABLE = /^CREATE TABLE (\w+)/;
const COMMENTED_COLUMN = /^\s+(\w+)\s+[A-Z]+(?:\([^)]*\))?(?:\s+NOT NULL)?,?\s*--\s*(.+?)\s*$/;

export function columnComments(schemaSql: string): Array<{ table: string; column: string; comment: string }> {
  const found: Array<{ table: string; column: string; comment: string }> = [];
  let table: string | undefined;
  for (const line of schemaSql.split('\n')) {
    table = TABLE.exec(line)?.[1] ?? table;
    const column = COMMENTED_COLUMN.exec(line);
    if (table && column) found.push({ table, column: column[1]!, comment: column[2]! });
  }
  return found;
}

const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

export const commentStatements = (schemaSql: string): string =>
  columnComments(schemaSql).map(({ table, column, comment }) => `COMMENT ON COLUMN ${table}.${column} IS ${literal(comment)};`).join('\n');
