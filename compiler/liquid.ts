/**
 * The one Liquid configuration of the spec language: `revops validate` checks skill templates with it and the offline
 * engine renders them with it (runtime imports it as it imports manifest.ts: what validates is what renders). No filesystem (`templates: {}`: include/render/layout look only in an empty in-memory map, so a
 * spec cannot read files, and static analysis follows no partial) and no inherited properties. The limits end a
 * runaway template with liquidjs's "… limit exceeded" error: a loop bomb in an answer template used to render for
 * over a minute and 4 GB.
 */
import { Liquid, type LiquidOptions } from 'liquidjs';

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

export const createLiquid = (options: LiquidOptions = {}): Liquid =>
  new Liquid({ ...options, templates: {}, ownPropertyOnly: true, ...TEMPLATE_LIMITS });
