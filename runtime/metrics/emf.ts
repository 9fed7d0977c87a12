/**
 * CloudWatch Embedded Metric Format: one JSON log line per `emit`, which CloudWatch turns into metrics without an
 * API call. Written by hand rather than with `@aws-lambda-powertools/metrics` because that library keeps one
 * dimension set per flush and expects a flush per Lambda invocation, while the processor emits several events with
 * different dimensions per message, in Lambda and in long-running processes alike; the format is small and pinned
 * by a test (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 */
import { metricUnits, type MetricName, type Metrics } from './metrics.ts';

export function createEmfMetrics(options: { namespace?: string; sink?: (line: string) => void; now?: () => number } = {}): Metrics {
  const namespace = options.namespace ?? 'RevOps';
  const sink = options.sink ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? Date.now;
  return {
    emit(values, dimensions = {}) {
      const names = (Object.keys(values) as MetricName[]).filter((n) => Number.isFinite(values[n]));
      if (names.length === 0) return;
      const dims = Object.fromEntries(Object.entries(dimensions).filter(([, v]) => v !== undefined)) as Record<string, string>;
      sink(JSON.stringify({
        _aws: {
          Timestamp: now(),
          CloudWatchMetrics: [{
            Namespace: namespace,
            Dimensions: [Object.keys(dims)],
            Metrics: names.map((name) => ({ Name: name, Unit: metricUnits[name] })),
          }],
        },
        ...dims,
        ...Object.fromEntries(names.map((n) => [n, values[n]])),
      }));
    },
  };
}
