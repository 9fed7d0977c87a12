import { describe, expect, it } from 'vitest';
import { checkParameters, findPlaceholders, pinCurrentDate, rewritePlaceholders } from '../../../runtime/warehouse/placeholders.ts';
import { WarehouseError } from '../../../runtime/warehouse/warehouse.ts';

const names = (sql: string): string[] => findPlaceholders(sql).map((p) => p.name);

describe('findPlaceholders', () => {
  it.each([
    ['WHERE a = :deal AND b >= :min_amount', ['deal', 'min_amount']],
    ["WHERE a = ':not_me' AND b = :me", ['me']],
    ["WHERE a = 'it''s :not_me' AND b = :me", ['me']],
    ["WHERE a = E'\\' :not_me' AND b = :me", ['me']],
    ['SELECT ":not_me" FROM t WHERE b = :me', ['me']],
    ['SELECT 1 -- :not_me\nWHERE b = :me', ['me']],
    ['SELECT /* :not_me */ :me', ['me']],
    ['SELECT $$ :not_me $$, $tag$ :no $tag$, :me', ['me']],
    ['SELECT close_date::DATE, :me::INTEGER', ['me']],
    ['SELECT xs[1 : 2], :me', ['me']],
    ['SELECT :a, :b, :a', ['a', 'b', 'a']],
    // Read as DuckDB reads them (and as the read-only guard judged them): a `--` comment ends at `\r` too, `$` inside
    // a name opens no dollar quote, a dollar quote ends only at its own tag, E'' escapes a quote with a backslash.
    ["SELECT 1 AS x --c\r, 'it''s\n:x' AS y, :me", ['me']],
    ["SELECT 1 AS a$$b$, 'q $b$ :x' AS y, :me", ['me']],
    ['SELECT $t$ :no $$ :no $u$ :no $t$, :me', ['me']],
    ["SELECT E'\\\\', :me, E'\\' :no'", ['me']],
  ])('%s', (sql, expected) => {
    expect(names(sql)).toEqual(expected);
  });

  it.each([
    ['SELECT /* :not_me /* nested :no */ still :no */ :me', 'nested'],
    ["SELECT 'it\\'s :no', :me", 'backslash'],
    ['SELECT $name', "'$'"],
  ])('refuses what the guard refuses, as a syntax error: %s', (sql, message) => {
    expect(() => findPlaceholders(sql)).toThrow(WarehouseError);
    expect(() => findPlaceholders(sql)).toThrow(message);
  });

  it('reads the Firebolt dialect, where `$` in a name is refused', () => {
    expect(() => findPlaceholders('SELECT 1 AS a$b, :me', 'firebolt')).toThrow(WarehouseError);
    expect(names('SELECT 1 AS a$b, :me')).toEqual(['me']);
  });

  it('rewrites only the placeholders, byte for byte elsewhere', () => {
    const sql = "SELECT ':x' AS s, :x::INT AS n -- :x\nFROM t WHERE a = :y";
    expect(rewritePlaceholders(sql, findPlaceholders(sql), (n) => `$${n}`))
      .toBe("SELECT ':x' AS s, $x::INT AS n -- :x\nFROM t WHERE a = $y");
  });
});

describe('checkParameters', () => {
  const check = (sql: string, params?: Record<string, unknown>) => () =>
    checkParameters(findPlaceholders(sql), params as Record<string, string>);

  it('returns distinct names in order of first use', () => {
    expect(check('SELECT :b, :a, :b', { a: 1, b: 'x' })()).toEqual(['b', 'a']);
  });

  it.each([
    ['SELECT :deal', {}, /:deal/],
    ['SELECT :deal', { deal: 'x', dael: 'y' }, /'dael'/],
    ['SELECT 1', { deal: 'x' }, /'deal'.*none/],
    ['SELECT :n', { n: Number.NaN }, /'n'.*NaN/],
    ['SELECT :n', { n: { toString: () => '1' } }, /'n'.*object/],
  ])('%s with %o is a parameter error', (sql, params, message) => {
    expect(check(sql, params)).toThrow(WarehouseError);
    expect(check(sql, params)).toThrow(message);
    try { check(sql, params)(); } catch (error) { expect((error as WarehouseError).code).toBe('parameter'); }
  });
});

describe('pinCurrentDate', () => {
  it.each([
    ['SELECT CURRENT_DATE', "SELECT DATE '2025-08-16'"],
    ['select current_date - INTERVAL 14 DAY', "select DATE '2025-08-16' - INTERVAL 14 DAY"],
    ["SELECT 'CURRENT_DATE', \"current_date\", my_current_date -- CURRENT_DATE", "SELECT 'CURRENT_DATE', \"current_date\", my_current_date -- CURRENT_DATE"],
    ['SELECT CURRENT_DATEX, XCURRENT_DATE', 'SELECT CURRENT_DATEX, XCURRENT_DATE'],
    ["SELECT 1 AS x --c\r, 'CURRENT_DATE' AS y", "SELECT 1 AS x --c\r, 'CURRENT_DATE' AS y"],
    ["SELECT 1 AS a$$b$, 'q $b$ CURRENT_DATE' AS y, a$current_date", "SELECT 1 AS a$$b$, 'q $b$ CURRENT_DATE' AS y, a$current_date"],
    ["SELECT E'\\' CURRENT_DATE', $t$ CURRENT_DATE $t$, CURRENT_DATE", "SELECT E'\\' CURRENT_DATE', $t$ CURRENT_DATE $t$, DATE '2025-08-16'"],
  ])('%s', (sql, expected) => {
    expect(pinCurrentDate(sql, '2025-08-16')).toBe(expected);
  });

  it('accepts only a plain date, so nothing but a date can reach the statement', () => {
    expect(() => pinCurrentDate('SELECT CURRENT_DATE', "2025-08-16' OR 1=1")).toThrow(WarehouseError);
  });
});
