/**
 * What every Lambda adapter starts from: the environment plus secrets (secretEnv.ts), the manifest shipped next to
 * the bundle (`REVOPS_MANIFEST`, relative to the task root), the configured warehouse (connected on first query) and
 * a toolbox over it built on first use. The offline engine reads entity names from the same warehouse.
 * Kept apart from lambdaRuntime.ts so the tool executor bundles no queue, app or engine.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Manifest } from '../../compiler/manifest.ts';
import type { Toolbox } from '../tools/toolbox.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';
import { openWarehouse } from '../warehouse/openWarehouse.ts';
import { lazyWarehouse } from './lazyWarehouse.ts';
import { lazyToolbox } from './lazyToolbox.ts';
import { once } from '../once.ts';
import { LambdaConfigError, resolveSecretEnv } from './secretEnv.ts';

export interface LambdaProject {
  env: Record<string, string | undefined>;
  root: string;
  manifest: Manifest;
  toolbox: Toolbox;
  /** Connects on its first query: the tools' warehouse, approval previews' current values, and where the offline engine reads entity names. */
  warehouse: Warehouse;
}

const taskRoot = (processEnv: Record<string, string | undefined>): string => processEnv.LAMBDA_TASK_ROOT ?? process.cwd();

/** The manifest shipped next to the bundle (`REVOPS_MANIFEST`, relative to the task root). */
export async function readLambdaManifest(processEnv: Record<string, string | undefined>): Promise<Manifest> {
  const path = resolve(taskRoot(processEnv), processEnv.REVOPS_MANIFEST ?? 'manifest.json');
  return readFile(path, 'utf8').then((text) => JSON.parse(text) as Manifest, (cause: unknown) => {
    throw new LambdaConfigError(`cannot read the manifest at ${path}; rebuild and redeploy (npm run build, pulumi up)`, { cause });
  });
}

/** Environment with secrets, the manifest (read here unless the caller already is) and a lazy toolbox. */
export async function loadLambdaProject(
  processEnv: Record<string, string | undefined>, manifestRead: Promise<Manifest> = readLambdaManifest(processEnv),
): Promise<LambdaProject> {
  const root = taskRoot(processEnv);
  const [env, manifest] = await Promise.all([resolveSecretEnv(processEnv), manifestRead]);
  const dialect = env.REVOPS_WAREHOUSE?.trim().toLowerCase() === 'firebolt' ? 'firebolt' : 'duckdb';
  const warehouse = lazyWarehouse(() => openWarehouse(env, root), dialect);
  const toolbox = lazyToolbox(manifest.tools, once(async () => (await import('../tools/createToolbox.ts')).createToolbox(manifest.tools, {
    warehouse, env, now: () => new Date(), knowledge: manifest.knowledge,
  })));
  return { env, root, manifest, toolbox, warehouse };
}

