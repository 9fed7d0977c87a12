/** Agent specs -> manifest agents: collaborators, action groups from tool groups, skills, routing examples. */
import { DEFAULTS } from '../defaults.ts';
import type { ManifestActionGroup, ManifestAgent, ManifestSkill, ManifestTool } from '../manifest.ts';
import type { Spec } from '../project.ts';
import type { AgentSpec, SkillSpec } from '../schema/index.ts';
import { sortedRecord } from './serialize.ts';

/** Bedrock action group descriptions are 1..200 characters. */
const ACTION_GROUP_DESCRIPTION_MAX = 200;

export function actionGroupDescription(group: string, tools: readonly string[]): string {
  const text = `${group} tools: ${tools.join(', ')}`;
  return text.length <= ACTION_GROUP_DESCRIPTION_MAX ? text : `${text.slice(0, ACTION_GROUP_DESCRIPTION_MAX - 1)}…`;
}

export function actionGroups(toolNames: readonly string[], tools: ReadonlyMap<string, ManifestTool>): ManifestActionGroup[] {
  const groups = new Map<string, string[]>();
  for (const name of toolNames) {
    const group = tools.get(name)?.group;
    if (group) groups.set(group, [...(groups.get(group) ?? []), name]);
  }
  return [...groups.keys()].sort().map((name) => {
    const members = groups.get(name)!.sort();
    return { name, description: actionGroupDescription(name, members), tools: members };
  });
}

const skill = (s: SkillSpec): ManifestSkill => ({
  name: s.name,
  description: s.description,
  examples: s.examples ?? [],
  steps: s.steps.map((step) => ({
    tool: step.tool,
    as: step.as,
    with: sortedRecord(step.with ?? {}, (v) => String(v)),
    optional: step.optional ?? false,
  })),
  answer: s.answer,
});

export interface AgentContext {
  tools: ReadonlyMap<string, ManifestTool>;
  examples: ReadonlyMap<string, readonly string[]>;
  compiledInstruction: string;
}

export function emitAgent({ value: a, file }: Spec<AgentSpec>, context: AgentContext): ManifestAgent {
  const supervisor = a.role === 'supervisor';
  const tools = [...new Set(a.tools ?? [])].sort();
  return {
    name: a.name,
    role: a.role,
    description: a.description,
    instruction: a.instruction,
    compiledInstruction: context.compiledInstruction,
    model: a.model,
    idleSessionTtlSeconds: a.idle_session_ttl ?? DEFAULTS.idleSessionTtlSeconds,
    collaboration: supervisor ? (a.collaboration ?? DEFAULTS.collaboration) : 'DISABLED',
    collaborators: (a.collaborators ?? []).map((c) => ({
      agent: c.agent,
      instruction: c.instruction,
      relayConversationHistory: (c.relay_conversation_history ?? DEFAULTS.relayConversationHistory) ? 'TO_COLLABORATOR' : 'DISABLED',
    })),
    tools,
    actionGroups: actionGroups(tools, context.tools),
    skills: (a.skills ?? []).map(skill),
    routingExamples: [...(context.examples.get(a.name) ?? [])],
    knowledgeBase: a.knowledge_base && { description: a.knowledge_base.description },
    source: file.path,
  };
}
