/** What a metric query computed, in one line an answer can quote: the measure, period, comparison and filters. */
import type { MetricFilter, MetricQuery, ResolvedMeasure } from './metricQuery.ts';

const filterText = (f: MetricFilter): string =>
  'values' in f ? `${f.dimension.replace(/_/gu, ' ')} ${f.values.join(' or ')}`
  : `${f.dimension === 'value' ? 'value' : f.dimension.replace(/_/gu, ' ')} ${f.op} ${f.value}`;

export function describeMetricQuery({ model, measure }: ResolvedMeasure, q: MetricQuery): string {
  const period = q.period ? `${model.time.description} ${q.period.start} to ${q.period.end}` : model.time.snapshot ? `latest ${model.time.description}` : 'all time';
  const parts = [measure.description, period];
  if (q.compare) parts.push(`compared with ${q.compare.start} to ${q.compare.end}`);
  if (q.filters.length) parts.push(`filtered by ${q.filters.map(filterText).join(', ')}`);
  if (q.groupBy.length) parts.push(`by ${q.groupBy.join(', ').replace(/_/gu, ' ')}`);
  return parts.join('; ');
}
