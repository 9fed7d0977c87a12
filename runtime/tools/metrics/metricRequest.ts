/**
 * The `query_metrics` parameters (plain strings a model or a command line writes) -> a MetricQuery checked against
 * the layer. Every mistake is an `invalid_parameter` failure naming the field and what it accepts.
 */
import type { ManifestMetricModel } from '../../../compiler/manifest.ts';
import { TIME_GRAINS } from '../../../compiler/manifest.ts';
import type { CheckedParams } from '../parameters.ts';
import { suggestName } from '../suggestName.ts';
import { ToolFailure } from '../toolFailure.ts';
import { type Comparison, DEFAULT_METRIC_ROWS, type DateRange, dimensionOf, findMeasure, isTimeGrain, MAX_METRIC_ROWS, type MetricFilter, type MetricQuery, type ResolvedMeasure } from './metricQuery.ts';

const invalid = (field: string, message: string): ToolFailure => new ToolFailure('invalid_parameter', `${field}: ${message}`);
const hint = (name: string, known: readonly string[]): string => {
  const s = suggestName(name, known);
  return s ? ` Did you mean ${s}?` : '';
};

const ISO = /^\d{4}-\d{2}-\d{2}$/u;

export function parsePeriod(field: string, text: string | undefined): DateRange | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const [start, end, extra] = text.split('..').map((s) => s.trim());
  if (!start || !end || extra !== undefined || !ISO.test(start) || !ISO.test(end) || Number.isNaN(Date.parse(start)) || Number.isNaN(Date.parse(end))) {
    throw invalid(field, `"${text}" is not a period; write YYYY-MM-DD..YYYY-MM-DD (e.g. 2027-01-01..2027-03-31).`);
  }
  if (start > end) throw invalid(field, `the period starts (${start}) after it ends (${end}).`);
  return { start, end };
}

const FILTER = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(>=|<=|>|<|=)\s*(.+?)\s*$/u;

function parseFilter(model: ManifestMetricModel, text: string): MetricFilter {
  const m = FILTER.exec(text);
  const names = model.dimensions.map((d) => d.name);
  if (!m) throw invalid('filters', `"${text}" is not a condition; write dimension = value or amount > 500000.`);
  const [, name, op, raw] = m as unknown as [string, string, string, string];
  if (name === 'value') {
    if (op === '=' || !Number.isFinite(Number(raw))) throw invalid('filters', `"${text}": the measure is compared with a number (value >= 85).`);
    return { dimension: 'value', op: op as Comparison, value: Number(raw) };
  }
  const dimension = dimensionOf(model, name);
  if (!dimension) throw invalid('filters', `no dimension ${name} for this measure.${hint(name, names)} Dimensions: ${names.join(', ')}.`);
  if (dimension.type === 'number') {
    const value = Number(raw.replace(/[$,_]/gu, ''));
    if (op === '=' || !Number.isFinite(value)) throw invalid('filters', `"${text}": ${name} is a number; compare it with > >= < <= and a number.`);
    return { dimension: name, op: op as Comparison, value };
  }
  if (op !== '=') throw invalid('filters', `"${text}": ${name} takes values (${name} = a | b), not a comparison.`);
  return { dimension: name, values: raw.split('|').map((v) => v.trim()).filter(Boolean) };
}

export function parseMetricRequest(models: readonly ManifestMetricModel[], params: CheckedParams): { query: MetricQuery; resolved: ResolvedMeasure } {
  const measure = String(params.measure ?? '');
  const resolved = findMeasure(models, measure);
  const measures = models.flatMap((m) => m.measures.map((x) => x.name));
  if (!resolved) throw invalid('measure', `no measure ${measure}.${hint(measure, measures)} Measures: ${measures.join(', ')}.`);
  const groupable = [...resolved.model.dimensions.filter((d) => d.type === 'string').map((d) => d.name), ...TIME_GRAINS];
  const groupBy = String(params.group_by ?? '').split(',').map((g) => g.trim()).filter(Boolean);
  for (const g of groupBy) {
    if (!groupable.includes(g) && !isTimeGrain(g)) throw invalid('group_by', `${measure} cannot be grouped by ${g}.${hint(g, groupable)} Allowed: ${groupable.join(', ')}.`);
  }
  const filters = String(params.filters ?? '').split(';').map((f) => f.trim()).filter(Boolean).map((f) => parseFilter(resolved.model, f));
  const limit = params.limit === undefined ? DEFAULT_METRIC_ROWS : Number(params.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_METRIC_ROWS) throw invalid('limit', `${params.limit} is not a whole number from 1 to ${MAX_METRIC_ROWS}.`);
  const order = params.order === 'bottom' ? 'bottom' : 'top';
  const period = parsePeriod('period', params.period === undefined ? undefined : String(params.period));
  const compare = parsePeriod('compare', params.compare === undefined ? undefined : String(params.compare));
  if (compare && !period) throw invalid('compare', 'a comparison needs a period to compare with; set period as well.');
  return { query: { measure, groupBy, filters, ...(period ? { period } : {}), ...(compare ? { compare } : {}), limit, order }, resolved };
}
