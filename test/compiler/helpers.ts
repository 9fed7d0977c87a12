/** Test helpers: fixture trees copied into temp dirs, and diagnostics rendered with normalised paths. */
import { cp, mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CompileResult, renderLine } from '../../compiler/index.ts';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
export const VALID = join(FIXTURES, 'valid');

/** A fresh copy of the valid fixture tree (or an empty tree) in a temp dir. */
export async function tempProject(base: string | undefined = VALID): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'revops-compiler-'));
  if (base) await cp(join(base, 'specs'), join(root, 'specs'), { recursive: true });
  return root;
}

export async function writeSpec(root: string, path: string, text: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), text);
}

export const readSpec = (root: string, path: string): Promise<string> => readFile(join(root, path), 'utf8');

export const removeProject = (root: string): Promise<void> => rm(root, { recursive: true, force: true });

export const renderedLines = (result: CompileResult): string[] =>
  result.diagnostics.map((d) => renderLine(d, result.sources));
