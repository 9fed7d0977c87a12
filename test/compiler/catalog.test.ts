/** The catalog's own rules: unique codes in their phase's range, and every entry exercised by a golden fixture. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../compiler/diagnostics/catalog.ts';
import { FIXTURES } from './helpers.ts';

const entries = Object.entries(catalog);

describe('diagnostics catalog', () => {
  it('uses every code once', () => {
    const codes = entries.map(([, e]) => e.code);
    const repeated = codes.filter((code, i) => codes.indexOf(code) !== i);
    expect(repeated).toEqual([]);
  });

  it('keeps codes in the form RV<phase><3 digits> and warnings in the RV6xxx style phase or loading', () => {
    for (const [key, entry] of entries) {
      expect(entry.code, key).toMatch(/^RV[1-6]\d{3}$/);
      if (entry.code.startsWith('RV6')) expect(entry.category, key).toBe('warning');
    }
  });

  it('gives each suggesting entry a variant that quotes the suggestion', () => {
    for (const [key, entry] of entries) {
      if ('suggestion' in entry) expect(entry.suggestion, key).toMatch(/did you mean '\{\d\}'\?/);
    }
  });

  it('has no entry that no fixture covers', async () => {
    const bad = join(FIXTURES, 'bad');
    const texts = await Promise.all((await readdir(bad)).map((c) => readFile(join(bad, c, 'expected.txt'), 'utf8')));
    const covered = new Set(texts.join('\n').match(/RV\d{4}/g));
    const uncovered = entries.filter(([, e]) => !covered.has(e.code)).map(([key, e]) => `${e.code} ${key}`);
    expect(uncovered).toEqual([]);
  });
});
