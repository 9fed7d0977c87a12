/**
 * Answer templates: Liquid (liquidjs) with strict filters (an unknown filter is an error when the engine starts,
 * not a blank in an answer), no output escaping (answers are Markdown, not HTML), and the shared configuration of
 * liquid.ts: no filesystem, and limits on parse length, render time and memory.
 */
import type { Template } from 'liquidjs';
import { date, daysFromNow, money, percent, plural, table } from './filters.ts';
import { formatMeasure, metricTable } from './metricFormat.ts';
import { createLiquid } from '../../../compiler/liquid.ts';

export interface TemplateEngine {
  /** Parses once (cached by source); throws a LiquidError naming the line for bad syntax or unknown filters. */
  compile(source: string): Template[];
  render(source: string, context: Record<string, unknown>): Promise<string>;
}

export function createTemplateEngine(now: () => Date): TemplateEngine {
  const liquid = createLiquid({ strictFilters: true, cache: false });
  liquid.registerFilter('money', money);
  liquid.registerFilter('percent', (v: unknown, digits?: number) => percent(v, digits));
  liquid.registerFilter('date', date);
  liquid.registerFilter('days_from_now', (v: unknown) => daysFromNow(v, now()));
  liquid.registerFilter('table', (rows: unknown, spec?: string) => table(rows, spec));
  liquid.registerFilter('plural', (n: unknown, one: string, many?: string) => plural(n, one, many));
  liquid.registerFilter('measure', (v: unknown, format: unknown) => formatMeasure(v, format));
  liquid.registerFilter('metric_table', (step: unknown, rows?: number) => metricTable(step, rows));
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
