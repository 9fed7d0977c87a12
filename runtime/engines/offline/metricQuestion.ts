/**
 * A question read as a metric query: the measure it names (its name or a synonym, longest match first), the
 * dimensions to group by ("by region", "which rep", "accounts at …"), filters (dimension values the question names,
 * matched whole against the warehouse's values; amount thresholds; a percent threshold on the measure), the period
 * and a second period to compare ("compare Q3 and Q4", "Q1 vs Q2"), and "top/bottom N". What the question says
 * and this reading cannot use is listed in `unread`, so the answer can say so instead of dropping it.
 */
import type { ManifestMetricModel } from '../../../compiler/manifest.ts';
import type { Comparison, MetricFilter } from '../../tools/metrics/metricQuery.ts';
import type { DimensionValues } from './dimensionValues.ts';
import type { Question } from './question.ts';

export interface MetricReading {
  measure: string;
  /** The measure's format (money, count, percent, days): what kind of figure the answer is. */
  format: string;
  groupBy: string[];
  filters: MetricFilter[];
  period?: { start: string; end: string };
  compare?: { start: string; end: string };
  limit?: number;
  order: 'top' | 'bottom';
  /** Where the question names the measure and each group, so a breakdown it asks for can be checked against them. */
  spans: { measure: Span; groups: Span[] };
  /** Other measures the question names, as typed ("pipeline" beside "weighted pipeline"): one is computed per call. */
  otherMeasures: string[];
}

export interface MetricReader {
  /** `measure`: the one to read it with when the question names none ("and by region?" after a figure). */
  read(question: Question, measure?: string): MetricReading | undefined;
  /** The question asks for a figure the layer defines, narrowed or grouped, rather than an analysis or a report. */
  asksForFigure(question: Question): boolean;
}

// "which"/"who" ask for a figure only with something to group by ("which rep has the most pipeline"): "who is using
// more than they pay for" asks for customers, which one utilisation figure does not name.
const FIGURE_CUE = /\b(how much|how many|what'?s our|what is our|what was our|total|average|avg|number of|count|top|bottom|compare[ds]?|vs\.?|versus)\b/iu;
const REPORT_CUE = /\b(analy[sz]e|analysis|trends?|look like|performance|risks?|churn|expansion opportunit|signals?|health|breakdown of risk)\b/iu;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
const phrase = (words: string): RegExp => new RegExp(`(?<![\\p{L}\\p{N}])${escape(words.toLowerCase()).replace(/\s+/gu, '[\\s-]+')}(?![\\p{L}\\p{N}])`, 'giu');

export interface Span {
  from: number;
  to: number;
}
const overlaps = (a: Span, b: Span): boolean => a.from < b.to && b.from < a.to;

/** Where a table.column lives for a dimension (the entity index is keyed so). */
const GROUP_CUE = /(?:\bby|\bper|\beach|\bevery|\bacross|\bwhich|\bwhat|\bwho(?:se)?|\btop(?:\s+\d+)?|\bbottom(?:\s+\d+)?|\bbest|\bworst|\bbiggest|\blargest|\bsmallest)\s+$/iu;
const MORE = /\b(over|above|more than|greater than|bigger than|larger than|at least|exceeding|>=?)\s*$/iu;
const LESS = /\b(under|below|less than|smaller than|at most|<=?)\s*$/iu;
const COMPARE_CUE = /\b(compare[ds]?|comparison|vs\.?|versus|against)\b/iu;
const BOTTOM_CUE = /\b(bottom|least|lowest|smallest|worst|fewest)\b/iu;
const TOP_N = /\b(?:top|bottom|best|worst)\s+(\d{1,3})\b/iu;
const LISTED = /^\s*(?:,|and|&|plus|as well as|,\s*and)\s*$/u;
/** The forms a question uses for a measure's qualifying word. */
const WORD_FORMS: Record<string, string> = { won: 'won|win|wins', lost: 'lost|lose|losses' };
/** A question about deals lost, which only a measure of lost deals answers. */
export const LOST_CUE = /\b(?:lost|lose|losing|losses)\b/iu;
const PERCENT = /(\d{1,3}(?:\.\d+)?)\s*(?:%|percent\b)/giu;

export function createMetricReader(models: readonly ManifestMetricModel[], values: DimensionValues | undefined): MetricReader {
  const measures = models.flatMap((model) => model.measures.flatMap((m) =>
    [m.name.replace(/_/gu, ' '), ...m.synonyms].map((words) => ({ model, measure: m.name, words, re: phrase(words) }))))
    .sort((a, b) => b.words.length - a.words.length);

  /** Measures listed beside the one read, longest first, none inside another. */
  function otherMeasures(text: string, taken: Span, measure: string): string[] {
    const spans: Span[] = [taken];
    const out: string[] = [];
    for (const m of measures) {
      if (m.measure === measure) continue;
      for (const hit of text.matchAll(m.re)) {
        const span = { from: hit.index, to: hit.index + hit[0].length };
        if (spans.some((s) => overlaps(s, span))) continue;
        // Only a measure listed beside another ("pipeline and weighted pipeline"): "won" in "win rate of deals won"
        // qualifies the measure, it is not a second one.
        const between = (a: Span, b: Span): string => (a.to <= b.from ? text.slice(a.to, b.from) : text.slice(b.to, a.from));
        if (!spans.some((s) => LISTED.test(between(s, span)))) continue;
        spans.push(span);
        out.push(hit[0]);
      }
    }
    return out;
  }

  const isMeasureWord = (words: string): boolean => measures.some((m) => m.words.toLowerCase() === words.toLowerCase());

  function findMeasure(text: string): { model: ManifestMetricModel; measure: string; span: Span } | undefined {
    let best: { model: ManifestMetricModel; measure: string; span: Span; length: number } | undefined;
    for (const m of measures) {
      for (const hit of text.matchAll(m.re)) {
        const span = { from: hit.index, to: hit.index + hit[0].length };
        if (!best || span.to - span.from > best.length) best = { model: m.model, measure: m.measure, span, length: span.to - span.from };
      }
    }
    return best && { ...best, measure: refined(best.model, best.measure, text) };
  }

  /**
   * "how many deals did we win" / "did we lose": a measure named `<word>_<measure>` (won_deal_count,
   * lost_deal_count) when the question says the word in one of its forms.
   */
  function refined(model: ManifestMetricModel, measure: string, text: string): string {
    for (const m of model.measures) {
      if (!m.name.endsWith(`_${measure}`)) continue;
      const word = m.name.slice(0, -measure.length - 1);
      const forms = WORD_FORMS[word] ?? escape(word);
      if (new RegExp(`\\b(?:${forms})\\b`, 'iu').test(text)) return m.name;
    }
    return measure;
  }

  function groups(text: string, model: ManifestMetricModel, taken: Span[]): { names: string[]; spans: Span[] } {
    const names: string[] = [];
    const spans: Span[] = [];
    const candidates = model.dimensions.filter((d) => d.type === 'string').flatMap((d) =>
      [d.name.replace(/_/gu, ' '), ...d.synonyms].map((w) => ({ d, re: phrase(w) })));
    const grains: Array<[RegExp, string]> = [[/\b(?:by|per|each|every)\s+(month|quarter|week|day|year|fiscal year)\b|\b(monthly|quarterly|weekly|daily|yearly|annually)\b/giu, '']];
    for (const [re] of grains) for (const m of text.matchAll(re)) {
      const word = (m[1] ?? m[2] ?? '').toLowerCase();
      const grain = ({ monthly: 'month', quarterly: 'quarter', weekly: 'week', daily: 'day', yearly: 'year', annually: 'year', 'fiscal year': 'fiscal_year' } as Record<string, string>)[word] ?? word;
      if (!names.includes(grain)) names.push(grain);
      spans.push({ from: m.index, to: m.index + m[0].length });
    }
    for (const { d, re } of candidates) {
      for (const m of text.matchAll(re)) {
        const span = { from: m.index, to: m.index + m[0].length };
        if (taken.some((t) => overlaps(t, span)) || names.includes(d.name)) continue;
        const before = text.slice(0, m.index);
        // "accounts at 85% of their seats": a plural dimension word that opens the question names the groups.
        const leading = before.trim() === '' && /s$/iu.test(m[0]);
        if (GROUP_CUE.test(before) || leading) {
          names.push(d.name);
          spans.push(span);
        }
      }
    }
    return { names, spans };
  }

  function valueFilters(q: Question, model: ManifestMetricModel, taken: Span[]): MetricFilter[] {
    if (!values) return [];
    const text = q.text.toLowerCase();
    const found = new Map<string, Set<string>>();
    const used: Span[] = [];
    for (const m of values.find(model, q.text)) {
      if (taken.some((t) => overlaps(t, m))) continue;
      const same = used.find((u) => overlaps(u, m));
      if (same) continue;
      // One value in several dimensions ("Commit" is a forecast category and a customer type): the dimension the
      // words beside it name ("Commit customers"), else the first in spec order.
      const owners = values.find(model, q.text).filter((o) => o.from === m.from && o.to === m.to);
      const near = text.slice(Math.max(0, m.from - 20), m.to + 25);
      const named = owners.find((o) => o.dimension.split('_').some((w) => w.length > 3 && near.includes(w)));
      // A value that is also a measure's name ("Pipeline" the forecast category, in "pipeline and weighted
      // pipeline") is the measure unless the dimension is named beside it.
      if (!named && isMeasureWord(q.text.slice(m.from, m.to))) continue;
      const pick = named ?? owners[0] ?? m;
      found.set(pick.dimension, (found.get(pick.dimension) ?? new Set()).add(pick.value));
      used.push(m);
    }
    return [...found].map(([dimension, set]) => ({ dimension, values: [...set] }));
  }

  function thresholds(q: Question, model: ManifestMetricModel, format: string): MetricFilter[] {
    const out: MetricFilter[] = [];
    const amount = model.dimensions.find((d) => d.type === 'number');
    for (const n of q.numbers) {
      if (!n.money || !amount) continue;
      const before = q.text.slice(0, n.from);
      const op: Comparison | undefined = MORE.test(before) ? '>' : LESS.test(before) ? '<' : undefined;
      if (op) out.push({ dimension: amount.name, op, value: n.value });
    }
    if (format === 'percent') {
      for (const m of q.text.matchAll(PERCENT)) {
        const before = q.text.slice(0, m.index);
        out.push({ dimension: 'value', op: LESS.test(before) ? '<' : '>=', value: Number(m[1]) });
      }
    }
    return out;
  }

  const read = (q: Question, measure?: string): MetricReading | undefined => reader(q, measure);
  return {
    read,
    asksForFigure(q) {
      const r = read(q);
      // Read on the terms too, where "needs attention" is a risk.
      if (!r || REPORT_CUE.test(q.text) || REPORT_CUE.test(q.terms.join(' '))) return false;
      return r.groupBy.length > 0 || r.filters.length > 0 || r.compare !== undefined || FIGURE_CUE.test(q.text);
    },
  };

  /** A measure by name, read as if the question named it nowhere. */
  function named(measure: string): { model: ManifestMetricModel; measure: string; span: Span } | undefined {
    const model = models.find((m) => m.measures.some((x) => x.name === measure));
    return model && { model, measure, span: { from: 0, to: 0 } };
  }

  function reader(q: Question, carried?: string): MetricReading | undefined {
    {
      const text = q.text.toLowerCase();
      const found = findMeasure(text) ?? (carried ? named(carried) : undefined);
      if (!found) return undefined;
      const { model } = found;
      const measure = model.measures.find((m) => m.name === found.measure)!;
      const dates = q.dates.filter((d) => !overlaps(d, found.span));
      const taken: Span[] = [found.span, ...dates];
      const grouped = groups(text, model, taken);
      const filters = [...valueFilters(q, model, [...taken, ...grouped.spans]), ...thresholds(q, model, measure.format)];
      const compareCue = COMPARE_CUE.test(text);
      const compare = dates.length >= 2 && compareCue;
      const topN = TOP_N.exec(text);
      return {
        measure: measure.name,
        format: measure.format,
        groupBy: compareCue && !compare ? [...grouped.names, ...comparedValues(filters, grouped.names)] : grouped.names,
        filters,
        ...(dates[0] ? { period: { start: dates[0].start, end: dates[0].end } } : {}),
        ...(compare ? { compare: { start: dates[1]!.start, end: dates[1]!.end } } : {}),
        ...(topN ? { limit: Number(topN[1]) } : {}),
        order: BOTTOM_CUE.test(text) ? 'bottom' : 'top',
        spans: { measure: found.span, groups: grouped.spans },
        otherMeasures: otherMeasures(text, found.span, measure.name),
      };
    }
  }
}

/**
 * "EMEA vs APAC": two values of one dimension set against each other are a breakdown by it (kept to those values),
 * not one figure over both.
 */
const comparedValues = (filters: MetricFilter[], grouped: string[]): string[] =>
  filters.flatMap((f) => ('values' in f && f.values.length >= 2 && !grouped.includes(f.dimension) ? [f.dimension] : []));

/** A reading as the `query_metrics` tool's parameters. */
export function metricParams(r: MetricReading): Record<string, string | number> {
  const filters = r.filters.map((f) => ('values' in f ? `${f.dimension} = ${f.values.join(' | ')}` : `${f.dimension} ${f.op} ${f.value}`));
  return {
    measure: r.measure,
    ...(r.groupBy.length ? { group_by: r.groupBy.join(', ') } : {}),
    ...(filters.length ? { filters: filters.join('; ') } : {}),
    ...(r.period ? { period: `${r.period.start}..${r.period.end}` } : {}),
    ...(r.compare ? { compare: `${r.compare.start}..${r.compare.end}` } : {}),
    ...(r.limit ? { limit: r.limit } : {}),
    ...(r.order === 'bottom' ? { order: 'bottom' } : {}),
  };
}

/**
 * A metrics call's parameters spelt out one qualifier per name (`region: "EMEA"`, `amount: 500000`,
 * `period_start`…), so the check that every qualifier of the question reached a tool reads them like any other
 * tool's parameters.
 */
export function appliedByMetric(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...params };
  for (const condition of String(params.filters ?? '').split(';').map((f) => f.trim()).filter(Boolean)) {
    const m = /^(\w+)\s*(>=|<=|>|<|=)\s*(.+)$/u.exec(condition);
    if (!m) continue;
    out[m[1]!] = m[2] === '=' ? m[3]!.split('|').map((v) => v.trim()).join(', ') : Number(m[3]);
  }
  for (const [name, key] of [['period', 'period'], ['compare', 'compare']] as const) {
    const [start, end] = String(params[name] ?? '').split('..');
    if (start && end) Object.assign(out, { [`${key}_start`]: start, [`${key}_end`]: end });
  }
  return out;
}
