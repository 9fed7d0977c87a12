/**
 * Answer filters for metric results: `measure` writes a value as its measure's format says ($2.1M, 42%, 31 days,
 * 1,204), `metric_table` turns a `query_metrics` step into a small Markdown table (group columns, then the value,
 * and for a comparison both periods and the change). A missing value is "n/a", never a made-up zero.
 */
import { date, money, percent } from './filters.ts';

const MISSING = 'n/a';
const missing = (v: unknown): boolean => v === null || v === undefined || v === '' || Number.isNaN(Number(v));

/**
 * `change`: the value is a difference between two periods. A difference of two percentages is in points: a win rate
 * from 55% to 51% fell 4 pts, which is not 4% of 55%.
 */
export function formatMeasure(value: unknown, format: unknown, change = false): string {
  if (missing(value)) return MISSING;
  const n = Number(value);
  switch (format) {
    case 'money': return money(n);
    case 'percent': {
      const text = percent(n, Math.abs(n) < 10 && !Number.isInteger(n) ? 1 : 0);
      return change ? text.replace(/%$/u, ' pts') : text;
    }
    case 'days': return `${Math.round(n).toLocaleString('en-US')} days`;
    case 'count': return Math.round(n).toLocaleString('en-US');
    default: return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 1 });
  }
}

const cell = (v: unknown): string => (v === null || v === undefined || v === '' ? MISSING : /^\d{4}-\d{2}-\d{2}$/u.test(String(v)) ? date(v) : String(v).replace(/\|/gu, '\\|'));
const header = (name: string): string => {
  const w = name.replace(/_/gu, ' ');
  return w.charAt(0).toUpperCase() + w.slice(1);
};

interface StepView {
  rows?: Array<Record<string, unknown>>;
  columns?: Array<{ name: string }>;
  totals?: Record<string, unknown>;
}

/**
 * Every row the step returned, unless `rowsShown` asks for fewer; then a last line says how many of them the table
 * shows, so a template's "All 16 groups:" above it is never a table of 10.
 */
export function metricTable(step: unknown, rowsShown?: number): string {
  const { rows = [], columns = [], totals = {} } = (step ?? {}) as StepView;
  const groups = columns.map((c) => c.name).filter((n) => !['value', 'records', 'compare_value', 'change', 'change_pct'].includes(n));
  if (rows.length === 0 || groups.length === 0) return '';
  const compare = columns.some((c) => c.name === 'compare_value');
  const fmt = (v: unknown): string => formatMeasure(v, totals.format);
  const heads = [...groups.map(header), compare ? String(totals.period ?? 'Period') : String(totals.title ?? 'Value'),
    ...(compare ? [String(totals.compare_period ?? 'Compared with'), totals.change_from ? `Change, ${String(totals.change_from)} to ${String(totals.change_to)}` : 'Change'] : [])];
  const lines = [`| ${heads.join(' | ')} |`, `| ${heads.map(() => '---').join(' | ')} |`];
  const shown = rowsShown === undefined || !Number.isFinite(Number(rowsShown)) ? rows.length : Math.max(1, Math.floor(Number(rowsShown)));
  for (const r of rows.slice(0, shown)) {
    const difference = formatMeasure(r.change, totals.format, true);
    const change = compare ? [fmt(r.compare_value), r.change_pct === null || r.change_pct === undefined ? difference : `${difference} (${percent(r.change_pct)})`] : [];
    lines.push(`| ${[...groups.map((g) => cell(r[g])), fmt(r.value), ...change].join(' | ')} |`);
  }
  if (shown < rows.length) lines.push('', `_The first ${shown} of these ${rows.length} rows._`);
  return lines.join('\n');
}
