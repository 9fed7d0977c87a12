/**
 * A SQL lexer just precise enough to make security decisions on tokens instead of raw text: it knows where string
 * literals, quoted identifiers and comments begin and end exactly as the engines do, so a `;` or `DELETE` inside
 * `'...'` is data and one outside is code. Both dialects lex like PostgreSQL (DuckDB's parser is PostgreSQL's
 * grammar; Firebolt documents PostgreSQL-compatible lexical structure):
 * - whitespace is space, tab, `\n`, `\r` and form feed; a `--` comment ends at `\n` or `\r` (so `\r\n` too);
 * - '...' strings with '' for a quote and no backslash escapes; E'...' strings where a backslash escapes the next
 *   character; $tag$...$tag$ dollar quoting (DuckDB); "quoted identifiers" with "" for a quote;
 * - block comments nest in DuckDB and PostgreSQL.
 *
 * Where engines could disagree the lexer refuses instead of guessing, because a guess that differs from the
 * database's reading is exactly how an injection slips through. Refused: nested block comments (engines that do
 * not nest end them earlier); `\'` in a plain string (backslash-escaping engines end it elsewhere); a `--` comment
 * holding another line-breaking character (vertical tab, form feed, U+0085, U+2028, U+2029), which some readers
 * end lines at; control characters anywhere; and outside literals, quoted identifiers and comments any character
 * that is not printable ASCII (DuckDB reads U+00A0 and other Unicode spaces as whitespace, PostgreSQL as part of a
 * name). On Firebolt also dollar quoting, `$` in names and backslashes in E'...' strings, which it does not document.
 *
 * Firebolt's rules, as its SQL reference states them: unquoted names are a letter or _ then letters, digits and _;
 * "quoted identifiers"; '...' strings with '' for a quote, read without backslash escapes while the setting
 * standard_conforming_strings is on (the default; a query could turn it off with WITH (...), which the guard
 * refuses). Everything else follows PostgreSQL, which test/compiler/sql/sqlLexerDifferential.test.ts checks against
 * PostgreSQL 17's own scanner, and DuckDB's parser for both dialects.
 */

export type Dialect = 'duckdb' | 'firebolt';

export type TokenKind = 'word' | 'identifier' | 'string' | 'number' | 'parameter' | 'punct' | 'operator';

export interface Token {
  kind: TokenKind;
  /** word: upper-cased (ASCII); identifier: the name without quotes; string: the raw literal; others: the text. */
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

const WHITESPACE = /[ \t\n\r\f]/;
const WORD_START = /[A-Za-z_]/;
const DIGIT = /[0-9]/;
const PUNCT = new Set([';', '(', ')', ',', '.']);
/**
 * Prefixes that make the next '...' a special literal: E (escape string), X and B (hex and bit strings, in which ''
 * ends the literal and opens the next: B'01''x' is B'01' then 'x'). N and U& are tokens of their own before '...'.
 */
const STRING_PREFIXES = new Set(['E', 'X', 'B']);
/** Control characters other than the whitespace above; NUL also ends the text early for C-string readers. */
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f]/;
/** Characters some reader takes for a line end, beyond the `\n` and `\r` every engine here ends a comment at. */
const OTHER_LINE_BREAK = /[\u000b\u000c\u0085\u2028\u2029]/;
/** PostgreSQL's number: digits, an optional fraction and exponent; a letter or quote right after it is refused. */
const NUMBER = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/;
/** A dollar-quote delimiter as DuckDB and PostgreSQL read one; the tag may be any name (ASCII is required below). */
const DOLLAR_TAG = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

/**
 * One statement is read by several checks in a row (its placeholders, the read-only guard, the names it uses) and
 * again on every call of its tool: the tokens of the statements read last are kept, and shared read-only.
 */
const LEXED = new Map<string, readonly Token[]>();
const LEXED_KEPT = 256;

export function lexSql(sql: string, dialect: Dialect = 'duckdb'): readonly Token[] {
  const key = `${dialect}\u0000${sql}`;
  const known = LEXED.get(key);
  if (known) return known;
  const tokens = Object.freeze(lexTokens(sql, dialect));
  if (LEXED.size >= LEXED_KEPT) LEXED.delete(LEXED.keys().next().value!);
  LEXED.set(key, tokens);
  return tokens;
}

/**
 * The statement without its trailing terminator, cut at the first of the `;` tokens that end it, so comments and
 * whitespace after it (`; -- note`, `;\r`, `; /* x *\/`) go too: read as the guard and the warehouse read it.
 */
export function withoutTerminator(sql: string, dialect: Dialect = 'duckdb'): string {
  const tokens = lexSql(sql, dialect);
  let end = tokens.length;
  while (end > 0 && tokens[end - 1]!.kind === 'punct' && tokens[end - 1]!.value === ';') end -= 1;
  return end === tokens.length ? sql : sql.slice(0, tokens[end]!.start);
}

function lexTokens(sql: string, dialect: Dialect): Token[] {
  const control = CONTROL.exec(sql);
  if (control) throw new SqlLexError(`control character ${codePoint(control[0])} is not allowed`, control.index);
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql.charAt(i);
    const next = sql.charAt(i + 1);
    if (WHITESPACE.test(c)) {
      i += 1;
    } else if (c === '-' && next === '-') {
      i = skipLineComment(sql, i);
    } else if (c === '/' && next === '*') {
      i = skipBlockComment(sql, i);
    } else if (c === "'") {
      i = pushString(sql, i, i, false, dialect, tokens);
    } else if (c === '"') {
      i = pushQuotedIdentifier(sql, i, tokens);
    } else if (c === '$' && DIGIT.test(next)) {
      i = pushWhile(sql, i + 1, DIGIT, 'parameter', i, tokens);
    } else if (c === '$') {
      i = pushDollarString(sql, i, dialect, tokens);
    } else if (c === ':' && next === ':') {
      tokens.push({ kind: 'operator', value: '::', start: i });
      i += 2;
    } else if (c === ':' && WORD_START.test(next)) {
      i = pushWhile(sql, i + 1, /[A-Za-z0-9_]/, 'parameter', i, tokens);
    } else if (DIGIT.test(c) || (c === '.' && DIGIT.test(next))) {
      i = pushNumber(sql, i, tokens);
    } else if (WORD_START.test(c)) {
      i = pushWord(sql, i, dialect, tokens);
    } else if (c > '\u007f') {
      throw new SqlLexError(`character ${codePoint(c)} is only allowed inside a string literal or a "quoted identifier"`, i);
    } else {
      tokens.push({ kind: PUNCT.has(c) ? 'punct' : 'operator', value: c, start: i });
      i += 1;
    }
  }
  return tokens;
}

const codePoint = (c: string): string => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

function skipLineComment(sql: string, start: number): number {
  let end = start + 2;
  while (end < sql.length && sql.charAt(end) !== '\n' && sql.charAt(end) !== '\r') {
    if (OTHER_LINE_BREAK.test(sql.charAt(end))) {
      throw new SqlLexError(`a -- comment holds the line break ${codePoint(sql.charAt(end))}, which SQL readers disagree on; end comments with a newline`, end);
    }
    end += 1;
  }
  return end;
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

function pushWord(sql: string, start: number, dialect: Dialect, tokens: Token[]): number {
  let end = start + 1;
  while (end < sql.length && /[A-Za-z0-9_$]/.test(sql.charAt(end))) end += 1;
  const raw = sql.slice(start, end);
  if (dialect === 'firebolt' && raw.includes('$')) {
    throw new SqlLexError(`'$' in the name ${raw} is not allowed on Firebolt; quote the name ("${raw}")`, start + raw.indexOf('$'));
  }
  const word = raw.toUpperCase();
  if (STRING_PREFIXES.has(word) && sql.charAt(end) === "'") {
    if (word === 'E') return pushString(sql, start, end, true, dialect, tokens);
    const close = sql.indexOf("'", end + 1);
    if (close === -1) throw new SqlLexError('unterminated string literal', start);
    tokens.push({ kind: 'string', value: sql.slice(start, close + 1), start });
    return close + 1;
  }
  tokens.push({ kind: 'word', value: word, start });
  return end;
}

function pushNumber(sql: string, start: number, tokens: Token[]): number {
  const text = NUMBER.exec(sql.slice(start))![0];
  const end = start + text.length;
  // `1e'..'`, `1abc` and `0x1F` split differently by engine versions (PostgreSQL 15 calls it trailing junk).
  if (/[A-Za-z0-9_$'"]/.test(sql.charAt(end))) {
    throw new SqlLexError(`put a space after the number ${text}`, end);
  }
  tokens.push({ kind: 'number', value: text, start });
  return end;
}

/** `quote` is the offset of the opening quote; `start` includes a prefix such as E. */
function pushString(sql: string, start: number, quote: number, escapes: boolean, dialect: Dialect, tokens: Token[]): number {
  let i = quote + 1;
  while (i < sql.length) {
    const c = sql.charAt(i);
    if (escapes && c === '\\') {
      if (dialect === 'firebolt') {
        throw new SqlLexError("backslash escapes in E'...' strings are not allowed on Firebolt; write '' for a quote", i);
      }
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

function pushDollarString(sql: string, start: number, dialect: Dialect, tokens: Token[]): number {
  const match = DOLLAR_TAG.exec(sql.slice(start));
  if (!match) {
    // DuckDB reads `$name` as a named parameter, PostgreSQL as '$' and a name: neither belongs in a read query.
    throw new SqlLexError("'$' is only allowed in a dollar-quoted string ($$...$$)", start);
  }
  const tag = match[0];
  if (dialect === 'firebolt') throw new SqlLexError(`dollar-quoted strings (${tag}) are not supported on Firebolt; write '...' with '' for a quote`, start);
  if (/[^\x00-\x7f]/.test(tag)) throw new SqlLexError(`the dollar-quote tag ${tag} must be ASCII letters, digits and _`, start);
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
