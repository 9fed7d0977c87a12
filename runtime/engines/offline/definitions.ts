/**
 * Definitional questions ("what does the Negotiate stage mean?", "how is ICP fit scored?", "define weighted
 * pipeline") are answered by the entry agent itself from the knowledge documents, when it has a `knowledge` tool:
 * a definition is no collaborator's data work (a stage definition concerns deals, pipeline and forecasts alike),
 * and answering it before routing keeps the routing examples about the work each collaborator does. Only these
 * phrasings count, so "what does our pipeline look like?" still goes to the data agent.
 */
import type { ManifestAgent, ManifestTool } from '../../../compiler/manifest.ts';
import type { ToolResult } from '../../tools/toolbox.ts';

const DEFINITION_CUE = new RegExp([
  String.raw`^\s*what\s+(?:does|do)\b.*\b(?:mean|stand\s+for)\b`,
  String.raw`^\s*(?:define|definition\s+of|explain|meaning\s+of)\b`,
  String.raw`^\s*what\s+(?:is|are)\s+(?:the\s+)?(?:definition|meaning)\s+of\b`,
  String.raw`^\s*how\s+(?:is|are|do\s+we|does)\b.*\b(?:scored|score|calculated|calculate|defined|define|measured|measure|computed|compute|weighted)\b`,
  String.raw`^\s*what\s+(?:is|are)\s+(?:our|the)\s+(?:stages|standard\s+probabilities|forecast\s+categories|churn\s+(?:risk\s+)?bands|title\s+tiers|icp\s+segments)\b`,
].join('|'), 'iu');

export const isDefinitionQuestion = (text: string): boolean => DEFINITION_CUE.test(text);

/** The entry agent's knowledge tool, when it has one. */
export const knowledgeToolOf = (agent: ManifestAgent, tools: ReadonlyMap<string, ManifestTool>): ManifestTool | undefined =>
  agent.tools.map((t) => tools.get(t)).find((t) => t?.kind === 'knowledge');

/** The best passage, quoted, with the section it sits under and the file it came from; undefined when none matched. */
export function definitionAnswer(result: ToolResult): string | undefined {
  const best = result.ok ? result.rows?.[0] : undefined;
  if (!best) return undefined;
  const heading = best.section && best.section !== best.title ? `**${best.section}** (${best.title})` : `**${best.title}**`;
  return `${heading}\n\n${String(best.passage)}\n\nSource: ${String(best.source)}`;
}
