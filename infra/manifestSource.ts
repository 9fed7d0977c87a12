/**
 * The manifest infra deploys: `build/manifest.json`, recompiled first when any spec is newer (so `pulumi up` never
 * deploys stale specs). Compile errors stop the deploy with the compiler's own one-line diagnostics.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compileProject, hasErrors, isBuildStale, renderLine, writeBuild } from '../compiler/index.ts';
import type { Manifest } from '../compiler/manifest.ts';
import { InfraError } from './infraError.ts';

export const BUILD_DIR = 'build';

/** Returns the manifest path under `root`, compiling the specs first when the build is missing or stale. */
export async function ensureManifest(root: string, outDir = BUILD_DIR): Promise<string> {
  if (await isBuildStale(root, outDir)) {
    const result = await compileProject(root);
    if (hasErrors(result.diagnostics) || !result.manifest) {
      const lines = result.diagnostics.map((d) => renderLine(d, result.sources));
      throw new InfraError('RV_INFRA_SPECS', `the specs do not compile; fix them (revops validate) and retry:\n${lines.join('\n')}`);
    }
    await writeBuild(root, outDir, result);
  }
  return join(root, outDir, 'manifest.json');
}

export async function readManifest(path: string): Promise<Manifest> {
  const text = await readFile(path, 'utf8').catch((cause: unknown) => {
    throw new InfraError('RV_INFRA_MANIFEST', `cannot read ${path}; run \`npm run revops -- compile\``, { cause });
  });
  return JSON.parse(text) as Manifest;
}
