/** What a metric query computed, in words an answer can quote: the measure, the period(s) and the filters. */
import type { DateRange, MetricFilter, MetricQuery, ResolvedMeasure } from './metricQuery.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const day = (iso: string): string => `${MONTHS[Number(iso.slice(5, 7)) - 1]} ${Number(iso.slice(8, 10))}, ${iso.slice(0, 4)}`;
const lastDay = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** "Q3 2026: Jul 1, 2026 to Sep 30, 2026" for a whole fiscal quarter, "2026: …" for a whole fiscal year, else the days. */
export function periodLabel(p: DateRange, fiscalStart = 1): string {
  const days = `${day(p.start)} to ${day(p.end)}`;
  const [sy, sm, sd] = p.start.split('-').map(Number) as [number, number, number];
  const [ey, em, ed] = p.end.split('-').map(Number) as [number, number, number];
  const span = (ey - sy) * 12 + em - sm + 1;
  const aligned = sd === 1 && ed === lastDay(ey, em) && (sm - fiscalStart + 12) % 3 === 0;
  const fy = fiscalStart === 1 ? `${ey}` : `FY${ey + (em >= fiscalStart ? 1 : 0)}`;
  if (aligned && span === 3) return `Q${Math.floor(((sm - fiscalStart + 12) % 12) / 3) + 1} ${fy}: ${days}`;
  if (aligned && span === 12 && sm === fiscalStart) return `${fy}: ${days}`;
  return days;
}

const words = (name: string): string => name.replace(/_/gu, ' ');
const filterText = (f: MetricFilter): string =>
  'values' in f ? `${words(f.dimension)} ${f.values.join(' or ')}` : `${f.dimension === 'value' ? 'value' : words(f.dimension)} ${f.op} ${f.value.toLocaleString('en-US')}`;

export interface MetricDescription {
  /** "Closed won" */
  title: string;
  /** "close date Jan 1, 2027 to Mar 31, 2027", "latest usage month", "all time" */
  period: string;
  compare?: string;
  /** "region EMEA, amount > 500,000"; empty when none. */
  filters: string;
  /** The whole line: measure definition, period, comparison, filters, grouping. */
  text: string;
}

export function describeMetricQuery({ model, measure }: ResolvedMeasure, q: MetricQuery, fiscalStart = 1): MetricDescription {
  const period = q.period ? `${model.time.description} ${periodLabel(q.period, fiscalStart)}` : model.time.snapshot ? `latest ${model.time.description}` : 'all time';
  const compare = q.compare ? `${model.time.description} ${periodLabel(q.compare, fiscalStart)}` : undefined;
  const filters = q.filters.map(filterText).join(', ');
  const parts = [measure.description, compare ? `${period} compared with ${compare}` : period];
  if (filters) parts.push(`filtered by ${filters}`);
  if (q.groupBy.length) parts.push(`by ${words(q.groupBy.join(', '))}`);
  const title = words(measure.name);
  return { title: title.charAt(0).toUpperCase() + title.slice(1), period, ...(compare ? { compare } : {}), filters, text: parts.join('; ') };
}
