/**
 * `:name` placeholders in a SQL statement, skipping string literals, quoted identifiers, comments and `::` casts —
 * the same rule the warehouse uses to bind named parameters.
 */
export interface Placeholder {
  name: string;
  /** Offset of the colon. */
  index: number;
}

const SKIP: Array<[open: string, close: string]> = [["'", "'"], ['"', '"'], ['--', '\n'], ['/*', '*/']];

export function findPlaceholders(sql: string): Placeholder[] {
  const found: Placeholder[] = [];
  let i = 0;
  while (i < sql.length) {
    const skip = SKIP.find(([open]) => sql.startsWith(open, i));
    if (skip) {
      const end = sql.indexOf(skip[1], i + skip[0].length);
      i = end === -1 ? sql.length : end + skip[1].length;
      continue;
    }
    if (sql[i] === ':' && sql[i + 1] === ':') {
      i += 2;
      continue;
    }
    const match = sql[i] === ':' ? /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1)) : null;
    if (match) {
      found.push({ name: match[0], index: i });
      i += 1 + match[0].length;
      continue;
    }
    i++;
  }
  return found;
}
