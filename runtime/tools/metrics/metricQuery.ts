/** A question put to the metrics layer, as the offline engine, the `query_metrics` tool and `revops metrics query` state it. */
import type { ManifestDimension, ManifestMeasure, ManifestMetricModel, TimeGrain } from '../../../compiler/manifest.ts';
import { TIME_GRAINS } from '../../../compiler/manifest.ts';

export interface DateRange {
  start: string;
  end: string;
}

export type Comparison = '>' | '>=' | '<' | '<=';

export type MetricFilter =
  /** Any of these values (compared case-insensitively). */
  | { dimension: string; values: string[] }
  /** A threshold on a number dimension (amount > 500000). */
  | { dimension: string; op: Comparison; value: number }
  /** A threshold on the measure itself, per group ("accounts at 85% of their seats"). */
  | { dimension: 'value'; op: Comparison; value: number };

export interface MetricQuery {
  measure: string;
  /** Dimension names and time grains, in order. */
  groupBy: string[];
  filters: MetricFilter[];
  period?: DateRange;
  compare?: DateRange;
  limit: number;
  order: 'top' | 'bottom';
}

export interface ResolvedMeasure {
  model: ManifestMetricModel;
  measure: ManifestMeasure;
}

export const findMeasure = (models: readonly ManifestMetricModel[], name: string): ResolvedMeasure | undefined => {
  for (const model of models) {
    const measure = model.measures.find((m) => m.name === name);
    if (measure) return { model, measure };
  }
  return undefined;
};

export const isTimeGrain = (name: string): name is TimeGrain => (TIME_GRAINS as readonly string[]).includes(name);

export const dimensionOf = (model: ManifestMetricModel, name: string): ManifestDimension | undefined =>
  model.dimensions.find((d) => d.name === name);

export const MAX_METRIC_ROWS = 200;
export const DEFAULT_METRIC_ROWS = 20;
