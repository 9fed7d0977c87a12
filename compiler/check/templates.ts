/**
 * Skill templates (Liquid): each `with` value and each answer parses, reads only `question`, `params`, `now`
 * and steps that exist — a step's `with` only steps listed before it, since later ones have not run yet — and
 * asks for no more loop iterations over literal ranges than templateLoops.ts allows. Parsed with the runtime's
 * own Liquid configuration (its limits, no filesystem).
 */
import { MAX_LITERAL_ITERATIONS } from '../liquid.ts';
import { analyseTemplate } from './templateAnalysis.ts';
import { catalog } from '../diagnostics/catalog.ts';
import { type Diagnostic, diagnostic, unknownName } from '../diagnostics/diagnostic.ts';
import { lineStarts } from '../diagnostics/render.ts';
import type { PathSegment } from '../load/locate.ts';
import type { Project, Spec } from '../project.ts';
import type { AgentSpec } from '../schema/index.ts';
import { loopBombs } from './templateLoops.ts';

export const TEMPLATE_GLOBALS = ['question', 'params', 'now'];

interface Scope {
  earlier: string[];
  later: string[];
}

function checkTemplate(spec: Spec<AgentSpec>, path: PathSegment[], template: string, scope: Scope): Diagnostic[] {
  const analysed = analyseTemplate(template);
  if (!analysed.ok) {
    const { error } = analysed;
    const begin = (error as { token?: { begin?: number } }).token?.begin;
    const where = begin === undefined ? spec.at(path) : spec.inString(path, begin, 1);
    return [diagnostic(catalog.templateSyntax, where, [(error as Error).message.split(', line:')[0]!])];
  }
  const known = [...TEMPLATE_GLOBALS, ...scope.earlier];
  const loops = loopBombs(analysed.parsed).map(({ begin, end, iterations }) =>
    diagnostic(catalog.templateLoopLimit, spec.inString(path, begin, end - begin), [iterations, MAX_LITERAL_ITERATIONS]));
  const { globals } = analysed.analysis;
  const starts = lineStarts(template);
  return [...loops, ...Object.entries(globals).flatMap(([name, uses]) => {
    if (known.includes(name)) return [];
    const { row, col } = uses[0]!.location;
    const where = spec.inString(path, starts[row - 1]! + col - 1, name.length);
    if (scope.later.includes(name)) return [diagnostic(catalog.laterStep, where, [name])];
    return [unknownName(catalog.unknownTemplateStep, where, name, known)];
  })];
}

function checkAgent(spec: Spec<AgentSpec>): Diagnostic[] {
  return (spec.value.skills ?? []).flatMap((skill, s) => {
    const names = skill.steps.map((step) => step.as ?? step.tool);
    const withs = skill.steps.flatMap((step, n) =>
      Object.entries(step.with ?? {})
        .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
        .flatMap(([parameter, expression]) =>
          checkTemplate(spec, ['skills', s, 'steps', n, 'with', parameter], expression, { earlier: names.slice(0, n), later: names.slice(n) })));
    return [...withs, ...checkTemplate(spec, ['skills', s, 'answer'], skill.answer, { earlier: names, later: [] })];
  });
}

export const checkTemplates = (project: Project): Diagnostic[] => project.agents.flatMap(checkAgent);
