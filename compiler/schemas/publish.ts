/**
 * Writes compiler/schemas/<kind>.schema.json from the schema objects in compiler/schema/, for editors
 * (`# yaml-language-server: $schema=…` at the top of each spec), with the project's own tool, agent, skill and
 * column names where a spec refers to them (references.ts). `revops compile` rewrites them when the project's names
 * change; after changing a schema run `npx tsx compiler/schemas/publish.ts`. test/compiler/schemas.test.ts fails
 * while the published files are stale.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toJson } from '../emit/serialize.ts';
import type { SpecKind } from '../load/source.ts';
import { SCHEMAS } from '../schema/index.ts';
import { type ProjectNames, withProjectNames } from './references.ts';

export const SCHEMAS_DIR = dirname(fileURLToPath(import.meta.url));

/** Where a project's specs find their schemas: `../../compiler/schemas/` from `specs/<kind>/<file>.yaml`. */
export const projectSchemasDir = (root: string): string => join(root, 'compiler', 'schemas');

/** File name -> exact bytes to publish; without names, the schemas as the compiler validates with them. */
export const publishedSchemas = (names?: ProjectNames): Record<string, string> =>
  Object.fromEntries(Object.entries(SCHEMAS).map(([kind, schema]) =>
    [`${kind}.schema.json`, toJson(names ? withProjectNames(kind as SpecKind, schema, names) : schema)]));

/** Writes the files whose bytes changed into `dir` (when it exists); returns the names of those written. */
export async function writeSchemas(dir: string, names: ProjectNames): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const written: string[] = [];
  for (const [file, text] of Object.entries(publishedSchemas(names))) {
    if ((await readFile(join(dir, file), 'utf8').catch(() => undefined)) === text) continue;
    await writeFile(join(dir, file), text);
    written.push(file);
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [{ compileProject }, { projectNames }] = await Promise.all([import('../compile.ts'), import('./references.ts')]);
  const root = join(SCHEMAS_DIR, '..', '..');
  const written = await writeSchemas(SCHEMAS_DIR, projectNames((await compileProject(root)).project));
  console.log(written.length ? written.map((file) => `wrote compiler/schemas/${file}`).join('\n') : 'compiler/schemas is up to date');
}
