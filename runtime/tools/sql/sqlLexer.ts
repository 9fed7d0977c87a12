/**
 * A SQL lexer just precise enough to make security decisions on tokens instead of raw text: it knows where string
 * literals, quoted identifiers and comments begin and end, so a `;` or `DELETE` inside `'...'` is data and one
 * outside is code. It covers the syntax DuckDB and Firebolt share: '...' strings with '' escapes, E'...' escape
 * strings, $tag$...$tag$ dollar quoting, "quoted identifiers" with "" escapes, -- and /* *\/ comments.
 *
 * Where dialects disagree the lexer refuses instead of guessing, because a guess that differs from the database's
 * reading is exactly how an injection slips through: nested block comments (DuckDB nests them, others do not) and
 * `\'` inside a plain string (backslash-escaping engines end the string elsewhere) are errors.
 */

export type TokenKind = 'word' | 'identifier' | 'string' | 'number' | 'parameter' | 'punct' | 'operator';

export interface Token {
  kind: TokenKind;
  /** word: upper-cased; identifier: the name without quotes; string: the raw literal; others: the text. */
  value: string;
  /** 0-based offset of the token's first character in the statement. */
  start: number;
}

export class SqlLexError extends Error {
  override readonly name = 'SqlLexError';
  constructor(message: string, readonly position: number) {
    super(message);
  }
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DIGIT = /[0-9]/;
const PUNCT = new Set([';', '(', ')', ',', '.']);
/** Prefixes that make the next '...' a special literal: E (escape string), X/B (bit/hex), N (national). */
const STRING_PREFIXES = new Set(['E', 'X', 'B', 'N']);

export function lexSql(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql.charAt(i);
    const next = sql.charAt(i + 1);
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
    } else if (c === '/' && next === '*') {
      i = skipBlockComment(sql, i);
    } else if (c === "'") {
      i = pushString(sql, i, i, false, tokens);
    } else if (c === '"') {
      i = pushQuotedIdentifier(sql, i, tokens);
    } else if (c === '$' && DIGIT.test(next)) {
      i = pushWhile(sql, i + 1, DIGIT, 'parameter', i, tokens);
    } else if (c === '$') {
      i = pushDollarString(sql, i, tokens);
    } else if (c === ':' && next === ':') {
      tokens.push({ kind: 'operator', value: '::', start: i });
      i += 2;
    } else if (c === ':' && WORD_START.test(next)) {
      i = pushWhile(sql, i + 1, WORD_PART, 'parameter', i, tokens);
    } else if (DIGIT.test(c) || (c === '.' && DIGIT.test(next))) {
      i = pushWhile(sql, i, /[0-9.eE]/, 'number', i, tokens);
    } else if (WORD_START.test(c)) {
      let end = i + 1;
      while (end < sql.length && WORD_PART.test(sql.charAt(end))) end += 1;
      const word = sql.slice(i, end).toUpperCase();
      if (STRING_PREFIXES.has(word) && sql.charAt(end) === "'") {
        i = pushString(sql, i, end, word === 'E', tokens);
      } else {
        tokens.push({ kind: 'word', value: word, start: i });
        i = end;
      }
    } else {
      tokens.push({ kind: PUNCT.has(c) ? 'punct' : 'operator', value: c, start: i });
      i += 1;
    }
  }
  return tokens;
}

function skipBlockComment(sql: string, start: number): number {
  const end = sql.indexOf('*/', start + 2);
  if (end === -1) throw new SqlLexError('unterminated /* comment', start);
  const nested = sql.indexOf('/*', start + 2);
  if (nested !== -1 && nested < end) {
    throw new SqlLexError('nested /* comments are not allowed (SQL dialects disagree on where they end)', nested);
  }
  return end + 2;
}

/** `quote` is the offset of the opening quote; `start` includes a prefix such as E. */
function pushString(sql: string, start: number, quote: number, escapes: boolean, tokens: Token[]): number {
  let i = quote + 1;
  while (i < sql.length) {
    const c = sql.charAt(i);
    if (escapes && c === '\\') {
      i += 2;
    } else if (c === "'" && sql.charAt(i + 1) === "'") {
      i += 2;
    } else if (c === "'") {
      const raw = sql.slice(start, i + 1);
      if (!escapes && raw.includes("\\'")) {
        throw new SqlLexError("a backslash before a quote (\\') in a string literal is ambiguous across SQL dialects; write '' for a quote, or E'...' for escapes", start);
      }
      tokens.push({ kind: 'string', value: raw, start });
      return i + 1;
    } else {
      i += 1;
    }
  }
  throw new SqlLexError('unterminated string literal', start);
}

function pushQuotedIdentifier(sql: string, start: number, tokens: Token[]): number {
  let name = '';
  let i = start + 1;
  while (i < sql.length) {
    const c = sql.charAt(i);
    if (c === '"' && sql.charAt(i + 1) === '"') {
      name += '"';
      i += 2;
    } else if (c === '"') {
      tokens.push({ kind: 'identifier', value: name, start });
      return i + 1;
    } else {
      name += c;
      i += 1;
    }
  }
  throw new SqlLexError('unterminated quoted identifier', start);
}

function pushDollarString(sql: string, start: number, tokens: Token[]): number {
  const match = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(start));
  if (!match) {
    tokens.push({ kind: 'operator', value: '$', start });
    return start + 1;
  }
  const tag = match[0];
  const end = sql.indexOf(tag, start + tag.length);
  if (end === -1) throw new SqlLexError(`unterminated dollar-quoted string ${tag}`, start);
  tokens.push({ kind: 'string', value: sql.slice(start, end + tag.length), start });
  return end + tag.length;
}

function pushWhile(sql: string, from: number, part: RegExp, kind: TokenKind, start: number, tokens: Token[]): number {
  let end = from;
  while (end < sql.length && part.test(sql.charAt(end))) end += 1;
  tokens.push({ kind, value: sql.slice(start, end), start });
  return end;
}
