/**
 * A skill template parsed and statically analysed once for every check that reads it (templates.ts: names and loop
 * limits; step-fields.ts: the fields a template reads of each step): each of them parsing and analysing the same
 * text was a tenth of `revops validate`. Kept by text, process-wide, and forgotten wholesale past a bound, so a
 * long-running editor session does not grow without end.
 */
import type { StaticAnalysis, Template } from 'liquidjs';
import { createLiquid } from '../liquid.ts';

export type TemplateAnalysis = { ok: true; parsed: Template[]; analysis: StaticAnalysis } | { ok: false; error: unknown };

const liquid = createLiquid();
const analysed = new Map<string, TemplateAnalysis>();
const MAX_KEPT = 5_000;

export function analyseTemplate(template: string): TemplateAnalysis {
  let result = analysed.get(template);
  if (result) return result;
  try {
    const parsed = liquid.parse(template);
    // Partials are not followed: there are none to read (no filesystem), and looking one up would throw.
    result = { ok: true, parsed, analysis: liquid.analyzeSync(parsed, { partials: false }) };
  } catch (error) {
    result = { ok: false, error };
  }
  if (analysed.size >= MAX_KEPT) analysed.clear();
  analysed.set(template, result);
  return result;
}
