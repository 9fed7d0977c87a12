/**
 * Golden tests: each tree under test/fixtures/bad/<case>/specs is laid over the valid fixture tree (less the files
 * <case>/without.txt lists, one per line), compiled, and its diagnostics rendered one per line (paths relative to
 * the project root) must equal <case>/expected.txt.
 */
import { existsSync } from 'node:fs';
import { cp, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../compiler/index.ts';
import { FIXTURES, removeProject, renderedLines, tempProject } from './helpers.ts';

const BAD = join(FIXTURES, 'bad');
const cases = (await readdir(BAD)).sort();
const roots: string[] = [];
afterAll(async () => Promise.all(roots.map(removeProject)));

export async function compileCase(name: string) {
  const root = await tempProject();
  roots.push(root);
  const without = await readFile(join(BAD, name, 'without.txt'), 'utf8').catch(() => '');
  for (const path of without.split('\n').filter(Boolean)) await rm(join(root, path));
  if (existsSync(join(BAD, name, 'specs'))) await cp(join(BAD, name, 'specs'), join(root, 'specs'), { recursive: true });
  return compileProject(root);
}

describe('bad spec trees', () => {
  it('has at least 25 of them', () => expect(cases.length).toBeGreaterThanOrEqual(25));

  it.each(cases)('%s', async (name) => {
    const expected = (await readFile(join(BAD, name, 'expected.txt'), 'utf8')).trimEnd().split('\n');
    const result = await compileCase(name);
    expect(renderedLines(result)).toEqual(expected);
    const errors = result.diagnostics.filter((d) => d.category === 'error');
    expect(result.manifest === undefined).toBe(errors.length > 0);
  });
});
