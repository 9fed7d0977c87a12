/**
 * Finds `:name` placeholders in SQL text, the way a SQL lexer would: text inside string literals ('…', E'…',
 * $tag$…$tag$), quoted identifiers ("…") and comments (-- …, /* … *\/) is never a placeholder, and `::type` is a
 * cast. Each warehouse rewrites the placeholders into its driver's own named-parameter syntax, so values are bound
 * by the driver and can never change the statement (issue 3: "a value can never change the statement").
 *
 * A colon followed by a space is not a placeholder: write list slices as `xs[a : b]`.
 */
import { type SqlValue, WarehouseError } from './warehouse.ts';

export interface Placeholder {
  name: string;
  /** Offset of the colon. */
  start: number;
  /** Offset just past the name. */
  end: number;
}

const nameStart = /[A-Za-z_]/;
const namePart = /[A-Za-z0-9_]/;

/** Offset just past the literal, identifier or comment that starts at `i`, or `i` when none starts there. */
function skipQuoted(sql: string, i: number): number {
  const c = sql[i];
  const next = sql[i + 1];
  if (c === '-' && next === '-') {
    const end = sql.indexOf('\n', i + 2);
    return end === -1 ? sql.length : end + 1;
  }
  if (c === '/' && next === '*') return skipBlockComment(sql, i);
  if (c === "'") return skipDelimited(sql, i, "'", isEscapeStringPrefix(sql, i));
  if (c === '"') return skipDelimited(sql, i, '"', false);
  if (c === '$') return skipDollarQuoted(sql, i);
  return i;
}

/** `E'…'` strings treat backslash as an escape (PostgreSQL/DuckDB); the E must start a token. */
function isEscapeStringPrefix(sql: string, quote: number): boolean {
  const prefix = sql[quote - 1];
  return (prefix === 'E' || prefix === 'e') && !namePart.test(sql[quote - 2] ?? '');
}

function skipDelimited(sql: string, i: number, quote: string, backslashEscapes: boolean): number {
  let j = i + 1;
  while (j < sql.length) {
    const c = sql[j];
    if (backslashEscapes && c === '\\') j += 2;
    else if (c === quote && sql[j + 1] === quote) j += 2; // doubled quote is an escaped quote
    else if (c === quote) return j + 1;
    else j += 1;
  }
  return sql.length; // unterminated: the driver reports the syntax error
}

function skipBlockComment(sql: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < sql.length) {
    if (sql[j] === '/' && sql[j + 1] === '*') { depth += 1; j += 2; }
    else if (sql[j] === '*' && sql[j + 1] === '/') { depth -= 1; j += 2; if (depth === 0) return j; }
    else j += 1;
  }
  return sql.length;
}

function skipDollarQuoted(sql: string, i: number): number {
  const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
  if (!tag || namePart.test(sql[i - 1] ?? '')) return i;
  const end = sql.indexOf(tag[0], i + tag[0].length);
  return end === -1 ? sql.length : end + tag[0].length;
}

export function findPlaceholders(sql: string): Placeholder[] {
  const found: Placeholder[] = [];
  let i = 0;
  while (i < sql.length) {
    const skipped = skipQuoted(sql, i);
    if (skipped !== i) { i = skipped; continue; }
    if (sql[i] === ':' && sql[i + 1] === ':') { i += 2; continue; } // `::type` cast
    if (sql[i] === ':' && nameStart.test(sql[i + 1] ?? '')) {
      let end = i + 2;
      while (end < sql.length && namePart.test(sql[end]!)) end += 1;
      found.push({ name: sql.slice(i + 1, end), start: i, end });
      i = end;
      continue;
    }
    i += 1;
  }
  return found;
}

/**
 * Replaces the `CURRENT_DATE` keyword (outside literals, identifiers and comments) with the date literal `today`
 * (`YYYY-MM-DD`, from the platform clock, never from a request). The embedded warehouse's sample data is generated
 * relative to REVOPS_NOW; pinning CURRENT_DATE to the same day keeps the seed's date arithmetic in step with it.
 */
export function pinCurrentDate(sql: string, today: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new WarehouseError('parameter', `today must be YYYY-MM-DD; got '${today}'`);
  const keyword = 'CURRENT_DATE';
  let out = '';
  let last = 0;
  let i = 0;
  while (i < sql.length) {
    const skipped = skipQuoted(sql, i);
    if (skipped !== i) { i = skipped; continue; }
    const atKeyword = sql.slice(i, i + keyword.length).toUpperCase() === keyword &&
      !namePart.test(sql[i - 1] ?? '') && !namePart.test(sql[i + keyword.length] ?? '');
    if (atKeyword) {
      out += `${sql.slice(last, i)}DATE '${today}'`;
      i += keyword.length;
      last = i;
      continue;
    }
    i += 1;
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
