/** Metrics specs -> the manifest's metrics layer, and the parameters a `metrics` tool gets from it. */
import type { ManifestMetricModel, ManifestParameter } from '../manifest.ts';
import { TIME_GRAINS } from '../manifest.ts';
import type { Spec } from '../project.ts';
import type { MetricsSpec } from '../schema/index.ts';
import { byName } from './serialize.ts';

export function emitMetricModel({ value: m, file }: Spec<MetricsSpec>): ManifestMetricModel {
  return {
    name: m.name,
    ...(m.description ? { description: m.description } : {}),
    records: m.records ?? 'records',
    table: m.table,
    time: { column: m.time.column, description: m.time.description, snapshot: m.time.snapshot ?? false },
    joins: Object.fromEntries(Object.entries(m.joins ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, j]) => [name, { table: j.table, on: j.on }])),
    measures: Object.entries(m.measures).map(([name, x]) => ({
      name, description: x.description, sql: x.sql, filters: x.filters ?? [], format: x.format ?? 'number', synonyms: x.synonyms ?? [],
    })).sort(byName),
    dimensions: Object.entries(m.dimensions ?? {}).map(([name, d]) => ({
      name, description: d.description, column: d.column, ...(d.join ? { join: d.join } : {}), type: d.type ?? 'string', synonyms: d.synonyms ?? [],
    })).sort(byName),
    source: file.path,
  };
}

/** Bedrock caps a parameter description at 500 characters; a long list is cut at a whole name. */
const listed = (intro: string, names: readonly string[], outro = ''): string => {
  let text = `${intro}${names.join(', ')}.${outro}`;
  for (let n = names.length - 1; text.length > 500 && n > 0; n -= 1) text = `${intro}${names.slice(0, n).join(', ')}, ….${outro}`;
  return text.slice(0, 500);
};

/** What a skill step's `with` may set on a metrics tool. */
export const METRIC_PARAMETER_NAMES = ['measure', 'group_by', 'filters', 'period', 'compare', 'limit', 'order'];

/**
 * The JSON schema of a `metrics` tool, generated from the layer: the measure is one of the defined measures, the
 * rest name dimensions and periods in plain strings a model (or a command line) writes easily.
 */
export function metricParameters(models: readonly ManifestMetricModel[]): ManifestParameter[] {
  const measures = models.flatMap((m) => m.measures.map((x) => x.name)).sort();
  const dimensions = [...new Set(models.flatMap((m) => m.dimensions.map((d) => d.name)))].sort();
  const period = 'First and last day, inclusive, as YYYY-MM-DD..YYYY-MM-DD (e.g. 2027-01-01..2027-03-31).';
  return [
    { name: 'measure', type: 'string', required: true, description: listed('The measure to compute: ', measures), enum: measures },
    { name: 'group_by', type: 'string', required: false, description: listed('Comma-separated dimensions to group by: ', [...dimensions, ...TIME_GRAINS.map((g) => `${g} (time grain)`)], ' Absent: one total.') },
    { name: 'filters', type: 'string', required: false, description: 'Semicolon-separated conditions: dimension = value, dimension = a | b (any of), amount > 500000 (numbers: > >= < <=), value >= 85 (keep groups whose measure is at least 85).' },
    { name: 'period', type: 'string', required: false, description: `${period} Filters the measure's date (close date for deals). Absent: all time (snapshot measures: the latest month).` },
    { name: 'compare', type: 'string', required: false, description: 'A second period to compare with, same form. The result has both values and the change from the earlier period to the later (change_from, change_to).' },
    { name: 'limit', type: 'integer', required: false, description: 'Rows to return, largest first (the total always covers every group). Default 20, at most 200.' },
    { name: 'order', type: 'string', required: false, description: 'top (largest first, default) or bottom (smallest first).', enum: ['top', 'bottom'] },
  ];
}
