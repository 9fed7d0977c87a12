/** Tools no agent lists: dead weight in the deployment, and usually a typo in an agent's tools (warning). */
import { catalog } from '../diagnostics/catalog.ts';
import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic.ts';
import type { Project } from '../project.ts';

export function checkUsage(project: Project): Diagnostic[] {
  // An agent whose tools are not known may list any tool, so none is known to be unused.
  if (project.halfWritten.toolsUnknown) return [];
  const used = new Set([...project.agents.flatMap((a) => a.value.tools ?? []), ...project.halfWritten.usedTools]);
  return project.tools
    .filter(({ value }) => !used.has(value.name))
    .map(({ value, at }) => diagnostic(catalog.unusedTool, at(['name']), [value.name]));
}
