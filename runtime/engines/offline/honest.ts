/**
 * The answers the offline engine gives when it cannot answer from data: no collaborator close to the question, no
 * skill that fits, a parameter it could not fill, a step with no rows, a failed tool. Each says plainly what
 * happened and suggests a question it can answer; none states a fact it did not read.
 */
import type { ManifestAgent, ManifestParameter, ManifestTool } from '../../../compiler/manifest.ts';

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

const ASK_FOR: Record<'recipient' | 'message', string> = {
  recipient: 'Who should I notify? Say who it is for (a person or a channel such as #deal-desk) — nothing was sent.',
  message: 'What should the notification say? Tell me the message — nothing was sent.',
};

export function unresolved(p: ManifestParameter, tool: ManifestTool, unknownNames: string[], example?: string, problem?: string): string {
  const hint = example ? ` Try, for example: ${quote(example)}` : '';
  if (problem) return `${problem}${hint}`;
  if (p.resolve && 'notify' in p.resolve) return `${ASK_FOR[p.resolve.notify]}${hint}`;
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

/** A write or notification about a record the question did not name exactly: nothing is proposed. */
export function notExact(typed: string[], closest: string[]): string {
  const near = closest.length ? ` The closest I have is ${closest.map(quote).join(', ')}, which is not what you named.` : '';
  return `I found no record named exactly ${typed.map(quote).join(', ')}, so I changed nothing and sent nothing.${near} Check the name and ask again.`;
}
