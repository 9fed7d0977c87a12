/**
 * The read-only guard for model-written SQL (`sql_query` tools such as `firebolt_sql_query`). The seed's SQL tool
 * ran whatever a model wrote; this one accepts exactly one SELECT (or WITH ... SELECT) and refuses the rest.
 *
 * Decisions are made on tokens from `lexSql`, never on raw text, so text inside string literals, quoted identifiers
 * and comments can neither trigger nor hide a refusal. It needs no database (the Lambda that serves Firebolt has no
 * DuckDB to ask), and it is deliberately stricter than necessary: a refused legitimate query costs the model one
 * rewrite; an accepted write costs data. Every refusal says what was found and where, so the model can fix it.
 */
import { lexSql, SqlLexError, type Token } from './sqlLexer.ts';

export type GuardVerdict = { ok: true } | { ok: false; reason: string };

export interface GuardOptions {
  /** Firebolt has no dollar quoting; refusing it there removes one place where two readers could disagree. */
  dialect?: 'duckdb' | 'firebolt';
}

const LEAD = 'Only a single read-only SELECT statement is allowed';

/** Statement-level keywords of writes, DDL and administration, in DuckDB and Firebolt. Refused anywhere unquoted. */
const FORBIDDEN_KEYWORDS = new Set([
  'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'UPSERT', 'TRUNCATE', 'DROP', 'CREATE', 'ALTER', 'RENAME', 'INTO',
  'COPY', 'ATTACH', 'DETACH', 'PRAGMA', 'SET', 'RESET', 'INSTALL', 'LOAD', 'EXPORT', 'IMPORT', 'CALL',
  'CHECKPOINT', 'VACUUM', 'ANALYZE', 'GRANT', 'REVOKE', 'BEGIN', 'COMMIT', 'ROLLBACK', 'TRANSACTION', 'EXECUTE',
  'PREPARE', 'DEALLOCATE', 'USE', 'EXTERNAL',
]);

/** Functions that read files, object stores, other databases or the network, or run SQL given as text. */
const FORBIDDEN_FUNCTIONS: RegExp[] = [
  /^read_/, /^read$/, /_scan$/, /_attach$/, /_query$/, /_execute$/, /^parquet_/, /^iceberg_/, /^delta_/, /^sniff_/,
  /^http/, /^glob$/, /^list_objects$/, /^query$/, /^query_table$/, /^getenv$/, /^duckdb_secrets$/,
  /^which_secret$/, /^load_aws_credentials$/, /^st_read/, /^pg_read/, /^lo_(import|export)$/,
];

/** Keywords that end a FROM list at the same nesting depth. */
const FROM_LIST_END = new Set([
  'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'OFFSET', 'QUALIFY', 'WINDOW', 'UNION', 'EXCEPT', 'INTERSECT',
  'SELECT', 'ON', 'USING', 'FETCH',
]);

export function checkReadOnly(sql: string, options: GuardOptions = {}): GuardVerdict {
  let tokens: Token[];
  try {
    tokens = lexSql(sql);
  } catch (error) {
    if (error instanceof SqlLexError) return refuse(`${LEAD}; ${error.message} (at position ${error.position + 1}).`);
    throw error;
  }
  const reason =
    checkNotEmpty(tokens) ??
    checkSingleStatement(tokens) ??
    checkFirstKeyword(tokens) ??
    checkTokens(tokens, options) ??
    checkParentheses(tokens) ??
    checkWithEndsInSelect(tokens);
  return reason ? refuse(reason) : { ok: true };
}

const refuse = (reason: string): GuardVerdict => ({ ok: false, reason });
const at = (token: Token): string => `position ${token.start + 1}`;
const isPunct = (token: Token | undefined, value: string): boolean => token?.kind === 'punct' && token.value === value;
const isWord = (token: Token | undefined, ...values: string[]): boolean => token?.kind === 'word' && values.includes(token.value);

function checkNotEmpty(tokens: Token[]): string | undefined {
  const meaningful = tokens.filter((t) => !isPunct(t, ';'));
  return meaningful.length === 0 ? 'The query is empty; write one SELECT statement.' : undefined;
}

function checkSingleStatement(tokens: Token[]): string | undefined {
  const semicolon = tokens.findIndex((t) => isPunct(t, ';'));
  if (semicolon === -1 || semicolon === tokens.length - 1) return undefined;
  const next = tokens[semicolon + 1];
  const found = next && !isPunct(next, ';') ? `found ${describe(next)} at ${at(next)} after the ';'` : `found a second ';' at ${at(next ?? tokens[semicolon]!)}`;
  return `${LEAD}; ${found}. Remove everything after the first statement.`;
}

function checkFirstKeyword(tokens: Token[]): string | undefined {
  const first = tokens.find((t) => !isPunct(t, '('));
  if (isWord(first, 'SELECT', 'WITH')) return undefined;
  return `${LEAD}; found ${first ? describe(first) : 'nothing'} at ${first ? at(first) : 'the end'}. Start the query with SELECT or WITH.`;
}

function checkTokens(tokens: Token[], options: GuardOptions): string | undefined {
  const fromList: boolean[] = [false];
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    const depth = fromList.length - 1;
    if (token.kind === 'word' && FORBIDDEN_KEYWORDS.has(token.value)) {
      return `${LEAD}; found ${token.value} at ${at(token)}. Writes, DDL and session commands are refused (if it is a column name, quote it: "${token.value.toLowerCase()}").`;
    }
    if ((token.kind === 'word' || token.kind === 'identifier') && isPunct(tokens[i + 1], '(')) {
      const name = token.value.toLowerCase();
      if (FORBIDDEN_FUNCTIONS.some((pattern) => pattern.test(name))) {
        return `Function ${name} at ${at(token)} reads files, other databases or the network, or runs SQL given as text, and is not allowed; query the warehouse tables instead.`;
      }
    }
    if (token.kind === 'parameter') {
      return `Placeholder ${token.value} at ${at(token)} has no value here; write the value as a literal ('IXIS', 30).`;
    }
    if (token.kind === 'string' && options.dialect === 'firebolt' && token.value.startsWith('$')) {
      return `Dollar-quoted strings (at ${at(token)}) are not supported on Firebolt; write '...' with '' for a quote.`;
    }
    if (inTablePosition(tokens, i, fromList[depth] ?? false) && looksLikeFile(token)) {
      return `A ${token.kind === 'string' ? 'string literal' : 'file-like name'} is used as a table at ${at(token)} (that would read a file); name a warehouse table instead.`;
    }
    if (isWord(token, 'FROM')) fromList[depth] = true;
    else if (token.kind === 'word' && FROM_LIST_END.has(token.value)) fromList[depth] = false;
    else if (isPunct(token, '(')) fromList.push(false);
    else if (isPunct(token, ')') && fromList.length > 1) fromList.pop();
  }
  return undefined;
}

/** After FROM or JOIN, after a comma inside a FROM list, or right inside a parenthesis that opens in such a place. */
function inTablePosition(tokens: Token[], index: number, inFromList: boolean): boolean {
  const previous = tokens[index - 1];
  if (isWord(previous, 'FROM', 'JOIN') || (inFromList && isPunct(previous, ','))) return true;
  return isPunct(previous, '(') && isWord(tokens[index - 2], 'FROM', 'JOIN');
}

/** DuckDB treats `FROM 'x.csv'` and `FROM "x.csv"` as a file scan when no such table exists. */
const looksLikeFile = (token: Token): boolean =>
  token.kind === 'string' || (token.kind === 'identifier' && /[./\\:*]/.test(token.value));

function checkParentheses(tokens: Token[]): string | undefined {
  let depth = 0;
  for (const token of tokens) {
    if (isPunct(token, '(')) depth += 1;
    if (isPunct(token, ')')) depth -= 1;
    if (depth < 0) return `Unbalanced parentheses: ')' at ${at(token)} closes nothing.`;
  }
  return depth === 0 ? undefined : `Unbalanced parentheses: ${depth} '(' never closed.`;
}

/** WITH name [(columns)] AS [NOT] [MATERIALIZED] ( ... ) [, ...] must be followed by SELECT (or a parenthesised one). */
function checkWithEndsInSelect(tokens: Token[]): string | undefined {
  let i = tokens.findIndex((t) => !isPunct(t, '('));
  if (!isWord(tokens[i], 'WITH')) return undefined;
  i += isWord(tokens[i + 1], 'RECURSIVE') ? 2 : 1;
  for (;;) {
    if (tokens[i]?.kind !== 'word' && tokens[i]?.kind !== 'identifier') return withProblem(tokens[i], 'a name for the common table expression');
    i += 1;
    if (isPunct(tokens[i], '(')) i = closingParen(tokens, i) + 1;
    if (!isWord(tokens[i], 'AS')) return withProblem(tokens[i], 'AS');
    i += 1;
    if (isWord(tokens[i], 'NOT')) i += 1;
    if (isWord(tokens[i], 'MATERIALIZED')) i += 1;
    if (!isPunct(tokens[i], '(')) return withProblem(tokens[i], "'(' opening the common table expression");
    i = closingParen(tokens, i) + 1;
    if (!isPunct(tokens[i], ',')) break;
    i += 1;
  }
  while (isPunct(tokens[i], '(')) i += 1;
  if (isWord(tokens[i], 'SELECT')) return undefined;
  return `${LEAD}; a WITH query must end in a SELECT, found ${tokens[i] ? `${describe(tokens[i]!)} at ${at(tokens[i]!)}` : 'nothing after the WITH clause'}.`;
}

const withProblem = (token: Token | undefined, expected: string): string =>
  `Could not read the WITH clause: expected ${expected}, found ${token ? `${describe(token)} at ${at(token)}` : 'the end of the query'}.`;

function closingParen(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i += 1) {
    if (isPunct(tokens[i], '(')) depth += 1;
    if (isPunct(tokens[i], ')')) depth -= 1;
    if (depth === 0) return i;
  }
  return tokens.length;
}

const describe = (token: Token): string =>
  token.kind === 'word' ? token.value
  : token.kind === 'identifier' ? `"${token.value}"`
  : token.kind === 'string' ? `a string literal`
  : `'${token.value}'`;
