/**
 * Picks an engine by name. The offline engine is built in; the Bedrock Agents and Converse engines are imported
 * only when asked for, so offline use never loads the AWS SDK.
 */
import type { Manifest } from '../../compiler/manifest.ts';
import type { SessionStore } from '../sessions/sessionStore.ts';
import type { Toolbox } from '../tools/toolbox.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';
import type { Engine, EngineName } from './engine.ts';

export interface EngineDeps {
  manifest: Manifest;
  toolbox: Toolbox;
  env: Record<string, string | undefined>;
  now?: () => Date;
  /** Offline only: where entity names (`resolve.values`) are read from. */
  warehouse?: Warehouse;
  /** Where offline and converse keep conversations (runtime/sessions); default: this process's memory. */
  sessions?: SessionStore;
}

type EngineFactory = (deps: EngineDeps) => Engine | Promise<Engine>;

const ENGINE_MODULES: Record<EngineName, () => Promise<EngineFactory>> = {
  // A runtime starts before the first question: the offline engine's names load then (or from their cache).
  offline: async () => {
    const { createOfflineEngine } = await import('./offline/index.ts');
    return (deps) => createOfflineEngine({ ...deps, namesOnFirstQuestion: true });
  },
  'bedrock-agents': async () => (await import('./bedrockAgents/index.ts')).createBedrockAgentsEngine,
  converse: async () => (await import('./converse/index.ts')).createConverseEngine,
};

export const ENGINE_NAMES = Object.keys(ENGINE_MODULES) as readonly EngineName[];

export const isEngineName = (name: string | undefined): name is EngineName => ENGINE_NAMES.includes(name as EngineName);

/**
 * Loads engine `name`'s code without building the engine. A Lambda cold start calls it while its secrets are on the
 * way (loading is CPU, fetching is I/O), so createEngine's own import finds the module already there.
 */
export async function loadEngine(name: EngineName): Promise<EngineFactory> {
  const load = ENGINE_MODULES[name];
  if (!load) throw new Error(`unknown engine '${String(name)}': use one of ${ENGINE_NAMES.join(', ')}`);
  return load();
}

export async function createEngine(name: EngineName, deps: EngineDeps): Promise<Engine> {
  return (await loadEngine(name))(deps);
}
