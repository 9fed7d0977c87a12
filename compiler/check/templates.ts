/**
 * Skill templates (Liquid): each `with` value and each answer parses, reads only `question`, `params`, `now`
 * and steps that exist — a step's `with` only steps listed before it, since later ones have not run yet — uses
 * only the dialect's filters and tags, and asks for no more loop iterations over literal ranges than
 * templateLoops.ts allows. Parsed with the dialect the runtime renders with (compiler/liquid.ts).
 */
import { TokenKind } from 'liquidjs';
import { FILE_TAGS, MAX_LITERAL_ITERATIONS } from '../liquid.ts';
import { analyseTemplate, TEMPLATE_FILTERS } from './templateAnalysis.ts';
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

/** What liquidjs's parse error carries: the tag or output it stopped at, and the error that stopped it. */
interface ParseFailure extends Error {
  token?: { kind?: number; name?: string; begin?: number; end?: number; input?: string };
  originalError?: Error;
}

/**
 * A template that does not parse, at the name it stopped at when that is a tag the dialect leaves out or a filter
 * it does not know. liquidjs says which filter only in its message ("undefined filter: mony"), so the name is taken
 * from there and found again in the tag's text.
 */
function parseFailure(spec: Spec<AgentSpec>, path: PathSegment[], error: ParseFailure): Diagnostic {
  const { token } = error;
  const begin = token?.begin;
  if (begin === undefined || !token) return diagnostic(catalog.templateSyntax, spec.at(path), [error.message.split(', line:')[0]!]);
  if (token.kind === TokenKind.Tag && (FILE_TAGS as readonly string[]).includes(token.name ?? '')) {
    return diagnostic(catalog.templateFileTag, spec.inString(path, begin, token.end! - begin), [token.name!]);
  }
  const filter = /^undefined filter: (\S+)$/.exec(error.originalError?.message ?? '')?.[1];
  const use = [...token.input!.slice(begin, token.end).matchAll(/\|\s*([\w-]+)/g)].find((m) => m[1] === filter);
  if (filter !== undefined && use) {
    const at = begin + use.index + use[0].length - filter.length;
    return unknownName(catalog.unknownTemplateFilter, spec.inString(path, at, filter.length), filter, TEMPLATE_FILTERS);
  }
  return diagnostic(catalog.templateSyntax, spec.inString(path, begin, 1), [error.message.split(', line:')[0]!]);
}

function checkTemplate(spec: Spec<AgentSpec>, path: PathSegment[], template: string, scope: Scope): Diagnostic[] {
  const analysed = analyseTemplate(template);
  if (!analysed.ok) return [parseFailure(spec, path, analysed.error as ParseFailure)];
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
