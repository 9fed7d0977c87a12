/**
 * The checks after the shape pass, in order: references and structure, then limits, then SQL and templates, then
 * style warnings. Each family reports everything it finds; none stops the next, so one broken reference does not
 * hide the rest.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Project } from '../project.ts';

export type Check = (project: Project) => Diagnostic[] | Promise<Diagnostic[]>;

const CHECKS: Check[] = [];

export async function runChecks(project: Project): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  for (const check of CHECKS) diagnostics.push(...(await check(project)));
  return diagnostics;
}
