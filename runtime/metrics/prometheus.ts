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
      for (const [name, value] of Object.entries(values) as Array<[MetricName, number]>) {
        if (!Number.isFinite(value)) continue;
        const byLabels = series.get(name) ?? new Map<string, Series>();
        series.set(name, byLabels);
        const key = JSON.stringify(dimensions);
        const entry = byLabels.get(key)
          ?? { labels: dimensions, sum: 0, count: 0, ...(metricUnits[name] === 'Seconds' ? { buckets: durationBuckets.map(() => 0) } : {}) };
        byLabels.set(key, entry);
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

const snake = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/SQLQueries/, 'sql_queries').toLowerCase();

function labels(dimensions: MetricDimensions, extra: Record<string, string> = {}): string {
  const pairs = Object.entries({ ...dimensions, ...extra }).filter(([, v]) => v !== undefined);
  if (pairs.length === 0) return '';
  const escape = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
  return `{${pairs.map(([k, v]) => `${k}="${escape(String(v))}"`).join(',')}}`;
}
