/**
 * `:name` placeholders, read off the tokens of the lexer that the read-only guard judges (sqlLexer.ts), so text
 * inside string literals, quoted identifiers and comments is never a placeholder, exactly as DuckDB and Firebolt
 * read them, and `::type` is a cast. A second, looser scanner would disagree with the guard somewhere (a `--`
 * comment ended by `\r`, `$` inside a name): then a statement the guard accepted binds, or pins, something else.
 * A colon followed by a space is not a placeholder: write list slices as `xs[a : b]`.
 */
import { type Dialect, lexSql, type Token } from './sqlLexer.ts';

export interface Placeholder {
  name: string;
  /** Offset of the colon. */
  start: number;
  /** Offset just past the name. */
  end: number;
}

/** The `:name` tokens among `tokens` (`$1` is a parameter token too, but no placeholder of ours). */
export const placeholdersIn = (tokens: readonly Token[]): Placeholder[] =>
  tokens
    .filter((t) => t.kind === 'parameter' && t.value.startsWith(':'))
    .map((t) => ({ name: t.value.slice(1), start: t.start, end: t.start + t.value.length }));

/** Throws SqlLexError where the guard would refuse the statement's lexis. */
export const findPlaceholders = (sql: string, dialect?: Dialect): Placeholder[] => placeholdersIn(lexSql(sql, dialect));
