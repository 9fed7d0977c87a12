/** Metrics: names, the recording interface, Prometheus text (local) and Embedded Metric Format (AWS). */
export { metricUnits, combineMetrics, noMetrics, type MetricName, type MetricDimensions, type MetricValues, type Metrics } from './metrics.ts';
export { createPrometheusRegistry, type PrometheusRegistry } from './prometheus.ts';
export { createEmfMetrics } from './emf.ts';
