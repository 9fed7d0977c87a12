/**
 * Picks an engine by name: one loader per row of the engine table (`compiler/engines.ts`), so a new row does not
 * typecheck until its loader is here. Each engine is imported only when asked for, so offline use never loads the
 * AWS SDK.
 */
import { ENGINE_NAMES } from '../../compiler/engines.ts';
import type { Engine, EngineDeps, EngineName } from './engine.ts';

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
