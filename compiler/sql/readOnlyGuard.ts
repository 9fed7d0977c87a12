/**
 * The read-only guard for model-written SQL (`sql_query` tools such as `firebolt_sql_query`). The seed's SQL tool
 * ran whatever a model wrote; this one accepts exactly one SELECT (or WITH ... SELECT) and refuses the rest.
 *
 * Decisions are made on tokens from `lexSql`, never on raw text, so text inside string literals, quoted identifiers
 * and comments can neither trigger nor hide a refusal. It needs no database (the Lambda that serves Firebolt has no
 * DuckDB to ask, so on Firebolt it is the only check), and it is deliberately stricter than necessary: a refused
 * legitimate query costs the model one rewrite; an accepted write costs data. Functions are allow-listed
 * (readQueryFunctions.ts), so whatever an engine adds next is refused until it is reviewed. Every refusal says what
 * was found and where, so the model can fix it.
 */
import { type Dialect, lexSql, SqlLexError, type Token } from './sqlLexer.ts';
import { checkTextGrowth } from './textGrowth.ts';
import { type Refusal, refusal } from './refusal.ts';
import { isEngineCatalogName, isReadQueryFunction, READ_QUERY_TABLE_FUNCTIONS, readQueryFunctionSummary } from './readQueryFunctions.ts';

/** `position`: the offset in the statement of what was refused, where one token is to blame. */
export type GuardVerdict = { ok: true } | { ok: false; reason: string; position?: number };

export interface GuardOptions {
  /** The engine's lexical rules (sqlLexer.ts); Firebolt refuses a few constructs DuckDB reads unambiguously. */
  dialect?: Dialect;
  /** A spec's own SQL binds `:name` placeholders (kind sql); a model's has nothing to bind them to. */
  placeholders?: boolean;
}

const LEAD = 'Only a single read-only SELECT statement is allowed';

/** Statement-level keywords of writes, DDL and administration, in DuckDB and Firebolt. Refused anywhere unquoted. */
const FORBIDDEN_KEYWORDS = new Set([
  'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'UPSERT', 'TRUNCATE', 'DROP', 'CREATE', 'ALTER', 'RENAME', 'INTO',
  'COPY', 'ATTACH', 'DETACH', 'PRAGMA', 'SET', 'RESET', 'INSTALL', 'LOAD', 'EXPORT', 'IMPORT', 'CALL',
  'CHECKPOINT', 'VACUUM', 'ANALYZE', 'GRANT', 'REVOKE', 'BEGIN', 'COMMIT', 'ROLLBACK', 'TRANSACTION', 'EXECUTE',
  'PREPARE', 'DEALLOCATE', 'USE', 'EXTERNAL', 'SHOW', 'DESCRIBE', 'SUMMARIZE', 'EXPLAIN',
]);

/** Keywords that may stand before '(' without calling a function. */
const NOT_A_CALL = new Set([
  'ALL', 'AND', 'ANY', 'ARRAY', 'AS', 'AT', 'BETWEEN', 'BY', 'CASE', 'COLUMNS', 'CUBE', 'DISTINCT', 'ELSE', 'ESCAPE',
  'EXCEPT', 'EXCLUDE', 'EXISTS', 'FILTER', 'FOR', 'FROM', 'GROUP', 'HAVING', 'ILIKE', 'IN', 'INTERSECT', 'INTERVAL',
  'IS', 'JOIN', 'LATERAL', 'LIKE', 'LIMIT', 'MATERIALIZED', 'NOT', 'OFFSET', 'ON', 'OR', 'ORDER', 'OVER', 'PARTITION',
  'QUALIFY', 'RECURSIVE', 'ROLLUP', 'SELECT', 'SETS', 'SIMILAR', 'SOME', 'THEN', 'UNION', 'USING', 'VALUES', 'WHEN',
  'WHERE', 'WINDOW', 'WITH', 'WITHIN',
]);

/** Calls whose parentheses may hold a FROM that is not a table list: EXTRACT(year FROM d), TRIM(BOTH 'x' FROM s). */
const FROM_INSIDE_CALL = new Set(['extract', 'substring', 'substr', 'trim', 'position', 'overlay']);

/**
 * Keywords that end a FROM list at the same nesting depth. ON and USING do not: a comma after a join condition
 * opens the next table (`FROM a JOIN b ON true, histogram(...)`).
 */
const FROM_LIST_END = new Set([
  'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'OFFSET', 'QUALIFY', 'WINDOW', 'UNION', 'EXCEPT', 'INTERSECT',
  'SELECT', 'FETCH',
]);

export function checkReadOnly(sql: string, options: GuardOptions = {}): GuardVerdict {
  let tokens: readonly Token[];
  try {
    tokens = lexSql(sql, options.dialect);
  } catch (error) {
    if (error instanceof SqlLexError) return { ok: false, reason: `${LEAD}; ${error.message} (at position ${error.position + 1}).`, position: error.position };
    throw error;
  }
  const reason =
    checkNotEmpty(tokens) ??
    checkSingleStatement(tokens) ??
    checkFirstKeyword(tokens) ??
    checkParentheses(tokens) ??
    checkTokens(tokens, options.placeholders ?? false) ??
    checkWithEndsInSelect(tokens) ??
    checkTextGrowth(tokens, callsIn(tokens));
  return reason ? { ok: false, ...reason } : { ok: true };
}

/** `isCall` over one statement, reading its WITH clauses once. */
function callsIn(tokens: readonly Token[]): (index: number) => boolean {
  const ctes = cteNames(tokens);
  return (index) => isCall(tokens, index, ctes);
}
const at = (token: Token): string => `position ${token.start + 1}`;
const isPunct = (token: Token | undefined, value: string): boolean => token?.kind === 'punct' && token.value === value;
const isWord = (token: Token | undefined, ...values: string[]): boolean => token?.kind === 'word' && values.includes(token.value);

function checkNotEmpty(tokens: readonly Token[]): Refusal | undefined {
  const meaningful = tokens.filter((t) => !isPunct(t, ';'));
  return meaningful.length === 0 ? refusal(undefined, 'The query is empty; write one SELECT statement.') : undefined;
}

function checkSingleStatement(tokens: readonly Token[]): Refusal | undefined {
  const semicolon = tokens.findIndex((t) => isPunct(t, ';'));
  if (semicolon === -1 || semicolon === tokens.length - 1) return undefined;
  const next = tokens[semicolon + 1];
  const found = next && !isPunct(next, ';') ? `found ${describe(next)} at ${at(next)} after the ';'` : `found a second ';' at ${at(next ?? tokens[semicolon]!)}`;
  return refusal(next ?? tokens[semicolon], `${LEAD}; ${found}. Remove everything after the first statement.`);
}

function checkFirstKeyword(tokens: readonly Token[]): Refusal | undefined {
  const first = tokens.find((t) => !isPunct(t, '('));
  if (isWord(first, 'SELECT', 'WITH')) return undefined;
  return refusal(first, `${LEAD}; found ${first ? describe(first) : 'nothing'} at ${first ? at(first) : 'the end'}. Start the query with SELECT or WITH.`);
}

function checkTokens(tokens: readonly Token[], placeholders: boolean): Refusal | undefined {
  const frames: Frame[] = [{ fromList: false, call: undefined }];
  const tableFroms = new Set<number>();
  const ctes = cteNames(tokens);
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    const frame = frames[frames.length - 1]!;
    if (token.kind === 'word' && FORBIDDEN_KEYWORDS.has(token.value)) {
      return refusal(token, `${LEAD}; found ${token.value} at ${at(token)}. Writes, DDL and session commands are refused (if it is a column name, quote it: "${token.value.toLowerCase()}").`);
    }
    if (isWord(token, 'WITH') && isPunct(tokens[i + 1], '(')) {
      // Firebolt's per-query settings clause: it could lift the timeout or read strings with backslash escapes.
      return refusal(token, `${LEAD}; found query settings WITH (...) at ${at(token)}. Remove them; the tool sets its own limits.`);
    }
    if (token.kind === 'parameter' && !(placeholders && token.value.startsWith(':'))) {
      return refusal(token, `Placeholder ${token.value} at ${at(token)} has no value here; write the value as a literal ('IXIS', 30).`);
    }
    const name = token.kind === 'word' || token.kind === 'identifier' ? token.value.toLowerCase() : undefined;
    if (name !== undefined && isCall(tokens, i, ctes)) {
      if (inTablePosition(tokens, qualifiedStart(tokens, i), frames, tableFroms)) {
        if (!READ_QUERY_TABLE_FUNCTIONS.has(name)) {
          return refusal(token, `Function ${name} at ${at(token)} is not allowed as a table in read queries; select from the warehouse tables (unnest(...) may turn a list into rows).`);
        }
      } else if (!isReadQueryFunction(name)) {
        return refusal(token, `Function ${name} at ${at(token)} is not allowed in read queries; allowed: ${readQueryFunctionSummary()}.`);
      }
    } else if (name !== undefined && isEngineCatalogName(name)) {
      return refusal(token, `${describe(token)} at ${at(token)} names the database's own catalog, settings or session, not warehouse data; query the warehouse tables instead.`);
    }
    if (inTablePosition(tokens, i, frames, tableFroms) && looksLikeFile(token)) {
      return refusal(token, `A ${token.kind === 'string' ? 'string literal' : 'file-like name'} is used as a table at ${at(token)} (that would read a file); name a warehouse table instead.`);
    }
    if (isWord(token, 'FROM') && !FROM_INSIDE_CALL.has(frame.call ?? '') && !isWord(tokens[i - 1], 'DISTINCT')) {
      frame.fromList = true;
      tableFroms.add(i);
    } else if (token.kind === 'word' && FROM_LIST_END.has(token.value)) {
      frame.fromList = false;
    } else if (isPunct(token, '(')) {
      frames.push({ fromList: false, call: isCall(tokens, i - 1, ctes) ? tokens[i - 1]!.value.toLowerCase() : undefined });
    } else if (isPunct(token, ')') && frames.length > 1) {
      frames.pop();
    }
  }
  return undefined;
}

/** Per parenthesis: whether a FROM list is open in it, and the function whose arguments it holds, if any. */
interface Frame {
  fromList: boolean;
  call: string | undefined;
}

/**
 * A name directly before '(' calls a function, except: keywords that take a parenthesis (IN, OVER, VALUES, ...);
 * a type's size or an alias's column list after AS, ')' or '::' (DECIMAL(10, 2), AS t(a, b), unnest(l) u(x));
 * and a common table expression's column list, found by reading the WITH clause (WITH a AS (...), n(i) AS (...)),
 * never by the shape `name (...) AS (...)` alone, which DuckDB also reads as a table function with a column
 * definition list. The parenthesis' contents are checked token by token either way.
 */
function isCall(tokens: readonly Token[], index: number, ctes: ReadonlySet<number>): boolean {
  const token = tokens[index];
  if ((token?.kind !== 'word' && token?.kind !== 'identifier') || !isPunct(tokens[index + 1], '(')) return false;
  if (token.kind === 'word' && NOT_A_CALL.has(token.value)) return false;
  const previous = tokens[index - 1];
  if (isWord(previous, 'AS') || isPunct(previous, ')') || (previous?.kind === 'operator' && previous.value === '::')) return false;
  return !ctes.has(index);
}

/** The first token of a dotted name ending at `index` (main.read_csv, "system".main.x). */
function qualifiedStart(tokens: readonly Token[], index: number): number {
  let start = index;
  while (isPunct(tokens[start - 1], '.') && (tokens[start - 2]?.kind === 'word' || tokens[start - 2]?.kind === 'identifier')) start -= 2;
  return start;
}

/**
 * Keywords DuckDB reads a table (so a file, `'x.csv'`) right after, besides a table FROM: `TABLE 'x.csv'` is
 * `SELECT * FROM 'x.csv'` (also after UNION, or in a common table expression), and the PIVOT statements take their
 * table first. DESCRIBE, SUMMARIZE and SHOW do too, but are refused as keywords anywhere.
 */
const TABLE_KEYWORDS = ['JOIN', 'LATERAL', 'TABLE', 'PIVOT', 'UNPIVOT', 'PIVOT_WIDER', 'PIVOT_LONGER'];

/** After a table FROM or a TABLE_KEYWORDS word, or after a comma in a FROM list, possibly inside parentheses opened there. */
function inTablePosition(tokens: readonly Token[], index: number, frames: Frame[], tableFroms: ReadonlySet<number>): boolean {
  let previous = index - 1;
  let depth = frames.length - 1;
  while (isPunct(tokens[previous], '(') && depth > 0) {
    previous -= 1;
    depth -= 1;
  }
  if (tableFroms.has(previous) || isWord(tokens[previous], ...TABLE_KEYWORDS)) return true;
  return (frames[depth]?.fromList ?? false) && isPunct(tokens[previous], ',');
}

/** DuckDB treats `FROM 'x.csv'` and `FROM "x.csv"` as a file scan when no such table exists. */
const looksLikeFile = (token: Token): boolean =>
  token.kind === 'string' || (token.kind === 'identifier' && /[./\\:*]/.test(token.value));

/** No analytic question nests 100 parentheses deep; the bound keeps the guard's own work linear in practice. */
const MAX_PAREN_DEPTH = 100;

function checkParentheses(tokens: readonly Token[]): Refusal | undefined {
  let depth = 0;
  for (const token of tokens) {
    if (isPunct(token, '(')) depth += 1;
    if (isPunct(token, ')')) depth -= 1;
    if (depth < 0) return refusal(token, `Unbalanced parentheses: ')' at ${at(token)} closes nothing.`);
    if (depth > MAX_PAREN_DEPTH) return refusal(token, `Parentheses nest more than ${MAX_PAREN_DEPTH} deep at ${at(token)}; simplify the query.`);
  }
  return depth === 0 ? undefined : refusal(undefined, `Unbalanced parentheses: ${depth} '(' never closed.`);
}

/** A WITH query must end in SELECT (or a parenthesised one) after its common table expressions. */
function checkWithEndsInSelect(tokens: readonly Token[]): Refusal | undefined {
  const start = tokens.findIndex((t) => !isPunct(t, '('));
  if (!isWord(tokens[start], 'WITH')) return undefined;
  const clause = readWithClause(tokens, start);
  if ('problem' in clause) return clause.problem;
  let i = clause.end;
  while (isPunct(tokens[i], '(')) i += 1;
  if (isWord(tokens[i], 'SELECT')) return undefined;
  return refusal(tokens[i], `${LEAD}; a WITH query must end in a SELECT, found ${tokens[i] ? `${describe(tokens[i]!)} at ${at(tokens[i]!)}` : 'nothing after the WITH clause'}.`);
}

/** The name of every common table expression, in every WITH clause: their column lists call nothing. */
function cteNames(tokens: readonly Token[]): Set<number> {
  const names = new Set<number>();
  tokens.forEach((token, i) => {
    if (!isWord(token, 'WITH')) return;
    const clause = readWithClause(tokens, i);
    if ('names' in clause) clause.names.forEach((name) => names.add(name));
  });
  return names;
}

/** WITH [RECURSIVE] name [(columns)] AS [NOT] [MATERIALIZED] ( ... ) [, ...]: the names' indices and what follows. */
function readWithClause(tokens: readonly Token[], withIndex: number): { names: number[]; end: number } | { problem: Refusal } {
  const names: number[] = [];
  let i = withIndex + (isWord(tokens[withIndex + 1], 'RECURSIVE') ? 2 : 1);
  for (;;) {
    if (tokens[i]?.kind !== 'word' && tokens[i]?.kind !== 'identifier') return { problem: withProblem(tokens[i], 'a name for the common table expression') };
    names.push(i);
    i += 1;
    if (isPunct(tokens[i], '(')) i = closingParen(tokens, i) + 1;
    if (!isWord(tokens[i], 'AS')) return { problem: withProblem(tokens[i], 'AS') };
    i += 1;
    if (isWord(tokens[i], 'NOT')) i += 1;
    if (isWord(tokens[i], 'MATERIALIZED')) i += 1;
    if (!isPunct(tokens[i], '(')) return { problem: withProblem(tokens[i], "'(' opening the common table expression") };
    i = closingParen(tokens, i) + 1;
    if (!isPunct(tokens[i], ',')) return { names, end: i };
    i += 1;
  }
}

const withProblem = (token: Token | undefined, expected: string): Refusal =>
  refusal(token, `Could not read the WITH clause: expected ${expected}, found ${token ? `${describe(token)} at ${at(token)}` : 'the end of the query'}.`);

function closingParen(tokens: readonly Token[], open: number): number {
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
