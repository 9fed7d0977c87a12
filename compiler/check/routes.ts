/**
 * Routing examples: routes belong to an existing supervisor and name its collaborators; one utterance routes to
 * one collaborator; and (warnings) every collaborator has examples, at least 8 of them, so the offline router and
 * the supervisor's few-shot guidance have something to go on.
 */
import { catalog } from '../diagnostics/catalog.ts';
import { type Diagnostic, diagnostic, type Location, unknownName } from '../diagnostics/diagnostic.ts';
import type { Project } from '../project.ts';
import type { CheckContext } from './context.ts';

/** Recommended minimum of routing examples per collaborator (issue 2). */
export const MIN_ROUTING_EXAMPLES = 8;

const normalise = (utterance: string): string => utterance.trim().toLowerCase().replace(/\s+/g, ' ');

function routeTargets(project: Project, context: CheckContext): Diagnostic[] {
  return project.routes.flatMap(({ value, at }) => {
    const supervisor = context.agents.get(value.supervisor)?.value;
    if (!context.agentNames.has(value.supervisor)) {
      return [unknownName(catalog.unknownRoutesSupervisor, at(['supervisor']), value.supervisor, context.agentNames)];
    }
    if (!supervisor) return [];
    if (supervisor.role !== 'supervisor') return [diagnostic(catalog.routesNotSupervisor, at(['supervisor']), [value.supervisor])];
    const collaborators = (supervisor.collaborators ?? []).map((c) => c.agent);
    return Object.entries(value.routes).flatMap(([agent, examples]) => {
      const key = at(['routes', agent], { key: true });
      if (!collaborators.includes(agent)) {
        return [unknownName(catalog.routeNotCollaborator, key, agent, collaborators, [value.supervisor])];
      }
      if (examples.length === 0) return [diagnostic(catalog.noRoutingExamples, key, [agent, value.supervisor])];
      if (examples.length < MIN_ROUTING_EXAMPLES) return [diagnostic(catalog.fewRoutingExamples, key, [agent, examples.length])];
      return [];
    });
  });
}

function duplicateExamples(project: Project): Diagnostic[] {
  const first = new Map<string, { agent: string; at: Location }>();
  const out: Diagnostic[] = [];
  for (const { value, at } of project.routes) {
    for (const [agent, examples] of Object.entries(value.routes)) {
      examples.forEach((example, i) => {
        const here = at(['routes', agent, i]);
        const earlier = first.get(normalise(example));
        if (!earlier) first.set(normalise(example), { agent, at: here });
        else out.push(diagnostic(catalog.duplicateRoutingExample, here, [earlier.agent], [{ ...earlier.at, message: `first listed for '${earlier.agent}' here` }]));
      });
    }
  }
  return out;
}

/** Supervisors with no routes file, and collaborators their routes file leaves out. */
function missingExamples(project: Project, context: CheckContext): Diagnostic[] {
  const routed = new Map<string, Record<string, string[]>>();
  for (const r of project.routes) if (!routed.has(r.value.supervisor)) routed.set(r.value.supervisor, r.value.routes);
  return project.agents.flatMap(({ value, at }) => {
    if (value.role !== 'supervisor') return [];
    const routes = routed.get(value.name);
    if (!routes) return [diagnostic(catalog.supervisorWithoutRoutes, at(['name']), [value.name])];
    return (value.collaborators ?? []).flatMap((c, i) =>
      c.agent in routes || !context.agentNames.has(c.agent) ? [] : [diagnostic(catalog.noRoutingExamples, at(['collaborators', i, 'agent']), [c.agent, value.name])]);
  });
}

export function checkRoutes(project: Project, context: CheckContext): Diagnostic[] {
  return [...routeTargets(project, context), ...duplicateExamples(project), ...missingExamples(project, context)];
}
