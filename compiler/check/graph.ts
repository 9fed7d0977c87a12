/**
 * The collaborator graph: each agent has at most one supervisor, no cycles, a supervisor has 1..10 collaborators
 * (Bedrock's limit), and only supervisors list collaborators. A supervisor may itself be a collaborator of another
 * supervisor (Bedrock allows hierarchies), which is why cycles are possible at all.
 */
import { catalog } from '../diagnostics/catalog.ts';
import { type Diagnostic, diagnostic, type Location } from '../diagnostics/diagnostic.ts';
import type { Project } from '../project.ts';
import type { CheckContext } from './context.ts';

/** Bedrock: at most 10 collaborators per supervisor. */
export const MAX_COLLABORATORS = 10;

function shape(project: Project): Diagnostic[] {
  return project.agents.flatMap(({ value, at }) => {
    const count = value.collaborators?.length ?? 0;
    if (value.role === 'collaborator') {
      return (['collaborators', 'collaboration'] as const)
        .filter((field) => value[field] !== undefined)
        .map((field) => diagnostic(catalog.supervisorOnlyField, at([field], { key: true }), [field]));
    }
    if (count === 0) return [diagnostic(catalog.noCollaborators, at(value.collaborators ? ['collaborators'] : ['name']), [value.name])];
    if (count > MAX_COLLABORATORS) return [diagnostic(catalog.tooManyCollaborators, at(['collaborators']), [count])];
    return [];
  });
}

function parents(project: Project): { out: Diagnostic[]; parent: Map<string, { name: string; at: Location }> } {
  const parent = new Map<string, { name: string; at: Location }>();
  const out: Diagnostic[] = [];
  for (const { value, at } of project.agents) {
    if (value.role !== 'supervisor') continue;
    (value.collaborators ?? []).forEach((c, i) => {
      const here = at(['collaborators', i, 'agent']);
      const first = parent.get(c.agent);
      if (first && first.name !== value.name) {
        out.push(diagnostic(catalog.collaboratorOfTwo, here, [c.agent, first.name], [{ ...first.at, message: `'${c.agent}' is a collaborator of '${first.name}' here` }]));
      } else if (!first) parent.set(c.agent, { name: value.name, at: here });
    });
  }
  return { out, parent };
}

/** Following each agent's single parent upwards finds every cycle; each is reported once, at its first member. */
function cycles(parent: Map<string, { name: string; at: Location }>): Diagnostic[] {
  const reported = new Set<string>();
  const out: Diagnostic[] = [];
  for (const start of [...parent.keys()].sort()) {
    const path = [start];
    for (let next = parent.get(start)?.name; next !== undefined; next = parent.get(next)?.name) {
      if (next === start) {
        const members = [...path].sort();
        if (!members.some((m) => reported.has(m))) {
          members.forEach((m) => reported.add(m));
          const chain = [start, ...path.slice(1).reverse(), start].join(' -> ');
          out.push(diagnostic(catalog.collaboratorCycle, parent.get(start)!.at, [chain]));
        }
        break;
      }
      if (path.includes(next)) break;
      path.push(next);
    }
  }
  return out;
}

export function checkGraph(project: Project, context: CheckContext): Diagnostic[] {
  const { out, parent } = parents(project);
  const orphans = project.agents
    .filter(({ value }) => value.role === 'collaborator' && !parent.has(value.name) && context.agents.get(value.name)?.value === value)
    .map(({ value, at }) => diagnostic(catalog.orphanCollaborator, at(['name']), [value.name]));
  return [...shape(project), ...out, ...cycles(parent), ...orphans];
}
