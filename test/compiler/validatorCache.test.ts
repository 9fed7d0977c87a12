/**
 * The spec validators ajv generates are kept as code under dist/ so `revops validate` need not compile the schemas
 * on every start: the kept code must judge every spec exactly as the freshly compiled validators do.
 */
import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cachedValidators, compileValidators } from '../../compiler/schema/index.ts';

// Under the repository's dist/, as the real one is: the kept code requires ajv's runtime from node_modules.
const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
const scratch = async (): Promise<string> => {
  await mkdir(DIST, { recursive: true });
  const dir = await mkdtemp(join(DIST, 'test-validators-'));
  dirs.push(dir);
  return dir;
};
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const SPECS: Array<[string, unknown]> = [
  ['agent', { name: 'x', role: 'colaborator', description: '', instruction: 'i', skills: [{ name: 1, steps: [], answer: '' }], extra: true }],
  ['tool', { name: 'bad name', kind: 'sql', description: 'd', parameters: { p: { type: 'strng' } } }],
  ['channel', { name: 'c', kind: 'webhook', limits: { max_body_bytes: -1 } }],
  ['routes', { supervisor: 'manager', routes: { data: 'not a list' } }],
  ['metrics', { name: 'm', table: 't', measures: { x: { sql: 1 } } }],
  ['eval', { suite: 's', cases: [{ ask: 1 }] }],
  ['warehouse', { tables: { t: { columns: { c: { type: 5 } } } } }],
  ['agent', { name: 'ok', role: 'supervisor', description: 'd', instruction: 'instruction' }],
];

describe('the kept spec validators', () => {
  it('are written once compiled, and give the same errors as the compiled ones for every kind', async () => {
    const dir = await scratch();
    expect(cachedValidators(dir)).toBeUndefined();
    const fresh = compileValidators(dir);
    expect(await readdir(dir)).toEqual([expect.stringMatching(/^validators-[0-9a-f]{16}\.cjs$/u)]);
    const kept = cachedValidators(dir)!;
    expect(Object.keys(kept).sort()).toEqual(Object.keys(fresh).sort());
    for (const [kind, spec] of SPECS) {
      const [a, b] = [fresh[kind as keyof typeof fresh], kept[kind as keyof typeof kept]];
      expect(b(spec), kind).toBe(a(spec));
      expect(JSON.stringify(b.errors), kind).toBe(JSON.stringify(a.errors));
    }
  });

  it('a folder that cannot be written only means compiling again', async () => {
    const file = join(await scratch(), 'a-file');
    await writeFile(file, '');
    expect(() => compileValidators(join(file, 'under-a-file'))).not.toThrow();
    expect(cachedValidators(join(file, 'under-a-file'))).toBeUndefined();
  });
});
