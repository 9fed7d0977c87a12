/**
 * The answers the offline engine gives when it cannot answer from data: no collaborator close to the question, no
 * skill that fits, a parameter it could not fill, a step with no rows, a failed tool. Each says plainly what
 * happened and suggests a question it can answer; none states a fact it did not read.
 */
import type { ManifestAgent, ManifestParameter, ManifestTool } from '../../../compiler/manifest.ts';
import { nameKind } from './entities.ts';

const quote = (s: string): string => `"${s}"`;

/** The supervisor's reply when no collaborator is close: what each one does, with an example question. */
export function capabilities(supervisor: ManifestAgent, collaborators: ManifestAgent[]): string {
  const lines = collaborators.map((c) => {
    const example = c.routingExamples[0] ?? c.skills[0]?.examples[0];
    return `- ${c.description}${example ? ` — e.g. ${quote(example)}` : ''}`;
  });
  return [`I'm not sure what you're asking, so I haven't looked anything up. I can help with:`, ...lines].join('\n');
}

export function noSkill(agent: ManifestAgent): string {
  const examples = agent.skills.flatMap((s) => s.examples.slice(0, 1)).slice(0, 3).map(quote);
  return `I can't answer that with what I know how to do (${agent.description.replace(/\.$/u, '')}).` +
    (examples.length ? ` I can answer questions like ${examples.join(', ')}.` : '');
}

const what = (p: ManifestParameter): string => p.name.replace(/_/gu, ' ');

export function unresolved(p: ManifestParameter, tool: ManifestTool, unknownNames: string[], example?: string): string {
  const source = p.resolve && 'values' in p.resolve ? ` (${p.resolve.values})` : '';
  const looked = unknownNames.length
    ? `I found no ${what(p)} matching ${unknownNames.map(quote).join(', ')} in the data${source}.`
    : `I couldn't tell which ${what(p)} you mean${source}, and I need it to run ${tool.name}.`;
  return `${looked}${example ? ` Try, for example: ${quote(example)}` : ''}`;
}

export function noRows(tool: ManifestTool, params: Record<string, unknown>, example?: string): string {
  const shown = Object.entries(params).filter(([, v]) => v !== '' && v !== undefined)
    .map(([k, v]) => `${k.replace(/_/gu, ' ')} ${quote(String(v))}`);
  return `I found no records${shown.length ? ` for ${shown.join(', ')}` : ''} (${tool.name} returned no rows).` +
    (example ? ` Try, for example: ${quote(example)}` : '');
}

export function toolFailed(tool: string, code: string, message: string): string {
  return `I couldn't complete this: ${tool} failed (${code}). ${message}`;
}

const MAX_OPTIONS = 5;

/** Several records match a name equally well: list them and ask, instead of picking one. */
export function ambiguousName(a: { typed: string; source: string; options: string[] }): string {
  const shown = a.options.slice(0, MAX_OPTIONS).map(quote).join(', ');
  const more = a.options.length > MAX_OPTIONS ? ` and ${a.options.length - MAX_OPTIONS} more` : '';
  return `"${a.typed}" matches more than one ${nameKind(a.source)}: ${shown}${more}. Which one do you mean?`;
}
