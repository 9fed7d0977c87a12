/**
 * Golden tests: each tree under test/fixtures/bad/<case>/specs is laid over the valid fixture tree, compiled, and
 * its diagnostics rendered one per line (paths relative to the project root) must equal <case>/expected.txt.
 * Entries git does not carry well are made from <case>/entries.json: symbolic links (to a path relative to the case
 * folder, so outside the project), FIFOs, and files of a given size. <case>/without.txt lists files of the valid
 * tree (one per line) the case leaves out. Entries under `unreadable` are refused with EACCES, as the kernel refuses a
 * user without read permission; a stand-in for the file system does that, since root (the test machines' user)
 * may read anything whatever its mode.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { compileProject } from '../../compiler/index.ts';
import { FIXTURES, removeProject, renderedLines, tempProject } from './helpers.ts';

const refused = vi.hoisted(() => new Set<string>());
vi.mock('node:fs/promises', async (original) => {
  const fs = await original<typeof import('node:fs/promises')>();
  const refuse = (call: string, path: unknown): void => {
    if (!refused.has(String(path))) return;
    throw Object.assign(new Error(`EACCES: permission denied, ${call} '${String(path)}'`), { code: 'EACCES', errno: -13, syscall: call, path: String(path) });
  };
  return {
    ...fs,
    readdir: ((path: string, options: never) => { refuse('scandir', path); return fs.readdir(path, options); }) as typeof fs.readdir,
    open: ((path: string, ...rest: never[]) => { refuse('open', path); return fs.open(path, ...rest); }) as typeof fs.open,
  };
});

const BAD = join(FIXTURES, 'bad');
const cases = (await readdir(BAD)).sort();
const roots: string[] = [];
afterAll(async () => Promise.all(roots.map(removeProject)));

interface Entries {
  links?: Record<string, string>;
  fifos?: string[];
  sizes?: Record<string, number>;
  unreadable?: string[];
}

async function makeEntries(caseDir: string, root: string): Promise<void> {
  const entries = JSON.parse(await readFile(join(caseDir, 'entries.json'), 'utf8').catch(() => '{}')) as Entries;
  const at = async (path: string) => {
    await mkdir(dirname(join(root, path)), { recursive: true });
    return join(root, path);
  };
  for (const [path, target] of Object.entries(entries.links ?? {})) await symlink(join(caseDir, target), await at(path));
  for (const path of entries.fifos ?? []) execFileSync('mkfifo', [await at(path)]);
  for (const [path, bytes] of Object.entries(entries.sizes ?? {})) await writeFile(await at(path), '#'.repeat(bytes));
  for (const path of entries.unreadable ?? []) refused.add(join(root, path));
}

export async function compileCase(name: string) {
  const root = await tempProject();
  roots.push(root);
  const without = await readFile(join(BAD, name, 'without.txt'), 'utf8').catch(() => '');
  for (const path of without.split('\n').filter(Boolean)) await rm(join(root, path));
  if (existsSync(join(BAD, name, 'specs'))) await cp(join(BAD, name, 'specs'), join(root, 'specs'), { recursive: true });
  await makeEntries(join(BAD, name), root);
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
