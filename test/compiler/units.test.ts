/** The small pure pieces: spelling suggestions, SQL placeholders, positions inside YAML strings, rendering. */
import { describe, expect, it } from 'vitest';
import { findPlaceholders } from '../../compiler/sql/placeholders.ts';
import { spellingSuggestion } from '../../compiler/diagnostics/spelling.ts';
import { codeFrame, positionAt, summary } from '../../compiler/diagnostics/render.ts';
import { parseSpec } from '../../compiler/load/read.ts';
import { locateInString } from '../../compiler/load/locate.ts';

describe('spellingSuggestion', () => {
  it.each([
    ['deal_lookp', ['deal_calls', 'deal_lookup'], 'deal_lookup'],
    ['Deal_Lookup', ['deal_lookup'], 'deal_lookup'],
    ['spreadsheet', ['deal_lookup', 'firebolt_sql_query'], undefined],
    ['ab', ['xy'], undefined],
  ])('%s among %j -> %s', (name, candidates, expected) => {
    expect(spellingSuggestion(name, candidates)).toBe(expected);
  });

  it('breaks ties by name, whatever the candidates order', () => {
    expect(spellingSuggestion('cat', ['bat', 'hat'])).toBe('bat');
    expect(spellingSuggestion('cat', ['hat', 'bat'])).toBe('bat');
  });

});

describe('findPlaceholders', () => {
  it('finds :name but not casts, strings, quoted identifiers or comments', () => {
    const sql = `SELECT x::DATE, ':no', "a:b" FROM t -- :nope\nWHERE a = :deal AND b > :start /* :c */`;
    expect(findPlaceholders(sql).map((p) => [p.name, sql.slice(p.start, p.end)])).toEqual([
      ['deal', ':deal'], ['start', ':start']]);
  });
});

describe('locateInString', () => {
  const text = 'name: t\nsql: |\n  SELECT 1\n  WHERE a = :x\nquoted: "hello :y"\n';
  const { file } = parseSpec({ path: 'specs/tools/t.yaml', text, kind: 'tool' });

  it('maps an index in a literal block to its line and column', () => {
    const at = locateInString(file!, ['sql'], 'SELECT 1\nWHERE a = '.length, 2);
    expect(positionAt(text, at.start)).toEqual({ line: 4, column: 13 });
  });

  it('maps an index in a quoted scalar past the quote', () => {
    const at = locateInString(file!, ['quoted'], 6, 2);
    expect(text.slice(at.start, at.start + 2)).toBe(':y');
  });
});

describe('rendering', () => {
  it('clips squiggles to the line and pluralises the summary', () => {
    const sources = new Map([['f.yaml', 'a: 1\nname: value\n']]);
    const d = { code: 'RV1', category: 'error' as const, message: 'm', file: 'f.yaml', start: 11, length: 50 };
    expect(codeFrame(d, sources)).toBe('2 | name: value\n  |       ~~~~~');
    expect(summary([d], 1)).toBe('1 error, 0 warnings in 1 file');
  });
});
