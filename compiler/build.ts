/** Writing build/ (manifest and per-agent Bedrock requests) and telling whether it is older than the specs. */
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CompileResult } from './compile.ts';
import { toJson } from './emit/serialize.ts';

/** Write-then-rename, so a reader never sees half a manifest. */
async function writeAtomic(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}

/** Writes `<outDir>/manifest.json`, `<outDir>/evals.json` and `<outDir>/bedrock/<agent>.json`; returns the paths written. */
export async function writeBuild(root: string, outDir: string, result: CompileResult): Promise<string[]> {
  if (!result.manifest || !result.bedrock) throw new Error('writeBuild: the compile result has errors; nothing to write');
  const out = resolve(root, outDir);
  const bedrockDir = join(out, 'bedrock');
  await rm(bedrockDir, { recursive: true, force: true }); // no stale files for agents that were removed
  await mkdir(bedrockDir, { recursive: true });
  const written: string[] = [];
  for (const [agent, requests] of Object.entries(result.bedrock).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const path = join(bedrockDir, `${agent}.json`);
    await writeAtomic(path, toJson(requests));
    written.push(path);
  }
  const evalsPath = join(out, 'evals.json');
  await writeAtomic(evalsPath, toJson(result.evals ?? []));
  // The manifest last: it is what staleness is judged by, so a build interrupted before it counts as stale.
  const manifestPath = join(out, 'manifest.json');
  await writeAtomic(manifestPath, toJson(result.manifest));
  return [manifestPath, evalsPath, ...written];
}

async function newestUnder(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  // Directory times count too: deleting a spec changes its folder, not any remaining file.
  const times = await Promise.all(
    [dir, ...entries.map((e) => join(e.parentPath, e.name))].map((p) => stat(p).then((s) => s.mtimeMs, () => 0)),
  );
  return Math.max(0, ...times);
}

/** True when `<outDir>/manifest.json` or `evals.json` is missing or any file under `specs/` is newer. */
export async function isBuildStale(root: string, outDir = 'build'): Promise<boolean> {
  const out = resolve(root, outDir);
  const built = await stat(join(out, 'manifest.json')).then((s) => s.mtimeMs, () => undefined);
  if (built === undefined || !(await stat(join(out, 'evals.json')).then(() => true, () => false))) return true;
  return (await newestUnder(join(root, 'specs'))) > built;
}
