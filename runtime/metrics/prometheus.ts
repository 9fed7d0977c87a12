/**
 * Prometheus text exposition (format 0.0.4) for `GET /metrics` locally: counters for counts, a histogram for
 * processing duration, a gauge-like summary for grounding. Label values are escaped as the format requires.
 */
import { metricUnits, type MetricDimensions, type MetricName, type Metrics } from './metrics.ts';

const durationBuckets = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

interface Series {
  labels: MetricDimensions;
  sum: number;
  count: number;
  buckets?: number[];
}

export interface PrometheusRegistry extends Metrics {
  render(): string;
}

export function createPrometheusRegistry(): PrometheusRegistry {
  const series = new Map<MetricName, Map<string, Series>>();
  return {
    emit(values, dimensions = {}) {
      // Emitted on every accepted request: one key per call, maps written only for a new series.
      const key = labelKey(dimensions);
      for (const name in values) {
        const value = values[name as MetricName];
        if (value === undefined || !Number.isFinite(value)) continue;
        let byLabels = series.get(name as MetricName);
        if (!byLabels) series.set(name as MetricName, byLabels = new Map());
        let entry = byLabels.get(key);
        if (!entry) {
          entry = { labels: dimensions, sum: 0, count: 0, ...(metricUnits[name as MetricName] === 'Seconds' ? { buckets: durationBuckets.map(() => 0) } : {}) };
          byLabels.set(key, entry);
        }
        entry.sum += value;
        entry.count += 1;
        entry.buckets?.forEach((_, i) => {
          if (value <= durationBuckets[i]!) entry.buckets![i]! += 1;
        });
      }
    },
    render() {
      const lines: string[] = [];
      for (const [name, byLabels] of [...series].sort(([a], [b]) => a.localeCompare(b))) {
        const base = `revops_${snake(name)}`;
        const unit = metricUnits[name];
        if (unit === 'Count') {
          lines.push(`# TYPE ${base}_total counter`);
          for (const s of byLabels.values()) lines.push(`${base}_total${labels(s.labels)} ${s.sum}`);
        } else {
          const metric = unit === 'Seconds' ? `${base}_seconds` : base;
          lines.push(`# TYPE ${metric} ${unit === 'Seconds' ? 'histogram' : 'summary'}`);
          for (const s of byLabels.values()) {
            s.buckets?.forEach((n, i) => lines.push(`${metric}_bucket${labels(s.labels, { le: String(durationBuckets[i]) })} ${n}`));
            if (s.buckets) lines.push(`${metric}_bucket${labels(s.labels, { le: '+Inf' })} ${s.count}`);
            lines.push(`${metric}_sum${labels(s.labels)} ${s.sum}`, `${metric}_count${labels(s.labels)} ${s.count}`);
          }
        }
      }
      return `${lines.join('\n')}\n`;
    },
  };
}

/** One series per set of dimension values, whatever order the caller wrote them in. */
const labelKey = (d: MetricDimensions): string => `${d.source ?? '\u0000'}\u0001${d.request_type ?? '\u0000'}\u0001${d.agent ?? '\u0000'}`;

const snake = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/SQLQueries/, 'sql_queries').toLowerCase();

function labels(dimensions: MetricDimensions, extra: Record<string, string> = {}): string {
  const pairs = Object.entries({ ...dimensions, ...extra }).filter(([, v]) => v !== undefined);
  if (pairs.length === 0) return '';
  const escape = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
  return `{${pairs.map(([k, v]) => `${k}="${escape(String(v))}"`).join(',')}}`;
}
