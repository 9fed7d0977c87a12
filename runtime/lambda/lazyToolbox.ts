/**
 * A toolbox whose executors are loaded and built on the first call: the tool executor and the engines that run
 * tools in-process (offline, converse) call it; the ingress functions and a processor on Bedrock Agents never load
 * the executors (the SQL guard, the Gong and web search clients).
 */
import type { ManifestTool } from '../../compiler/manifest.ts';
import type { Toolbox } from '../tools/toolbox.ts';

export function lazyToolbox(tools: readonly ManifestTool[], toolbox: () => Promise<Toolbox>): Toolbox {
  return {
    tools,
    run: async (tool, params, signal) => (await toolbox()).run(tool, params, signal),
    perform: async (tool, params, approved, signal) => (await toolbox()).perform(tool, params, approved, signal),
  };
}
