/**
 * A skill template parsed and statically analysed once for every check that reads it (templates.ts: names and loop
 * limits; step-fields.ts: the fields a template reads of each step): each of them parsing and analysing the same
 * text was a tenth of `revops validate`. Kept by text, process-wide, and forgotten wholesale past a bound, so a
 * long-running editor session does not grow without end.
 */
import type { StaticAnalysis, Template } from 'liquidjs';
import { createLiquid, SPEC_FILTERS, type SpecFilter } from '../liquid.ts';

export type TemplateAnalysis = { ok: true; parsed: Template[]; analysis: StaticAnalysis } | { ok: false; error: unknown };

/** Checking parses and never renders, so the filters need only their names here. */
const unrendered = () => {
  throw new Error('a template is not rendered while it is checked');
};
const liquid = createLiquid(Object.fromEntries(SPEC_FILTERS.map((name) => [name, unrendered])) as Record<SpecFilter, typeof unrendered>);
/** Every filter a template may use: liquidjs's own and the spec language's. */
export const TEMPLATE_FILTERS: readonly string[] = Object.keys(liquid.filters);
const analysed = new Map<string, TemplateAnalysis>();
const MAX_KEPT = 5_000;

export function analyseTemplate(template: string): TemplateAnalysis {
  let result = analysed.get(template);
  if (result) return result;
  try {
    const parsed = liquid.parse(template);
    result = { ok: true, parsed, analysis: liquid.analyzeSync(parsed) };
  } catch (error) {
    result = { ok: false, error };
  }
  if (analysed.size >= MAX_KEPT) analysed.clear();
  analysed.set(template, result);
  return result;
}
