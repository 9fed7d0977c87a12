/**
 * What every Lambda adapter starts from: the environment plus secrets (secretEnv.ts), the manifest shipped next to
 * the bundle (`REVOPS_MANIFEST`, relative to the task root) and a toolbox whose warehouse connects on first use.
 * Kept apart from lambdaRuntime.ts so the tool executor bundles no queue, app or engine.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Manifest } from '../../compiler/manifest.ts';
import { createToolbox } from '../tools/createToolbox.ts';
import type { Toolbox } from '../tools/toolbox.ts';
import { openWarehouse } from '../warehouse/openWarehouse.ts';
import { lazyWarehouse } from './lazyWarehouse.ts';
import { LambdaConfigError, resolveSecretEnv } from './secretEnv.ts';

export interface LambdaProject {
  env: Record<string, string | undefined>;
  root: string;
  manifest: Manifest;
  toolbox: Toolbox;
}

/** Environment with secrets, the manifest (`REVOPS_MANIFEST`, relative to the task root) and a lazy toolbox. */
export async function loadLambdaProject(processEnv: Record<string, string | undefined>): Promise<LambdaProject> {
  const root = processEnv.LAMBDA_TASK_ROOT ?? process.cwd();
  const path = resolve(root, processEnv.REVOPS_MANIFEST ?? 'manifest.json');
  const [env, manifest] = await Promise.all([
    resolveSecretEnv(processEnv),
    readFile(path, 'utf8').then((text) => JSON.parse(text) as Manifest, (cause: unknown) => {
      throw new LambdaConfigError(`cannot read the manifest at ${path}; rebuild and redeploy (npm run build, pulumi up)`, { cause });
    }),
  ]);
  const toolbox = createToolbox(manifest.tools, {
    warehouse: lazyWarehouse(() => openWarehouse(env, root)), env, fetch: globalThis.fetch, now: () => new Date(),
  });
  return { env, root, manifest, toolbox };
}

