/**
 * Skill templates (Liquid): each `with` value and each answer parses, and reads only `question`, `params`, `now`
 * and steps that exist — a step's `with` only steps listed before it, since later ones have not run yet.
 */
import { Liquid } from 'liquidjs';
import { catalog } from '../diagnostics/catalog.ts';
import { type Diagnostic, diagnostic, unknownName } from '../diagnostics/diagnostic.ts';
import type { PathSegment } from '../load/locate.ts';
import type { Project, Spec } from '../project.ts';
import type { AgentSpec } from '../schema/index.ts';

export const TEMPLATE_GLOBALS = ['question', 'params', 'now'];

const liquid = new Liquid();

export const indexOf = (text: string, row: number, col: number): number => {
  const lines = text.split('\n');
  return lines.slice(0, row - 1).reduce((sum, line) => sum + line.length + 1, 0) + col - 1;
};

interface Scope {
  earlier: string[];
  later: string[];
}

function checkTemplate(spec: Spec<AgentSpec>, path: PathSegment[], template: string, scope: Scope): Diagnostic[] {
  let parsed;
  try {
    parsed = liquid.parse(template);
  } catch (error) {
    const begin = (error as { token?: { begin?: number } }).token?.begin;
    const where = begin === undefined ? spec.at(path) : spec.inString(path, begin, 1);
    return [diagnostic(catalog.templateSyntax, where, [(error as Error).message.split(', line:')[0]!])];
  }
  const known = [...TEMPLATE_GLOBALS, ...scope.earlier];
  return Object.entries(liquid.analyzeSync(parsed).globals).flatMap(([name, uses]) => {
    if (known.includes(name)) return [];
    const use = uses[0]!;
    const row = use.location.row;
    const where = spec.inString(path, indexOf(template, row, use.location.col), name.length);
    if (scope.later.includes(name)) return [diagnostic(catalog.laterStep, where, [name])];
    return [unknownName(catalog.unknownTemplateStep, where, name, known)];
  });
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
