/**
 * Picks an engine by name. The offline engine is built in; the Bedrock Agents and Converse engines are imported
 * only when asked for, so offline use never loads the AWS SDK.
 */
import type { Manifest } from '../../compiler/manifest.ts';
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
}

export const ENGINE_NAMES: readonly EngineName[] = ['offline', 'bedrock-agents', 'converse'];

export async function createEngine(name: EngineName, deps: EngineDeps): Promise<Engine> {
  switch (name) {
    case 'offline': {
      const { createOfflineEngine } = await import('./offline/index.ts');
      return createOfflineEngine(deps);
    }
    case 'bedrock-agents': {
      const { createBedrockAgentsEngine } = await import('./bedrockAgents/index.ts');
      return createBedrockAgentsEngine(deps);
    }
    case 'converse': {
      const { createConverseEngine } = await import('./converse/index.ts');
      return createConverseEngine(deps);
    }
    default:
      throw new Error(`unknown engine '${String(name)}': use one of ${ENGINE_NAMES.join(', ')}`);
  }
}
