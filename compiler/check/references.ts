/** Unknown names: an agent's tools, collaborators, skill steps and their parameters, channel entries. */
import { catalog } from '../diagnostics/catalog.ts';
import { type Diagnostic, diagnostic, unknownName } from '../diagnostics/diagnostic.ts';
import type { Project, Spec } from '../project.ts';
import type { AgentSpec } from '../schema/index.ts';
import type { CheckContext } from './context.ts';
import { METRIC_PARAMETER_NAMES } from '../emit/metrics.ts';

function agentReferences({ value, at }: Spec<AgentSpec>, context: CheckContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const own = value.tools ?? [];
  own.forEach((tool, i) => {
    if (!context.toolNames.has(tool)) out.push(unknownName(catalog.unknownTool, at(['tools', i]), tool, context.toolNames));
  });
  (value.collaborators ?? []).forEach((c, i) => {
    if (!context.agentNames.has(c.agent)) {
      out.push(unknownName(catalog.unknownCollaborator, at(['collaborators', i, 'agent']), c.agent, context.agentNames));
    }
  });
  (value.skills ?? []).forEach((skill, s) =>
    skill.steps.forEach((step, n) => {
      const path = ['skills', s, 'steps', n];
      if (!own.includes(step.tool)) {
        out.push(unknownName(catalog.stepToolNotInAgent, at([...path, 'tool']), step.tool, own));
        return;
      }
      const tool = context.tools.get(step.tool)?.value;
      if (!tool) return;
      const declared = tool.kind === 'metrics' ? METRIC_PARAMETER_NAMES : Object.keys(tool.parameters ?? {});
      for (const parameter of Object.keys(step.with ?? {})) {
        if (!declared.includes(parameter)) {
          out.push(unknownName(catalog.unknownStepParameter, at([...path, 'with', parameter], { key: true }), parameter, declared, [step.tool]));
        }
      }
    }));
  return out;
}

function channelReferences(project: Project, context: CheckContext): Diagnostic[] {
  return project.channels.flatMap(({ value, at }) => {
    const agent = context.agents.get(value.entry);
    if (!context.agentNames.has(value.entry)) return [unknownName(catalog.unknownChannelEntry, at(['entry']), value.entry, context.agentNames)];
    if (agent?.value.role === 'collaborator') return [diagnostic(catalog.entryNotSupervisor, at(['entry']), [value.entry])];
    return [];
  });
}

export function checkReferences(project: Project, context: CheckContext): Diagnostic[] {
  return [...project.agents.flatMap((a) => agentReferences(a, context)), ...channelReferences(project, context)];
}
