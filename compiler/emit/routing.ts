/** Routing examples per collaborator, gathered from every routes spec (spec order kept: it is the analyst's). */
import type { Project } from '../project.ts';

export function routingExamples(project: Project): Map<string, string[]> {
  const examples = new Map<string, string[]>();
  for (const routes of project.routes) {
    for (const [agent, utterances] of Object.entries(routes.value.routes)) {
      examples.set(agent, [...(examples.get(agent) ?? []), ...utterances]);
    }
  }
  return examples;
}
