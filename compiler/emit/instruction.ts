/**
 * The instruction Bedrock receives: the analyst's own text, then for a supervisor each collaborator's name,
 * description, collaboration instruction and routing examples (few-shot guidance), then for every agent its
 * skills' answer formats. Bedrock counts the result against 40..20000 characters, so the limits pass checks this
 * text, not the analyst's.
 */
import type { AgentSpec } from '../schema/index.ts';

export interface CollaboratorGuidance {
  name: string;
  description: string;
  instruction: string;
  examples: readonly string[];
}

export interface CompiledInstruction {
  text: string;
  ownLength: number;
  collaboratorsLength: number;
  formatsLength: number;
}

const quoteList = (items: readonly string[]): string => items.map((item) => `- "${item}"`).join('\n');

function collaboratorSection(collaborators: readonly CollaboratorGuidance[]): string {
  if (!collaborators.length) return '';
  const entries = collaborators.map((c) =>
    [`### ${c.name}`, c.description, `When to use: ${c.instruction.trim()}`,
      ...(c.examples.length ? ['Example requests:', quoteList(c.examples)] : [])].join('\n'));
  return ['## Collaborators', 'Hand each request to the collaborator whose description and examples fit it best.',
    ...entries].join('\n\n');
}

function formatSection(agent: AgentSpec): string {
  const skills = agent.skills ?? [];
  if (!skills.length) return '';
  const entries = skills.map((s) =>
    [`### ${s.name}${s.description ? `: ${s.description}` : ''}`,
      ...(s.examples?.length ? [`Questions like: ${s.examples.map((e) => `"${e}"`).join('; ')}`] : []),
      'Answer in this format:', s.answer.trimEnd()].join('\n'));
  return ['## Answer formats', 'Use the format of the matching skill; {{ … }} marks values taken from tool results.',
    ...entries].join('\n\n');
}

export function compileInstruction(agent: AgentSpec, collaborators: readonly CollaboratorGuidance[]): CompiledInstruction {
  const own = agent.instruction.trim();
  const guidance = collaboratorSection(collaborators);
  const formats = formatSection(agent);
  return {
    text: [own, guidance, formats].filter(Boolean).join('\n\n'),
    ownLength: own.length,
    collaboratorsLength: guidance.length,
    formatsLength: formats.length,
  };
}

/** The guidance a supervisor's instruction quotes, in the order its collaborators are listed. */
export function collaboratorGuidance(
  agent: AgentSpec,
  agents: ReadonlyMap<string, { value: AgentSpec }>,
  examples: ReadonlyMap<string, readonly string[]>,
): CollaboratorGuidance[] {
  return (agent.collaborators ?? []).map((c) => ({
    name: c.agent,
    description: agents.get(c.agent)?.value.description ?? '',
    instruction: c.instruction,
    examples: examples.get(c.agent) ?? [],
  }));
}
