/**
 * The shipped specs compiled by the real compiler, over a sample warehouse seeded once per test file into the OS
 * temp folder with a fixed clock, and the real toolbox. Tests compare answers with rows read from the same tools.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { compileProject } from '../../../../compiler/index.ts';
import type { Manifest } from '../../../../compiler/manifest.ts';
import { collect, type InvokeResult } from '../../../../runtime/engines/collect.ts';
import { createOfflineEngine, type OfflineEngine } from '../../../../runtime/engines/offline/index.ts';
import { createToolbox } from '../../../../runtime/tools/createToolbox.ts';
import type { Toolbox } from '../../../../runtime/tools/toolbox.ts';
import { openDuckDbWarehouse } from '../../../../runtime/warehouse/duckdbWarehouse.ts';
import { seedSampleWarehouse } from '../../../../runtime/warehouse/sample/createSampleWarehouse.ts';
import type { Warehouse } from '../../../../runtime/warehouse/warehouse.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** A Friday in the seed's Q4 2025. */
export const NOW = new Date('2025-11-14T09:00:00Z');

export interface SeededProject {
  manifest: Manifest;
  warehouse: Warehouse;
  toolbox: Toolbox;
  engine: OfflineEngine;
  dir: string;
  close(): Promise<void>;
}

export async function seedProject(options: { scale?: number; patch?: (m: Manifest) => Manifest; env?: Record<string, string> } = {}): Promise<SeededProject> {
  const compiled = await compileProject(REPO_ROOT);
  if (!compiled.manifest) throw new Error(`shipped specs do not compile: ${compiled.diagnostics.map((d) => d.message).join('; ')}`);
  const manifest = options.patch ? options.patch(compiled.manifest) : compiled.manifest;
  const dir = await mkdtemp(join(tmpdir(), 'revops-offline-'));
  const path = join(dir, 'warehouse.duckdb');
  await seedSampleWarehouse({ out: path, scale: options.scale ?? 2000, now: NOW });
  const warehouse = await openDuckDbWarehouse(path);
  const toolbox = createToolbox(manifest.tools, { warehouse, env: options.env ?? {}, now: () => NOW, knowledge: manifest.knowledge });
  const engine = await createOfflineEngine({ manifest, toolbox, warehouse, now: () => NOW });
  return {
    manifest, warehouse, toolbox, engine, dir,
    close: async () => {
      await warehouse.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The seeded project of one test file: seeded before its tests, closed after them. `ask` puts each question to the
 * supervisor in a fresh session, so no answer leans on an earlier one.
 */
export function seededProjectPerFile(): { readonly project: SeededProject; ask(text: string): Promise<InvokeResult> } {
  let seeded: SeededProject | undefined;
  beforeAll(async () => {
    seeded = await seedProject();
  }, 60_000);
  afterAll(() => seeded?.close());
  return {
    get project() {
      if (!seeded) throw new Error('the seeded project is open only inside the tests of its file');
      return seeded;
    },
    ask: (text) => collect(seeded!.engine.invoke({ agent: 'manager', text, sessionId: `s-${Math.random()}` })),
  };
}
