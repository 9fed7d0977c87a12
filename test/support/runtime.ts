/** A whole runtime over a temp data dir with a scripted engine and a hand-made manifest (in-process tests). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../runtime/config.ts';
import { createRuntime, type ProcessingRuntime, type RuntimeParts } from '../../runtime/wiring.ts';
import { createLogger } from '../../runtime/logging/logger.ts';
import type { Engine } from '../../runtime/engines/engine.ts';
import type { Manifest } from '../../compiler/manifest.ts';
import type { Toolbox } from '../../runtime/tools/toolbox.ts';
import { testManifest } from './manifest.ts';
import { scriptedEngine } from './engines.ts';

export const API_KEY = 'test-key-0123456789abcdef';
export const SIGNING_SECRET = 'test-signing-secret-0123456789';

export interface TestRuntime extends ProcessingRuntime {
  dataDir: string;
  logs: string[];
  dispose(): Promise<void>;
}

export async function testRuntime(options: {
  manifest?: Manifest; engine?: Engine; env?: Record<string, string>; parts?: Partial<Omit<RuntimeParts, 'role'>>;
  /** An existing data directory (a restart): the caller owns it, and `dispose` leaves it. */
  dataDir?: string;
} = {}): Promise<TestRuntime> {
  const dataDir = options.dataDir ?? await mkdtemp(join(tmpdir(), 'revops-runtime-'));
  const config = loadConfig({ WEBHOOK_API_KEYS: API_KEY, WEBHOOK_SIGNING_SECRET: SIGNING_SECRET, REVOPS_DATA_DIR: dataDir, ...options.env }, dataDir);
  const logs: string[] = [];
  const toolbox: Toolbox = { tools: [], run: async () => { throw new Error('tests do not run tools'); }, perform: async () => { throw new Error('tests do not run tools'); } };
  const runtime = await createRuntime(config, {
    project: { manifest: options.manifest ?? testManifest(), toolbox },
    engine: options.engine ?? scriptedEngine(),
    logger: createLogger({ level: 'debug', sink: (line) => logs.push(line) }),
    ...options.parts,
  });
  return {
    ...runtime, dataDir, logs,
    async dispose() {
      await runtime.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const jsonPost = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body),
  headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}`, ...headers },
});
