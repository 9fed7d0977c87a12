/**
 * Kind `metrics`: answers one measure from the layer in the tool's manifest entry. Runs the grouped statement and
 * the total for the period (and for the comparison period), and hands back rows with the change between periods
 * (from the earlier period to the later, whichever the question named first: "this quarter vs last quarter" is a
 * fall when this quarter is lower), totals over every matching record, and `totals.query`, a line saying what was computed (measure, period,
 * filters), so an answer can state them. Rows and totals go to a model as JSON, like any table tool's.
 */
import type { MetricsTool } from '../../../compiler/manifest.ts';
import type { QueryColumn, Row, SqlValue, Warehouse } from '../../warehouse/warehouse.ts';
import { WarehouseError } from '../../warehouse/warehouse.ts';
import type { KindExecutor } from '../executor.ts';
import { fromWarehouseError, ToolFailure } from '../toolFailure.ts';
import { buildMetricSql } from './buildMetricSql.ts';
import { describeMetricQuery } from './describeMetricQuery.ts';
import type { DateRange, MetricQuery, ResolvedMeasure } from './metricQuery.ts';
import { parseMetricRequest } from './metricRequest.ts';

interface PeriodResult {
  rows: Row[];
  total: Row;
}

async function runPeriod(warehouse: Warehouse, tool: MetricsTool, resolved: ResolvedMeasure, query: MetricQuery, period: DateRange | undefined): Promise<PeriodResult> {
  const statement = buildMetricSql(resolved, query, period, tool.metrics.fiscalYearStartMonth);
  const options = { params: statement.params, timeoutMs: tool.timeoutMs };
  const [rows, total] = await Promise.all([
    warehouse.query(statement.sql, { ...options, maxRows: tool.maxRows }),
    warehouse.query(statement.totalSql, options),
  ]);
  return { rows: rows.rows, total: total.rows[0] ?? { value: null, records: 0, groups: 0 } };
}

const num = (v: SqlValue | undefined): number | null => (typeof v === 'number' ? v : null);

/** Whether the comparison period comes first in time, so the change runs from it to the period. */
const compareIsEarlier = (period: DateRange, compare: DateRange): boolean =>
  compare.start < period.start || (compare.start === period.start && compare.end < period.end);

/** The change from the earlier period's value to the later's, given as the period's and the comparison's values. */
function changeBetween(value: number | null, compareValue: number | null, compareFirst: boolean): { change: number | null; change_pct: number | null } {
  const [before, after] = compareFirst ? [compareValue, value] : [value, compareValue];
  return {
    change: after !== null && before !== null ? after - before : null,
    change_pct: after !== null && before !== null && before !== 0 ? (100 * (after - before)) / Math.abs(before) : null,
  };
}

/** The comparison's rows: one per group of either period, the first period's value against the second's. */
function merge(query: MetricQuery, first: PeriodResult, second: PeriodResult, compareFirst: boolean): Row[] {
  const key = (r: Row): string => JSON.stringify(query.groupBy.map((g) => r[g]));
  const byKey = new Map<string, Row>();
  for (const r of first.rows) byKey.set(key(r), { ...Object.fromEntries(query.groupBy.map((g) => [g, r[g]!])), value: r.value!, compare_value: null });
  for (const r of second.rows) {
    const row = byKey.get(key(r)) ?? { ...Object.fromEntries(query.groupBy.map((g) => [g, r[g]!])), value: null };
    row.compare_value = r.value!;
    byKey.set(key(r), row);
  }
  return [...byKey.values()].map((r) => ({ ...r, ...changeBetween(num(r.value), num(r.compare_value), compareFirst) }));
}

export const runMetrics: KindExecutor<'metrics'> = async (tool, params, ctx) => {
  if (!tool.metrics || tool.metrics.models.length === 0) throw new ToolFailure('not_configured', `Tool ${tool.name} has kind metrics but the project defines no metrics (specs/metrics).`);
  const { query, resolved } = parseMetricRequest(tool.metrics.models, params);
  try {
    const first = await runPeriod(ctx.warehouse, tool, resolved, query, query.period);
    const second = query.compare ? await runPeriod(ctx.warehouse, tool, resolved, query, query.compare) : undefined;
    const compareFirst = query.period !== undefined && query.compare !== undefined && compareIsEarlier(query.period, query.compare);
    const rows = second ? merge(query, first, second, compareFirst) : first.rows;
    const columns: QueryColumn[] = [...query.groupBy.map((name) => ({ name, type: 'VARCHAR' })), { name: 'value', type: 'DOUBLE' },
      ...(second ? [{ name: 'compare_value', type: 'DOUBLE' }, { name: 'change', type: 'DOUBLE' }, { name: 'change_pct', type: 'DOUBLE' }] : [{ name: 'records', type: 'BIGINT' }])];
    const described = describeMetricQuery(resolved, query, tool.metrics.fiscalYearStartMonth);
    const totals: Record<string, SqlValue> = {
      measure: resolved.measure.name, format: resolved.measure.format, title: described.title, query: described.text, period: described.period,
      filters: described.filters, record_noun: resolved.model.records, value: first.total.value ?? null, records: first.total.records ?? 0,
    };
    if (second && described.compare) {
      totals.compare_period = described.compare;
      totals.compare_value = second.total.value ?? null;
      totals.compare_records = second.total.records ?? 0;
      totals.change_from = compareFirst ? described.compare : described.period;
      totals.change_to = compareFirst ? described.period : described.compare;
      Object.assign(totals, changeBetween(num(first.total.value), num(second.total.value), compareFirst));
    }
    const groups = Number(first.total.groups ?? 0);
    const totalRows = query.groupBy.length ? Math.max(groups, second ? rows.length : 0) : rows.length;
    return { columns, rows, totals, totalRows, truncated: rows.length < totalRows };
  } catch (error) {
    throw error instanceof WarehouseError ? fromWarehouseError(error, false) : error;
  }
};
