/**
 * The one Liquid dialect of the spec language: `revops validate` checks skill templates with it and the offline
 * engine renders them with it (runtime imports it as it imports manifest.ts: what validates is what renders). Both
 * build it here, so they agree on every name a template may use: liquidjs's filters plus the spec language's own
 * (`SPEC_FILTERS`, which the runtime must implement, every one), with strict filters (an unknown filter is a parse
 * error, not a blank in an answer). No filesystem (`templates: {}`), and so no tag that reads another template
 * (`FILE_TAGS`: without files they could only fail when rendered), and no inherited properties. The limits end a
 * runaway template with liquidjs's "… limit exceeded" error: a loop bomb in an answer template used to render for
 * over a minute and 4 GB.
 */
import { type FilterImplOptions, Liquid, type LiquidOptions } from 'liquidjs';

export const TEMPLATE_LIMITS = {
  /** Characters per parse: a template is part of a spec file, and a spec file holds at most 1 MiB. */
  parseLimit: 1024 * 1024,
  /**
   * Milliseconds per render. liquidjs renders without yielding to the event loop, so this is also how long one
   * answer may hold the server (Slack waits 3 s for its acknowledgement), where an answer takes milliseconds.
   */
  renderLimit: 1000,
  /**
   * What liquidjs charges per render for ranges, array filters and string building, in elements or characters:
   * 10 million is 250 times Slack's 40,000-character message limit.
   */
  memoryLimit: 10_000_000,
} as const satisfies LiquidOptions;

/**
 * Iterations that loops over literal ranges (`(1..n)`, nested: the product) may ask for, checked by `validate`.
 * A literal range stands in for rows, and no tool returns more than 10,000 of them (`max_rows`).
 */
export const MAX_LITERAL_ITERATIONS = 10_000;

/** The filters the spec language adds to liquidjs's (compiler/SPEC_FORMAT.md, under Agent). */
export const SPEC_FILTERS = ['money', 'percent', 'date', 'days_from_now', 'table', 'plural', 'measure', 'metric_table'] as const;
export type SpecFilter = (typeof SPEC_FILTERS)[number];

/** liquidjs tags that read another template by name. */
export const FILE_TAGS = ['include', 'render', 'layout'] as const;

export function createLiquid(filters: Record<SpecFilter, FilterImplOptions>, options: LiquidOptions = {}): Liquid {
  const liquid = new Liquid({ ...options, templates: {}, ownPropertyOnly: true, strictFilters: true, ...TEMPLATE_LIMITS });
  for (const tag of FILE_TAGS) delete liquid.tags[tag];
  for (const name of SPEC_FILTERS) liquid.registerFilter(name, filters[name]);
  return liquid;
}
