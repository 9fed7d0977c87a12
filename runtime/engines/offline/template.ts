/**
 * Answer templates: the spec language's Liquid dialect (compiler/liquid.ts: strict filters, no filesystem, limits
 * on parse length, render time and memory) with its filters implemented, and no output escaping (answers are
 * Markdown, not HTML).
 */
import type { Template } from 'liquidjs';
import { date, daysFromNow, money, percent, plural, table } from './filters.ts';
import { formatMeasure, metricTable } from './metricFormat.ts';
import { CodedError } from '../../../compiler/codedError.ts';
import { createLiquid } from '../../../compiler/liquid.ts';

/** A manifest's template that the dialect does not parse: the manifest did not come from `revops compile`. */
export class TemplateError extends CodedError<'template_invalid'> {
  override readonly name = 'TemplateError';
}

export interface TemplateEngine {
  /** Parses once (cached by source); throws a LiquidError naming the line for bad syntax or unknown filters. */
  compile(source: string): Template[];
  render(source: string, context: Record<string, unknown>): Promise<string>;
}

export function createTemplateEngine(now: () => Date): TemplateEngine {
  const liquid = createLiquid({
    money,
    percent: (v: unknown, digits?: number) => percent(v, digits),
    date,
    days_from_now: (v: unknown) => daysFromNow(v, now()),
    table: (rows: unknown, spec?: string) => table(rows, spec),
    plural: (n: unknown, one: string, many?: string) => plural(n, one, many),
    measure: (v: unknown, format: unknown, kind?: unknown) => formatMeasure(v, format, kind === 'change'),
    metric_table: (step: unknown, rows?: number) => metricTable(step, rows),
  }, { cache: false });
  const parsed = new Map<string, Template[]>();
  const compile = (source: string): Template[] => {
    let t = parsed.get(source);
    if (!t) {
      t = liquid.parse(source);
      parsed.set(source, t);
    }
    return t;
  };
  return {
    compile,
    render: async (source, context) => String(await liquid.render(compile(source), context)),
  };
}
