/**
 * A statement's trailing terminator is cut on the lexer's tokens, so a comment or whitespace after it goes too, and
 * a `;` inside a string or comment is never taken for one: what the matched-row count and the compiler's typing wrap
 * in a subquery or DESCRIBE is the statement itself.
 */
import { describe, expect, it } from 'vitest';
import { withoutTerminator } from '../../../compiler/sql/sqlLexer.ts';

describe('withoutTerminator', () => {
  it.each([
    ['SELECT 1 AS a', 'SELECT 1 AS a'],
    ['SELECT 1 AS a;', 'SELECT 1 AS a'],
    ['SELECT 1 AS a; -- all of them', 'SELECT 1 AS a'],
    ['SELECT 1 AS a;;\r\n', 'SELECT 1 AS a'],
    ['SELECT 1 AS a; /* note */', 'SELECT 1 AS a'],
    ["SELECT ';' AS a -- ends with a note;", "SELECT ';' AS a -- ends with a note;"],
  ])('%j -> %j', (sql, body) => expect(withoutTerminator(sql).trimEnd()).toBe(body));
});
