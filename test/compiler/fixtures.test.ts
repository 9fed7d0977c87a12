/**
 * Golden tests: each tree under test/fixtures/bad/<case>/specs is laid over the valid fixture tree, compiled, and
 * its diagnostics rendered one per line (paths relative to the project root) must equal <case>/expected.txt.
 */
import { cp, readdir, readFile } from 'node:fs/promises';
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
  await cp(join(BAD, name, 'specs'), join(root, 'specs'), { recursive: true });
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
