/**
 * The SQL of a metric query, built from the definitions alone: the measure's expression and filters, the
 * dimensions' columns and joins, the time column. Every value that comes from a question is a bound `:name`
 * parameter; what is spliced in is spec text and names checked against the layer. One statement per period (a
 * comparison has two); each returns the grouped rows, and `totalSql` the measure over every matching record.
 */
import type { ManifestMetricModel, TimeGrain } from '../../../compiler/manifest.ts';
import type { SqlValue } from '../../warehouse/warehouse.ts';
import { type DateRange, dimensionOf, isTimeGrain, type MetricFilter, type MetricQuery, type ResolvedMeasure } from './metricQuery.ts';

export interface MetricStatement {
  /** Grouped rows: one column per group-by name, then `value` and `records`, ordered, at most `limit` rows. */
  sql: string;
  /** One row: `value` over every matching record, `records` and `groups` (how many groups matched in all). */
  totalSql: string;
  params: Record<string, SqlValue>;
}

/** DuckDB's grain expressions; quarters and fiscal years follow the fiscal-year start month. */
function grainSql(grain: TimeGrain, column: string, fiscalStart: number): string {
  const shift = (fiscalStart - 1) % 3;
  switch (grain) {
    case 'day': return `CAST(${column} AS DATE)`;
    case 'week': return `CAST(DATE_TRUNC('week', ${column}) AS DATE)`;
    case 'month': return `CAST(DATE_TRUNC('month', ${column}) AS DATE)`;
    case 'quarter': return shift === 0 ? `CAST(DATE_TRUNC('quarter', ${column}) AS DATE)`
      : `CAST(DATE_TRUNC('quarter', ${column} - INTERVAL ${shift} MONTH) + INTERVAL ${shift} MONTH AS DATE)`;
    case 'year': return `YEAR(${column})`;
    // Labelled by the calendar year the fiscal year ends in (FY2026 starts Feb 2025 when it starts in February).
    case 'fiscal_year': return fiscalStart === 1 ? `YEAR(${column})` : `YEAR(${column} + INTERVAL ${13 - fiscalStart} MONTH)`;
  }
}

const OPS = new Set(['>', '>=', '<', '<=']);

interface Pieces {
  groups: Array<{ name: string; sql: string }>;
  joins: Set<string>;
  where: string[];
  having: string[];
  params: Record<string, SqlValue>;
}

function columnSql(model: ManifestMetricModel, name: string): { sql: string; join?: string; type: 'string' | 'number' } {
  const d = dimensionOf(model, name);
  if (!d) throw new Error(`measure model ${model.name} has no dimension ${name}`);
  return { sql: `${d.join ?? model.table}.${d.column}`, ...(d.join ? { join: d.join } : {}), type: d.type };
}

function filterSql(model: ManifestMetricModel, filter: MetricFilter, i: number, into: Pieces): void {
  if ('values' in filter) {
    const col = columnSql(model, filter.dimension);
    if (col.join) into.joins.add(col.join);
    const names = filter.values.map((v, j) => {
      into.params[`f${i}_${j}`] = v.toLowerCase();
      return `:f${i}_${j}`;
    });
    into.where.push(`LOWER(CAST(${col.sql} AS VARCHAR)) IN (${names.join(', ')})`);
    return;
  }
  if (!OPS.has(filter.op)) throw new Error(`unknown comparison ${filter.op}`);
  into.params[`f${i}`] = filter.value;
  if (filter.dimension === 'value') {
    into.having.push(`value ${filter.op} :f${i}`);
    return;
  }
  const col = columnSql(model, filter.dimension);
  if (col.join) into.joins.add(col.join);
  into.where.push(`${col.sql} ${filter.op} :f${i}`);
}

function periodSql(model: ManifestMetricModel, period: DateRange | undefined, into: Pieces): void {
  const time = `${model.table}.${model.time.column}`;
  if (period) {
    into.params.period_start = period.start;
    into.params.period_end = period.end;
  }
  const inPeriod = period ? `${time} BETWEEN :period_start AND :period_end` : undefined;
  if (model.time.snapshot) {
    // A snapshot (monthly seats) is read at the latest time in the period, never summed across periods.
    into.where.push(`${time} = (SELECT MAX(${model.time.column}) FROM ${model.table}${inPeriod ? ` WHERE ${model.time.column} BETWEEN :period_start AND :period_end` : ''})`);
  } else if (inPeriod) {
    into.where.push(inPeriod);
  }
}

function fromSql(model: ManifestMetricModel, joins: ReadonlySet<string>): string {
  const parts = [`FROM ${model.table}`];
  for (const name of [...joins].sort()) {
    const join = model.joins[name];
    if (!join) throw new Error(`measure model ${model.name} has no join ${name}`);
    parts.push(`LEFT JOIN ${join.table} AS ${name} ON ${join.on}`);
  }
  return parts.join('\n');
}

export function buildMetricSql(
  { model, measure }: ResolvedMeasure, query: MetricQuery, period: DateRange | undefined, fiscalStart: number,
): MetricStatement {
  const pieces: Pieces = { groups: [], joins: new Set(), where: measure.filters.map((f) => `(${f})`), having: [], params: {} };
  for (const name of query.groupBy) {
    if (isTimeGrain(name)) {
      pieces.groups.push({ name, sql: grainSql(name, `${model.table}.${model.time.column}`, fiscalStart) });
      continue;
    }
    const col = columnSql(model, name);
    if (col.join) pieces.joins.add(col.join);
    pieces.groups.push({ name, sql: col.type === 'string' ? `COALESCE(CAST(${col.sql} AS VARCHAR), 'Unassigned')` : col.sql });
  }
  query.filters.forEach((f, i) => filterSql(model, f, i, pieces));
  periodSql(model, period, pieces);
  const where = pieces.where.length ? `\nWHERE ${pieces.where.join('\n  AND ')}` : '';
  const from = fromSql(model, pieces.joins);
  const select = [...pieces.groups.map((g) => `${g.sql} AS ${g.name}`), `${measure.sql} AS value`, 'COUNT(*) AS records'].join(',\n  ');
  const groupBy = pieces.groups.length ? `\nGROUP BY ${pieces.groups.map((g) => g.sql).join(', ')}` : '';
  const having = pieces.having.length ? `\nHAVING ${pieces.having.map((h) => h.replace(/\bvalue\b/u, `(${measure.sql})`)).join(' AND ')}` : '';
  const direction = query.order === 'bottom' ? 'ASC' : 'DESC';
  // Time grains read in time order; other groupings largest first.
  const timeOrdered = pieces.groups.length > 0 && pieces.groups.every((g) => isTimeGrain(g.name));
  const orderBy = timeOrdered ? pieces.groups.map((g) => g.name).join(', ') : `value ${direction} NULLS LAST${pieces.groups.map((g) => `, ${g.name}`).join('')}`;
  const limit = Math.max(1, Math.min(Math.trunc(query.limit), 10_000));
  const grouped = `SELECT\n  ${select}\n${from}${where}${groupBy}${having}`;
  const sql = pieces.groups.length ? `${grouped}\nORDER BY ${orderBy}\nLIMIT ${limit}` : grouped;
  const groupsSql = pieces.groups.length ? `(SELECT COUNT(*) FROM (${grouped}) AS matched_groups)` : '1';
  const totalSql = `SELECT\n  ${measure.sql} AS value,\n  COUNT(*) AS records,\n  ${groupsSql} AS groups\n${from}${where}`;
  return { sql, totalSql, params: pieces.params };
}
