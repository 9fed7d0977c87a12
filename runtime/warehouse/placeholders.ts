/**
 * The warehouses' side of `:name` placeholders. They are read off the tokens of the read-only guard's lexer
 * (compiler/sql/placeholders.ts), and CURRENT_DATE is pinned on the same tokens, so what is bound and rewritten is
 * what the guard judged. Each warehouse rewrites the placeholders into its driver's own named-parameter syntax, so
 * values are bound by the driver and can never change the statement. SQL the lexer refuses (the guard would have
 * refused it too) is a syntax error here, never run.
 */
import { type Dialect, lexSql, SqlLexError, type Token } from '../../compiler/sql/sqlLexer.ts';
import { type Placeholder, placeholdersIn } from '../../compiler/sql/placeholders.ts';
import { type SqlValue, WarehouseError } from './warehouse.ts';

export type { Placeholder };

function lexStatement(sql: string, dialect: Dialect): readonly Token[] {
  try {
    return lexSql(sql, dialect);
  } catch (error) {
    if (error instanceof SqlLexError) throw new WarehouseError('syntax', `${error.message} (at position ${error.position + 1})`, { cause: error });
    throw error;
  }
}

export const findPlaceholders = (sql: string, dialect: Dialect = 'duckdb'): Placeholder[] => placeholdersIn(lexStatement(sql, dialect));

const CURRENT_DATE = 'CURRENT_DATE';

/**
 * Replaces the `CURRENT_DATE` keyword (an unquoted word token, so never text inside literals, identifiers and
 * comments) with the date literal `today` (`YYYY-MM-DD`, from the platform clock, never from a request). The embedded
 * warehouse's sample data is generated relative to REVOPS_NOW; pinning CURRENT_DATE to the same day keeps the seed's
 * date arithmetic in step with it.
 */
export function pinCurrentDate(sql: string, today: string, dialect: Dialect = 'duckdb'): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new WarehouseError('parameter', `today must be YYYY-MM-DD; got '${today}'`);
  let out = '';
  let last = 0;
  for (const token of lexStatement(sql, dialect)) {
    if (token.kind !== 'word' || token.value !== CURRENT_DATE) continue;
    out += `${sql.slice(last, token.start)}DATE '${today}'`;
    last = token.start + CURRENT_DATE.length;
  }
  return out + sql.slice(last);
}

/** Replaces each placeholder with `render(name)`; everything else is kept byte for byte. */
export function rewritePlaceholders(sql: string, placeholders: Placeholder[], render: (name: string) => string): string {
  let out = '';
  let last = 0;
  for (const p of placeholders) {
    out += sql.slice(last, p.start) + render(p.name);
    last = p.end;
  }
  return out + sql.slice(last);
}

/**
 * Checks that every placeholder has a value and every value has a placeholder (a stray value is almost always a
 * misspelt name), and that values are plain JSON scalars. Returns the distinct names in order of first use.
 */
export function checkParameters(placeholders: Placeholder[], params: Record<string, SqlValue> = {}): string[] {
  const names = [...new Set(placeholders.map((p) => p.name))];
  const missing = names.filter((n) => !Object.hasOwn(params, n));
  if (missing.length) {
    throw new WarehouseError('parameter', `missing value for parameter ${missing.map((n) => `:${n}`).join(', ')}; ` +
      'pass it in params');
  }
  const unknown = Object.keys(params).filter((n) => !names.includes(n));
  if (unknown.length) {
    throw new WarehouseError('parameter', `parameter ${unknown.map((n) => `'${n}'`).join(', ')} is not used by the ` +
      `statement (its placeholders: ${names.map((n) => `:${n}`).join(', ') || 'none'})`);
  }
  for (const name of names) {
    const value = params[name];
    const ok = value === null || typeof value === 'string' || typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value));
    if (!ok) {
      throw new WarehouseError('parameter', `parameter '${name}' must be a string, finite number, boolean or null; ` +
        `got ${typeof value === 'number' ? String(value) : typeof value}`);
    }
  }
  return names;
}
