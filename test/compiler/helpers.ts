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
  result.diagnostics.flatMap((d) => renderLine(d, result.sources).split("\n"));

/** Compiles a copy of the valid tree after replacing `from` with `to` in the given spec files. */
export async function compileVariant(edits: Record<string, Array<[from: string | RegExp, to: string]>>, extra: Record<string, string> = {}) {
  const { compileProject } = await import('../../compiler/index.ts');
  const root = await tempProject();
  try {
    for (const [path, replacements] of Object.entries(edits)) {
      let text = await readSpec(root, path);
      for (const [from, to] of replacements) {
        if (!(typeof from === 'string' ? text.includes(from) : from.test(text))) throw new Error(`${path}: '${from}' not found`);
        text = text.replace(from, () => to);
      }
      await writeSpec(root, path, text);
    }
    for (const [path, text] of Object.entries(extra)) await writeSpec(root, path, text);
    return await compileProject(root);
  } finally {
    await removeProject(root);
  }
}

export const errorCodes = (result: CompileResult): string[] =>
  result.diagnostics.filter((d) => d.category === 'error').map((d) => d.code);
