/**
 * The world the approval tests run in: the shipped specs compiled by the real compiler, a sample warehouse seeded
 * into a temp folder (opened writable, as the server opens it), the real toolbox with its approved calls counted,
 * the offline engine, and whole runtimes over one data directory — served by the real HTTP server on port 0.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileProject } from '../../../compiler/index.ts';
import type { Manifest } from '../../../compiler/manifest.ts';
import { loadConfig } from '../../../runtime/config.ts';
import { createLogger } from '../../../runtime/logging/logger.ts';
import { listen, type Listening } from '../../../runtime/server/listen.ts';
import { createToolbox } from '../../../runtime/tools/createToolbox.ts';
import type { Toolbox } from '../../../runtime/tools/toolbox.ts';
import { openDuckDbWarehouse } from '../../../runtime/warehouse/duckdbWarehouse.ts';
import { seedSampleWarehouse } from '../../../runtime/warehouse/sample/createSampleWarehouse.ts';
import type { Warehouse } from '../../../runtime/warehouse/warehouse.ts';
import { createRuntime, type Runtime, type RuntimeParts } from '../../../runtime/wiring.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const NOW = new Date('2025-11-14T09:00:00Z');
export const KEYS = ['approvals-key-asker-0001', 'approvals-key-other-0002'];

export class Clock {
  constructor(public ms: number = NOW.getTime()) {}
  readonly now = (): Date => new Date(this.ms);
}

/** Approved calls as the approvals service makes them: every attempt, and every one that changed a row. */
export interface Counted extends Toolbox {
  attempts: number;
  writes: number;
  notifications: number;
  /** Makes the next calls die before writing, as a process killed at that moment would. */
  crashing: boolean;
}

export interface World {
  manifest: Manifest;
  warehouse: Warehouse;
  toolbox: Counted;
  dataDir: string;
  clock: Clock;
  start(env?: Record<string, string>, parts?: Partial<RuntimeParts>): Promise<{ runtime: Runtime; server: Listening }>;
  nextStep(name: string): Promise<string | null>;
  close(): Promise<void>;
}

export async function approvalWorld(patch: (m: Manifest) => Manifest = (m) => m, env: Record<string, string> = {}): Promise<World> {
  const compiled = await compileProject(REPO_ROOT);
  if (!compiled.manifest) throw new Error(`shipped specs do not compile: ${compiled.diagnostics.map((d) => d.message).join('; ')}`);
  const manifest = patch(compiled.manifest);
  const dir = await mkdtemp(join(tmpdir(), 'revops-approvals-'));
  const path = join(dir, 'warehouse.duckdb');
  await seedSampleWarehouse({ out: path, scale: 500, now: NOW });
  const warehouse = await openDuckDbWarehouse(path);
  const clock = new Clock();
  const inner = createToolbox(manifest.tools, { warehouse, env, now: () => NOW });
  const toolbox: Counted = {
    tools: inner.tools, attempts: 0, writes: 0, notifications: 0, crashing: false,
    run: (name, params, signal) => inner.run(name, params, signal),
    async perform(name, params, approved, signal) {
      toolbox.attempts += 1;
      if (toolbox.crashing) throw new Error('simulated crash between approval and write');
      const result = await inner.perform(name, params, approved, signal);
      if (result.ok && /^Updated 1 row/u.test(result.text ?? '')) toolbox.writes += 1;
      if (result.ok && /^Delivered/u.test(result.text ?? '')) toolbox.notifications += 1;
      return result;
    },
  };
  const servers: Listening[] = [];
  return {
    manifest, warehouse, toolbox, dataDir: dir, clock,
    async start(runtimeEnv = {}, parts = {}) {
      const config = loadConfig({ WEBHOOK_API_KEYS: KEYS.join(','), REVOPS_DATA_DIR: join(dir, 'data'), REVOPS_VISIBILITY_TIMEOUT_SECONDS: '1', ...env, ...runtimeEnv }, dir);
      const runtime = await createRuntime(config, {
        project: { manifest, toolbox, warehouse, now: () => NOW },
        now: clock.now, logger: createLogger({ level: 'error', sink: () => undefined }),
        backoff: { deliveryMs: () => 0, retryMs: () => 0 }, ...parts,
      });
      const server = await listen(runtime, { port: 0 });
      servers.push(server);
      return { runtime, server };
    },
    async nextStep(name) {
      const { rows } = await warehouse.query('SELECT next_step FROM opportunities WHERE opportunity_name = :name', { params: { name } });
      return (rows[0]?.next_step as string | null) ?? null;
    },
    async close() {
      await Promise.all(servers.map((s) => s.close().catch(() => undefined)));
      await warehouse.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` holds (bounded: 200 tries, 25 ms apart). */
export async function eventually<T>(probe: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  let value = await probe();
  for (let i = 0; i < 200 && !check(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    value = await probe();
  }
  return value;
}
