/**
 * What every command that runs agents needs, in one call: the manifest (compiled from specs/ when build/ is stale,
 * with diagnostics printed and a failure when specs have errors), the warehouse (`openWarehouse`: the embedded
 * DuckDB sample, seeded on first use, unless the environment names another), the toolbox over it, and the clock (`REVOPS_NOW`
 * pins it). `ask` and `eval` use it; `serve` and `tool` can too. Kept small on purpose: no engine, no channels.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { compileProject, isBuildStale, renderText, writeBuild } from '../../compiler/index.ts';
import type { Manifest } from '../../compiler/manifest.ts';
import { createToolbox } from '../tools/createToolbox.ts';
import type { Toolbox } from '../tools/toolbox.ts';
import { embeddedWarehousePath, openWarehouse } from '../warehouse/openWarehouse.ts';
import { sampleNow, seedSampleWarehouse } from '../warehouse/sample/createSampleWarehouse.ts';
import { WarehouseError, type Warehouse } from '../warehouse/warehouse.ts';
import { CodedError } from '../../compiler/codedError.ts';
import { ConfigError } from '../config.ts';

export interface Project {
  manifest: Manifest;
  warehouse: Warehouse;
  toolbox: Toolbox;
  now: () => Date;
  close(): Promise<void>;
}

/** What stops a command before it runs: the CLI dispatcher prints the code and message, no stack. */
export class ProjectError extends CodedError<'specs_invalid' | 'warehouse_unavailable' | 'warehouse_locked'> {
  override readonly name = 'ProjectError';
}

interface Output {
  stderr: (text: string) => void;
  isTTY?: boolean;
}

const BUILD_DIR = 'build';

/** The project's manifest: build/manifest.json, compiled from specs/ first when stale. */
export async function loadManifest(root: string, out: Output): Promise<Manifest> {
  if (!(await isBuildStale(root, BUILD_DIR))) {
    return JSON.parse(await readFile(join(resolve(root, BUILD_DIR), 'manifest.json'), 'utf8')) as Manifest;
  }
  const result = await compileProject(root);
  if (result.diagnostics.length) out.stderr(renderText(result.diagnostics, result.sources, Boolean(out.isTTY)));
  if (!result.manifest) {
    throw new ProjectError('specs_invalid', 'specs/ has errors (listed above); fix them, then run the command again (`revops validate` checks without running).');
  }
  await writeBuild(root, BUILD_DIR, result);
  return result.manifest;
}

/**
 * The configured warehouse (`openWarehouse`); for the default embedded DuckDB path the sample warehouse is seeded
 * first when missing (a few seconds), so `revops ask` works on a fresh checkout.
 */
async function openProjectWarehouse(root: string, env: Record<string, string | undefined>, now: Date, out: Output, writable: boolean): Promise<Warehouse> {
  const embedded = (env.REVOPS_WAREHOUSE?.trim().toLowerCase() || 'duckdb') === 'duckdb' && !env.REVOPS_WAREHOUSE_PATH?.trim();
  const path = embeddedWarehousePath(env, root);
  if (embedded && !existsSync(path)) {
    out.stderr(`seeding the sample warehouse at ${path} (first run only)...`);
    await seedSampleWarehouse({ out: path, now });
  }
  return openWarehouse(env, root, { writable });
}

/** `writable`: the server opens the embedded warehouse for writes (CRM updates); one-shot commands read only. */
export async function loadProject(
  root: string,
  env: Record<string, string | undefined>,
  out: Output = { stderr: () => {} },
  options: { writable?: boolean } = {},
): Promise<Project> {
  const manifest = await loadManifest(root, out);
  const pinned = sampleNow(env);
  const now = env.REVOPS_NOW ? () => pinned : () => new Date();
  let warehouse: Warehouse;
  try {
    warehouse = await openProjectWarehouse(root, env, pinned, out, options.writable ?? false);
  } catch (cause) {
    if (cause instanceof WarehouseError && cause.code === 'locked') throw new ProjectError('warehouse_locked', cause.message, { cause });
    if (cause instanceof ConfigError) throw cause;
    throw new ProjectError('warehouse_unavailable', `could not open the warehouse: ${(cause as Error).message}`, { cause });
  }
  const toolbox = createToolbox(manifest.tools, { warehouse, env, now, knowledge: manifest.knowledge });
  return { manifest, warehouse, toolbox, now, close: () => warehouse.close() };
}
